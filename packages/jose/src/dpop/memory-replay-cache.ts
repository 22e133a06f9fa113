/**
 * @module `createMemoryReplayCache`: the bounded in-process replay cache for one server instance. Each id is
 * kept until its `expiresAt` (the instant the proof would be refused as stale anyway), then dropped.
 *
 * When it is full of entries still inside their window it evicts the one closest to expiry: refusing every
 * new proof would let anyone who floods it lock every client out, and forgetting an arbitrary entry could
 * reopen a long window; the entry closest to expiry reopens the shortest one (at most its remaining
 * seconds). Size `maxEntries` above the proofs one window brings (requests per second × (maxAge +
 * tolerance)) and eviction never happens. Several instances need a shared cache (Redis, SQL) instead.
 */
import { JOSEOptionInvalid } from '../errors.js'
import type { SyncReplayCache } from './types.js'

export interface MemoryReplayCacheOptions {
  /** Most ids held at once (default 100 000). */
  maxEntries?: number
  /** Milliseconds since the epoch (default Date.now). Tests move it. */
  clock?: () => number
}

export interface MemoryReplayCache extends SyncReplayCache {
  /** Ids held now (expired ones are dropped on each call to `seen`). */
  readonly size: number
  /** Ids evicted before their expiry because the cache was full. */
  readonly evicted: number
}

const DEFAULT_MAX_ENTRIES = 100_000
const MAX_ID_LENGTH = 512

interface Entry {
  id: string
  expiresAt: number
}

/** A binary min-heap of entries by `expiresAt`: the next to expire is always at index 0. */
class ExpiryHeap {
  readonly items: Entry[] = []

  push(entry: Entry): void {
    const items = this.items
    items.push(entry)
    let i = items.length - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (items[parent]!.expiresAt <= entry.expiresAt) break
      items[i] = items[parent]!
      i = parent
    }
    items[i] = entry
  }

  pop(): Entry | undefined {
    const items = this.items
    const top = items[0]
    const last = items.pop()
    if (top === undefined || last === undefined || items.length === 0) return top
    let i = 0
    for (;;) {
      const left = 2 * i + 1
      if (left >= items.length) break
      const right = left + 1
      const child = right < items.length && items[right]!.expiresAt < items[left]!.expiresAt ? right : left
      if (items[child]!.expiresAt >= last.expiresAt) break
      items[i] = items[child]!
      i = child
    }
    items[i] = last
    return top
  }
}

export function createMemoryReplayCache(options: MemoryReplayCacheOptions = {}): MemoryReplayCache {
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES
  if (!Number.isSafeInteger(maxEntries) || maxEntries < 1)
    throw new JOSEOptionInvalid('maxEntries must be a positive integer')
  const clock = options.clock ?? Date.now
  if (typeof clock !== 'function')
    throw new JOSEOptionInvalid('clock must be a function returning milliseconds')
  const expiries = new Map<string, number>()
  const heap = new ExpiryHeap()
  let evicted = 0

  const drop = (entry: Entry): void => {
    if (expiries.get(entry.id) === entry.expiresAt) expiries.delete(entry.id)
  }

  return {
    get size() {
      return expiries.size
    },
    get evicted() {
      return evicted
    },
    seen(id: string, expiresAt: number): boolean {
      if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH)
        throw new JOSEOptionInvalid(
          `a replay id must be a non-empty string of at most ${MAX_ID_LENGTH} characters`,
        )
      if (typeof expiresAt !== 'number' || !Number.isFinite(expiresAt))
        throw new JOSEOptionInvalid('expiresAt must be seconds since the epoch')
      const now = clock() / 1000
      while (heap.items.length > 0 && heap.items[0]!.expiresAt < now) drop(heap.pop()!)
      if (expiries.has(id)) return true
      // A proof past its window is refused as stale by the verifier; there is nothing to remember.
      if (expiresAt < now) return false
      if (expiries.size >= maxEntries) {
        drop(heap.pop()!)
        evicted++
      }
      expiries.set(id, expiresAt)
      heap.push({ id, expiresAt })
      return false
    },
  }
}
