/**
 * @module A cached remote JWKS for resource servers: fetched once, kept for the server's Cache-Control
 * max-age (bounded), refetched on an unknown `kid` at most once per cooldown (so a flood of tokens with
 * made-up kids cannot turn into a flood of requests to the issuer), and served stale if a refetch fails.
 *
 * @tessera/jose does not export a remote key set yet; when it does (`createRemoteJWKSet`), this module
 * can become a thin wrapper over it.
 */
import { importJWK, type JoseKey, type JWK, JWKSNoMatchingKey } from '@tessera/jose'
import { JwksFetchFailed } from '../errors.js'

export interface RemoteJwksOptions {
  /** Milliseconds since the epoch (default Date.now). */
  clock?: () => number
  /** Longest time a fetched set is trusted without refetching, seconds (default 600, cap on Cache-Control). */
  maxAge?: number
  /** Shortest time between two fetches, seconds (default 30). */
  cooldown?: number
  /** Fetch timeout, milliseconds (default 5000). */
  timeoutMs?: number
  fetch?: typeof fetch
}

export type RemoteJwks = ((header: Record<string, unknown>) => Promise<JoseKey>) & {
  /** Fetches now (tests, warm-up). */
  reload(): Promise<void>
  /** How many fetches were made. */
  readonly fetches: number
}

export function createRemoteJwks(url: string | URL, options: RemoteJwksOptions = {}): RemoteJwks {
  const clock = options.clock ?? Date.now
  const maxAge = (options.maxAge ?? 600) * 1000
  const cooldown = (options.cooldown ?? 30) * 1000
  const timeoutMs = options.timeoutMs ?? 5000
  const doFetch = options.fetch ?? fetch
  let keys = new Map<string, JoseKey>()
  let fetchedAt = Number.NEGATIVE_INFINITY
  let expiresAt = Number.NEGATIVE_INFINITY
  let inflight: Promise<void> | undefined
  let fetches = 0

  const load = async (): Promise<void> => {
    fetches++
    fetchedAt = clock()
    const response = await doFetch(url, {
      signal: AbortSignal.timeout(timeoutMs),
      headers: { accept: 'application/json' },
    })
    if (!response.ok) throw new JwksFetchFailed(`the JWKS at ${String(url)} answered ${response.status}`)
    const body = (await response.json()) as { keys?: unknown }
    if (!body || !Array.isArray(body.keys))
      throw new JwksFetchFailed(`the JWKS at ${String(url)} has no "keys" array`)
    const next = new Map<string, JoseKey>()
    for (const jwk of body.keys as JWK[]) {
      if (
        typeof jwk?.kid !== 'string' ||
        typeof jwk.alg !== 'string' ||
        (jwk.use !== undefined && jwk.use !== 'sig')
      )
        continue
      try {
        next.set(jwk.kid, await importJWK(jwk, jwk.alg))
      } catch {
        // A key we cannot use (unknown kty, wrong curve) is skipped, not fatal: the others still verify.
      }
    }
    const cacheControl = /max-age=(\d+)/.exec(response.headers.get('cache-control') ?? '')
    const age = cacheControl ? Math.min(Number(cacheControl[1]) * 1000, maxAge) : maxAge
    keys = next
    expiresAt = clock() + age
  }

  const refresh = (): Promise<void> => {
    inflight ??= load().finally(() => {
      inflight = undefined
    })
    return inflight
  }

  const resolver = (async (header: Record<string, unknown>): Promise<JoseKey> => {
    const now = clock()
    if (now >= expiresAt) {
      try {
        await refresh()
      } catch (error) {
        if (keys.size === 0) throw error
      }
    }
    const kid = header.kid
    let key = typeof kid === 'string' ? keys.get(kid) : undefined
    if (!key && clock() - fetchedAt >= cooldown) {
      await refresh().catch(() => {})
      key = typeof kid === 'string' ? keys.get(kid) : undefined
    }
    if (!key) throw new JWKSNoMatchingKey('no key in the issuer JWKS matches the token kid')
    return key
  }) as RemoteJwks
  Object.defineProperty(resolver, 'reload', { value: refresh })
  Object.defineProperty(resolver, 'fetches', { get: () => fetches })
  return resolver
}
