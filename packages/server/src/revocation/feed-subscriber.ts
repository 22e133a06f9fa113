/**
 * @module A resource server's subscription to the issuer's revocation feed (`GET /oauth/revocations`):
 * one long poll held open at a time, resumed with the cursor after every answer, so an ended session's
 * tokens are refused locally with no call per request. It fails closed: until the first answer, and from
 * the moment a poll fails (refused, 503, or no answer within `wait` + 5 s) until one succeeds again,
 * `assertActive` throws RevocationsUnavailable rather than pass a token the feed might have revoked.
 */
import { AccessTokenInvalid, RevocationsUnavailable } from '../errors.js'
import { parseEvent } from './events.js'
import type { RevocationCheck } from './revocation-feed.js'
import { RevocationSet } from './revocation-set.js'

export interface RevocationSubscriberOptions {
  /** The issuer's feed, e.g. `https://auth.example/oauth/revocations`. */
  url: string | URL
  /** An introspection client of the issuer (`--introspection-client id:secret`). */
  clientId: string
  clientSecret: string
  /** Seconds the issuer may hold a poll (default 25, at most 30). */
  wait?: number
  /** Milliseconds since the epoch (default Date.now). */
  clock?: () => number
  /** Called on every change between synced and not (for a log line or a metric). */
  onState?: (state: { synced: boolean; reason?: string; failures: number }) => void
}

export interface RevocationSubscription extends RevocationCheck {
  /** Resolves once the first answer was applied (or rejects after `timeoutMs`, default 10 s). */
  ready(timeoutMs?: number): Promise<void>
  readonly synced: boolean
  /** Polls that failed since the start. */
  readonly failures: number
  close(): void
}

const RETRY_MIN_MS = 200
const RETRY_MAX_MS = 5000

export function subscribeRevocations(options: RevocationSubscriberOptions): RevocationSubscription {
  if (!options.url || !options.clientId || !options.clientSecret)
    throw new TypeError('subscribeRevocations needs url, clientId and clientSecret')
  const wait = Math.min(Math.max(Math.floor(options.wait ?? 25), 0), 30)
  const clock = options.clock ?? Date.now
  const authorization = `Basic ${Buffer.from(
    `${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`,
  ).toString('base64')}`
  let set: RevocationSet | undefined
  let cursor: string | undefined
  let synced = false
  let failures = 0
  let closed = false
  let abort: AbortController | undefined
  let retry: NodeJS.Timeout | undefined
  let delay = RETRY_MIN_MS
  const readyWaiters = new Set<() => void>()

  const setSynced = (value: boolean, reason?: string) => {
    if (synced === value) return
    synced = value
    options.onState?.({ synced, failures, ...(reason ? { reason } : {}) })
  }

  const poll = async (): Promise<void> => {
    retry = undefined
    if (closed) return
    const url = new URL(options.url)
    if (cursor) url.searchParams.set('after', cursor)
    if (cursor) url.searchParams.set('wait', String(wait))
    abort = new AbortController()
    const watchdog = setTimeout(() => abort?.abort(), (cursor ? wait : 0) * 1000 + 5000)
    try {
      const response = await fetch(url, { headers: { authorization }, signal: abort.signal })
      if (response.status !== 200) throw new Error(`the revocation feed answered ${response.status}`)
      const body = (await response.json()) as { cursor?: unknown; window?: unknown; events?: unknown }
      if (typeof body.cursor !== 'string' || typeof body.window !== 'number' || !Array.isArray(body.events))
        throw new Error('the revocation feed answered something that is not a feed page')
      set ??= new RevocationSet(clock, body.window * 1000)
      for (const raw of body.events) {
        const event = parseEvent(raw)
        if (event) set.apply(event)
      }
      set.prune()
      cursor = body.cursor
      delay = RETRY_MIN_MS
      setSynced(true)
      for (const done of readyWaiters) done()
      retry = setTimeout(() => void poll(), 0)
    } catch (error) {
      if (closed) return
      failures++
      setSynced(false, (error as Error).message)
      retry = setTimeout(() => void poll(), delay)
      delay = Math.min(delay * 2, RETRY_MAX_MS)
    } finally {
      clearTimeout(watchdog)
    }
  }
  void poll()

  return {
    get synced() {
      return synced
    },
    get failures() {
      return failures
    },
    assertActive(claims) {
      if (!synced || !set)
        throw new RevocationsUnavailable(
          "the issuer's revocation feed is not in sync (never reached, or reconnecting); retry shortly",
        )
      const refusal = set.refused(claims.sid, claims.sub)
      if (refusal === 'session') throw new AccessTokenInvalid('the session of this access token was ended')
      if (refusal === 'user') throw new AccessTokenInvalid('the account of this access token is disabled')
    },
    ready(timeoutMs = 10_000) {
      if (synced) return Promise.resolve()
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          readyWaiters.delete(done)
          reject(new RevocationsUnavailable('the revocation feed did not answer in time'))
        }, timeoutMs)
        const done = () => {
          clearTimeout(timer)
          readyWaiters.delete(done)
          resolve()
        }
        readyWaiters.add(done)
      })
    },
    close() {
      closed = true
      if (retry) clearTimeout(retry)
      abort?.abort()
    },
  }
}
