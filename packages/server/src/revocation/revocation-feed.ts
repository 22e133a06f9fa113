/**
 * @module Each instance's revocation feed: the in-memory set, loaded from the store at start, kept
 * current by the channel, reloaded on every reconnect and reconciled every few seconds (a notice lost
 * between a commit and its publish, or written by a process on the same SQLite file, is picked up
 * then). While the channel is down the set may be stale, so `assertActive` fails closed with
 * RevocationsUnavailable until the channel is back and the set reloaded.
 */
import { randomBytes } from 'node:crypto'
import type { Clock } from '../clock.js'
import { AccessTokenInvalid, RevocationsUnavailable } from '../errors.js'
import type { RevocationRepository } from '../store/types.js'
import type { RevocationChannel } from './channel.js'
import type { RevocationEvent } from './events.js'
import { RevocationSet } from './revocation-set.js'

/** What a token check needs from a revocation source (the issuer's feed, a resource server's subscription). */
export interface RevocationCheck {
  /** Throws AccessTokenInvalid for an ended session or disabled user, RevocationsUnavailable when stale. */
  assertActive(claims: { sid?: string | undefined; sub: string }): void
}

export type FeedState = 'starting' | 'in_sync' | 'down'

export interface FeedStatus {
  state: FeedState
  channel: RevocationChannel['kind']
  /** Since when the state holds (ms). */
  since: number
  sessions: number
  users: number
  /** How often the channel was lost, and token checks refused meanwhile, since start. */
  channelLosses: number
  refusedWhileDown: number
  reloads: number
  /** Notices that could not be sent yet (resent on reconnect). */
  pending: number
  lastReason?: string
}

export interface RevocationFeedDeps {
  repository: RevocationRepository
  channel: RevocationChannel
  clock: Clock
  /** Access-token lifetime plus clock skew, in ms: how long an entry can matter. */
  windowMs: number
  /** Default 5 s. */
  reconcileMs?: number
}

const PUBLISH_TIMEOUT_MS = 1000
const RELOAD_RETRY_MS = 500

export class RevocationFeed implements RevocationCheck {
  readonly set: RevocationSet
  /** Names this process's event numbering: a feed cursor from another instance starts from the top. */
  readonly instanceId = randomBytes(6).toString('base64url')
  readonly #d: RevocationFeedDeps
  #state: FeedState = 'starting'
  #since: number
  #channelUp = false
  #generation = 0
  #losses = 0
  #refusedWhileDown = 0
  #reloads = 0
  #lastReason: string | undefined
  #pending: RevocationEvent[] = []
  readonly #stateListeners = new Set<(status: FeedStatus) => void>()
  readonly #eventListeners = new Set<() => void>()
  #timers: NodeJS.Timeout[] = []
  #closed = false

  constructor(deps: RevocationFeedDeps) {
    this.#d = deps
    this.set = new RevocationSet(deps.clock, deps.windowMs)
    this.#since = deps.clock()
  }

  get state(): FeedState {
    return this.#state
  }

  /** Subscribes and waits (at most `waitMs`) for the first load; a channel still down leaves it 'down'. */
  async start(waitMs = 5000): Promise<void> {
    const synced = new Promise<void>((resolve) => {
      const listener = (status: FeedStatus) => {
        if (status.state !== 'in_sync') return
        this.#stateListeners.delete(listener)
        resolve()
      }
      this.#stateListeners.add(listener)
      const timer = setTimeout(() => {
        this.#stateListeners.delete(listener)
        if (this.#state === 'starting') this.#setState('down', 'the revocation channel did not come up')
        resolve()
      }, waitMs)
      timer.unref()
    })
    this.#d.channel.subscribe({
      event: (event) => this.#apply(event),
      up: () => this.#onUp(),
      down: (reason) => this.#onDown(reason),
    })
    const reconcile = setInterval(() => void this.#reconcile(), this.#d.reconcileMs ?? 5000)
    const prune = setInterval(() => this.set.prune(), 30_000)
    reconcile.unref()
    prune.unref()
    this.#timers.push(reconcile, prune)
    await synced
  }

