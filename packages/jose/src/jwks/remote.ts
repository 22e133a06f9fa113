/**
 * @module `createRemoteJWKSet`: an issuer's JWK Set fetched over HTTPS and cached.
 *
 * The threats it is shaped by: a flood of tokens with forged `kid`s must not turn into a flood of fetches
 * (one fetch in flight, a cooldown between fetches an unknown `kid` triggers); an issuer briefly down must
 * not stop verification of tokens signed by keys we already hold (stale-if-error); a hostile or broken
 * endpoint must not hang us or fill memory (timeout, byte cap, key count cap, no redirects).
 */
import type { Backend } from '../backend/types.js'
import { JOSEError, JOSEOptionInvalid, JWKSNoMatchingKey } from '../errors.js'
import { cacheLifetime } from './cache-control.js'
import { checkJwksUrl, type FetchLike, fetchJwks } from './fetch-jwks.js'
import { type KeyCandidates, KeySet } from './key-set.js'
import type { SkippedMember } from './validate-set.js'
import { positiveInteger } from './validate-set.js'

export interface RemoteJWKSetOptions {
  /** Give up on a fetch after this many ms (default 5000, as in `jose`). */
  timeoutDuration?: number
  /** At least this many ms between fetches that an unknown `kid` triggers (default 30000, as in `jose`). */
  cooldownDuration?: number
  /** Keep a fetched set at most this many ms (default 600000, as in `jose`); `Cache-Control` may shorten it. */
  cacheMaxAge?: number
  /** After `cacheMaxAge`, keep using the last good set this many more ms while fetches fail (default 3600000). */
  staleIfErrorDuration?: number
  /** Refuse responses larger than this many bytes (default 524288). */
  maxResponseSize?: number
  /** Refuse sets with more keys than this (default 100). */
  maxKeys?: number
  /** Extra request headers. */
  headers?: Record<string, string> | Headers
  /** A `fetch` implementation (default: the global one). */
  fetch?: FetchLike
  /** Allow a plain `http:` URL to a non-loopback host. Only for tests and closed networks. */
  allowHttp?: boolean
  /** Milliseconds since the epoch (default Date.now): cache age and cooldown read it. */
  clock?: () => number
}

export interface RemoteJWKSetSnapshot {
  url: string
  /** When the set in use was fetched (clock ms), or undefined before the first success. */
  fetchedAt: number | undefined
  /** Until when it is fresh (clock ms). */
  freshUntil: number | undefined
  /** `kid`s of the members in use. */
  kids: readonly string[]
  /** True when the set in use is past its freshness and kept only because refreshing it failed. */
  stale: boolean
  skipped: readonly SkippedMember[]
  /** The last fetch failure since the last success. */
  lastError: { code: string; message: string; at: number } | undefined
}

/** A key resolver over a remote JWK Set: always asynchronous (a fetch may be needed). */
export interface RemoteJWKSet {
  (protectedHeader: Record<string, unknown>, token?: unknown): Promise<KeyCandidates>
  /** Fetches now (joining a fetch in flight), whatever the cache and cooldown say. */
  reload(): Promise<void>
  /** Fetches when no fresh set is held; resolves once one is (a warm-up at start). */
  warm(): Promise<RemoteJWKSetSnapshot>
  snapshot(): RemoteJWKSetSnapshot
}

/** Responses above this are refused: 100 RSA-4096 keys with certificate chains fit comfortably. */
const DEFAULT_MAX_RESPONSE_SIZE = 512 * 1024

function duration(value: unknown, fallback: number, option: string, infinite = false): number {
  if (value === undefined) return fallback
  if (
    typeof value === 'number' &&
    value >= 0 &&
    (Number.isFinite(value) || (infinite && value === Infinity))
  ) {
    return value
  }
  throw new JOSEOptionInvalid(`${option} must be a non-negative number of milliseconds`)
}

