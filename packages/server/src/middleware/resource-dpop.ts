/**
 * @module DPoP (RFC 9449) at a resource server that is not the issuer: the same proof check the issuer's own
 * resources use (dpop/request-proof.ts — one bounded header, htu from the configured public origin and the
 * request path, never the `Host` header; ath; the token's key; a query in htu refused; optional stateless
 * nonces), over this server's replay cache instead of the issuer's store.
 */
import { createMemoryReplayCache, type ReplayCache } from '@tessera/jose'
import type { Clock } from '../clock.js'
import { type IssuerDPoP, issuerDPoP } from '../dpop/request-proof.js'

export interface ResourceDPoPOptions {
  /**
   * Where clients reach this server, e.g. `https://api.example.com` (behind a proxy: the public address, with
   * the path prefix the proxy strips, if any). A proof's `htu` must be this plus the request's path.
   */
  publicOrigin: string
  /**
   * Refuses a proof seen before (same key and `jti`) while it could still be accepted. Default: one
   * in-memory cache (createMemoryReplayCache) for this process; several instances need one shared cache
   * (e.g. Redis `SET id 1 NX EXAT expiresAt`), or a proof replayed to another instance passes there.
   */
  replay?: ReplayCache
  /** Seconds a proof is accepted after its `iat` (default 300). */
  maxAge?: number
  /** Seconds of clock difference allowed between client and server, both ways (default 5). */
  clockTolerance?: number
  /**
   * At least 32 random bytes: proofs must then carry a server nonce (RFC 9449 §9), an HMAC of the current
   * five-minute step under this key, handed out in `DPoP-Nonce`. Instances sharing the key accept each
   * other's nonces with nothing stored.
   */
  nonceKey?: Uint8Array
}

const DEFAULT_MAX_AGE = 300
const DEFAULT_CLOCK_TOLERANCE = 5
const MIN_NONCE_KEY_BYTES = 32

function publicOriginOf(value: unknown): string {
  const url = typeof value === 'string' && URL.canParse(value) ? new URL(value) : undefined
  if (
    !url ||
    (url.protocol !== 'https:' && url.protocol !== 'http:') ||
    url.search ||
    url.hash ||
    url.username
  )
    throw new TypeError(
      'dpop.publicOrigin must be an http(s) URL without query, fragment or user, e.g. https://api.example.com',
    )
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`
}

function seconds(value: number | undefined, fallback: number, option: string): number {
  if (value === undefined) return fallback
  if (!Number.isFinite(value) || value < 0) throw new TypeError(`${option} must be a number of seconds ≥ 0`)
  return value
}

/** The proof check for `requireAuth` / `verifyRequest`, from their `dpop` option. */
export function resourceDPoP(options: ResourceDPoPOptions, clock: Clock): IssuerDPoP {
  const origin = publicOriginOf(options.publicOrigin)
  const replay = options.replay ?? createMemoryReplayCache({ clock })
  if (typeof replay.seen !== 'function') throw new TypeError('dpop.replay must have seen(id, expiresAt)')
  const nonceKey = options.nonceKey
  if (nonceKey !== undefined && !(nonceKey instanceof Uint8Array && nonceKey.length >= MIN_NONCE_KEY_BYTES))
    throw new TypeError(`dpop.nonceKey must be at least ${MIN_NONCE_KEY_BYTES} random bytes`)
  return issuerDPoP({
    issuer: () => origin,
    clock,
    // The issuer's check speaks the store's language (milliseconds, true = first use); jose's caches speak
    // seconds and answer "seen".
    replay: { firstUse: async (id, expiresAt) => !(await replay.seen(id, expiresAt / 1000)) },
    nonceKey: Buffer.from(nonceKey ?? new Uint8Array(MIN_NONCE_KEY_BYTES)),
    nonce: nonceKey ? 'required' : 'off',
    maxAge: seconds(options.maxAge, DEFAULT_MAX_AGE, 'dpop.maxAge'),
    clockSkew: seconds(options.clockTolerance, DEFAULT_CLOCK_TOLERANCE, 'dpop.clockTolerance'),
  })
}