  assertActive(claims: { sid?: string | undefined; sub: string }): void {
    if (this.#state !== 'in_sync') {
      this.#refusedWhileDown++
      throw new RevocationsUnavailable(
        'revocations cannot be checked right now (the revocation channel is reconnecting); retry shortly',
      )
    }
    const refusal = this.set.refused(claims.sid, claims.sub)
    if (refusal === 'session') throw new AccessTokenInvalid('the session of this access token was ended')
    if (refusal === 'user') throw new AccessTokenInvalid('the account of this access token is disabled')
  }

  /**
   * Applies here at once, then tells every instance. Never throws: the revocation is already committed;
   * a notice that cannot be sent is kept and resent on reconnect, and the others' reconcile finds it.
   */
  async publish(event: RevocationEvent): Promise<void> {
    this.#apply(event)
    try {
      await withTimeout(this.#d.channel.publish(event), PUBLISH_TIMEOUT_MS)
    } catch {
      this.#pending.push(event)
    }
  }

  status(): FeedStatus {
    const size = this.set.size
    return {
      state: this.#state,
      channel: this.#d.channel.kind,
      since: this.#since,
      sessions: size.sessions,
      users: size.users,
      channelLosses: this.#losses,
      refusedWhileDown: this.#refusedWhileDown,
      reloads: this.#reloads,
      pending: this.#pending.length,
      ...(this.#lastReason ? { lastReason: this.#lastReason } : {}),
    }
  }

  /** Called on every state change (for the log line). Returns the unsubscribe function. */
  onState(listener: (status: FeedStatus) => void): () => void {
    this.#stateListeners.add(listener)
    return () => this.#stateListeners.delete(listener)
  }

  /** Called after any new event (the feed endpoint's long poll). */
  onEvent(listener: () => void): () => void {
    this.#eventListeners.add(listener)
    return () => this.#eventListeners.delete(listener)
  }

  /** One round trip to the channel's own server, when it has one (Redis); resolves false when there is none. */
  async pingChannel(): Promise<boolean> {
    const channel = this.#d.channel
    if (!channel.ping) return false
    await withTimeout(channel.ping(), PUBLISH_TIMEOUT_MS)
    return true
  }

  channelDetail(): Record<string, unknown> {
    return this.#d.channel.detail()
  }

  async close(): Promise<void> {
    this.#closed = true
    for (const timer of this.#timers) clearInterval(timer)
    this.#stateListeners.clear()
    this.#eventListeners.clear()
    await this.#d.channel.close()
  }

  #apply(event: RevocationEvent): void {
    if (this.set.apply(event)) for (const listener of this.#eventListeners) listener()
  }

  #onUp(): void {
    this.#channelUp = true
    const generation = ++this.#generation
    void this.#resync(generation)
  }

  #onDown(reason: string): void {
    this.#channelUp = false
    this.#generation++
    this.#losses++
    this.#setState('down', reason)
  }

  /** Resends what could not be sent, then reloads; only then is the set trusted again. */
  async #resync(generation: number): Promise<void> {
    while (!this.#closed && this.#channelUp && generation === this.#generation) {
      try {
        const pending = this.#pending
        this.#pending = []
        for (const [i, event] of pending.entries()) {
          try {
            await withTimeout(this.#d.channel.publish(event), PUBLISH_TIMEOUT_MS)
          } catch (error) {
            this.#pending.push(...pending.slice(i))
            throw error
          }
        }
        await this.#load()
        if (generation === this.#generation && this.#channelUp) this.#setState('in_sync')
        return
      } catch (error) {
        this.#lastReason = `reloading the revocation set failed: ${(error as Error).message}`
        await new Promise((resolve) => setTimeout(resolve, RELOAD_RETRY_MS).unref())
      }
    }
  }

  async #load(): Promise<void> {
    const snapshot = await this.#d.repository.since(this.#d.clock() - this.#d.windowMs)
    this.#reloads++
    const before = this.set.latest
    if (this.set.load(snapshot) > 0 || this.set.latest !== before)
      for (const listener of this.#eventListeners) listener()
  }

  async #reconcile(): Promise<void> {
    if (this.#state !== 'in_sync') return
    try {
      await this.#load()
    } catch {
      // The store is away; the channel still delivers, and the next tick tries again.
    }
  }

  #setState(state: FeedState, reason?: string): void {
    if (reason) this.#lastReason = reason
    if (this.#state === state) return
    this.#state = state
    this.#since = this.#d.clock()
    const status = this.status()
    for (const listener of [...this.#stateListeners]) listener(status)
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}