export function createRemoteJWKSetWith(
  backend: Backend,
  url: string | URL,
  options: RemoteJWKSetOptions = {},
): RemoteJWKSet {
  const timeoutDuration = duration(options.timeoutDuration, 5000, 'timeoutDuration')
  if (timeoutDuration === 0) throw new JOSEOptionInvalid('timeoutDuration must be more than 0 ms')
  const cooldownDuration = duration(options.cooldownDuration, 30_000, 'cooldownDuration')
  const cacheMaxAge = duration(options.cacheMaxAge, 600_000, 'cacheMaxAge', true)
  const staleIfErrorDuration = duration(options.staleIfErrorDuration, 3_600_000, 'staleIfErrorDuration', true)
  const maxResponseSize = positiveInteger(
    options.maxResponseSize,
    DEFAULT_MAX_RESPONSE_SIZE,
    'maxResponseSize',
  )
  const maxKeys = options.maxKeys
  const clock = options.clock ?? Date.now
  if (typeof clock !== 'function')
    throw new JOSEOptionInvalid('clock must be a function returning milliseconds')
  const fetchImpl = options.fetch ?? (globalThis.fetch as FetchLike | undefined)
  if (typeof fetchImpl !== 'function') throw new JOSEOptionInvalid('no fetch available: pass options.fetch')
  const headers = new Headers(options.headers)
  if (!headers.has('accept')) headers.set('accept', 'application/jwk-set+json, application/json')
  const settings = {
    url: checkJwksUrl(url, options.allowHttp === true),
    timeoutDuration,
    maxResponseSize,
    headers,
    fetch: fetchImpl,
  }
  // Validate the bound now so a bad maxKeys fails at creation, not on the first fetch.
  positiveInteger(maxKeys, 1, 'maxKeys')

  let set: KeySet | undefined
  let fetchedAt: number | undefined
  let freshUntil = 0
  let lastAttemptAt = Number.NEGATIVE_INFINITY
  let lastError: { error: JOSEError; at: number } | undefined
  let inflight: Promise<void> | undefined

  const refresh = (): Promise<void> => {
    if (inflight) return inflight
    lastAttemptAt = clock()
    inflight = fetchJwks(settings)
      .then((fetched) => {
        const next = new KeySet(backend, fetched.body, { maxKeys })
        const now = clock()
        // Honour Cache-Control, within [cooldownDuration, cacheMaxAge]: never refetch more often than the
        // cooldown allows, never keep a set longer than the caller's bound.
        const proposed = cacheLifetime(fetched.cacheControl, fetched.age) ?? cacheMaxAge
        set = next
        fetchedAt = now
        freshUntil = now + Math.min(cacheMaxAge, Math.max(cooldownDuration, proposed))
        lastError = undefined
      })
      .catch((error: unknown) => {
        if (error instanceof JOSEError) lastError = { error, at: clock() }
        throw error
      })
      .finally(() => {
        inflight = undefined
      })
    return inflight
  }

  const mayRetry = (now: number) => lastError === undefined || now - lastAttemptAt >= cooldownDuration

  /** A set usable now: fresh, refreshed, or stale within staleIfErrorDuration while the issuer fails. */
  const usableSet = async (): Promise<KeySet> => {
    if (set === undefined) {
      await refresh()
      return set!
    }
    const now = clock()
    if (now < freshUntil) return set
    if (inflight || mayRetry(now)) await refresh().catch(() => {})
    if (clock() < freshUntil || clock() < freshUntil + staleIfErrorDuration) return set
    throw lastError?.error ?? new JWKSNoMatchingKey('the cached JWK Set has expired')
  }

  const resolve = async (header: Record<string, unknown>): Promise<KeyCandidates> => {
    let current = await usableSet()
    let selection = current.select(header)
    if (!selection.ok && selection.unknownKid) {
      // An unknown kid may mean the issuer rotated: refetch, but at most once per cooldown (forged kids).
      if (inflight || clock() - lastAttemptAt >= cooldownDuration) {
        try {
          await refresh()
        } catch (error) {
          const reason = error instanceof Error ? error.message : 'unknown error'
          throw new JWKSNoMatchingKey(
            `${selection.error.message}, and refreshing the set failed: ${reason}`,
            {
              cause: error,
            },
          )
        }
        current = set!
        selection = current.select(header)
      }
    }
    if (!selection.ok) throw selection.error
    return current.keysFor(selection.members, header.alg as string)
  }

  const snapshot = (): RemoteJWKSetSnapshot => ({
    url: settings.url.href,
    fetchedAt,
    freshUntil: set ? freshUntil : undefined,
    kids: set?.kids ?? [],
    stale: set !== undefined && clock() >= freshUntil,
    skipped: Object.freeze([...(set?.skipped ?? [])]),
    lastError: lastError && {
      code: lastError.error.code,
      message: lastError.error.message,
      at: lastError.at,
    },
  })

  const resolver = ((protectedHeader: Record<string, unknown>) => {
    const now = clock()
    // The cached path: no fetch can be needed, so no await beyond the one promise the signature promises.
    if (set !== undefined && now < freshUntil) {
      const selection = set.select(protectedHeader)
      if (selection.ok) {
        try {
          return Promise.resolve(set.keysFor(selection.members, protectedHeader.alg as string))
        } catch (error) {
          return Promise.reject(error)
        }
      }
    }
    return resolve(protectedHeader)
  }) as RemoteJWKSet
  resolver.reload = refresh
  resolver.warm = async () => {
    if (set === undefined || clock() >= freshUntil) await refresh()
    return snapshot()
  }
  resolver.snapshot = snapshot
  return resolver
}
