/**
 * @module `createVerifier`: a JWT verifier with its options compiled once. With a key, or a resolver that
 * answers synchronously (a local key set), each call is synchronous; with an asynchronous resolver (a
 * remote key set) it returns a promise.
 *
 * Hot-path choices, each measured in `npm run bench`:
 * - Protected headers repeat (one issuer, one key): the decoded, checked header is cached by its exact
 *   base64url text, which is deterministic, so a cache hit is the same decision the parse would make.
 * - The optional token cache lives inside this verifier only (never keyed on a caller's key, cf. fast-jwt
 *   CVE-2026-35039), holds only successes, and answers only the exact token it verified: an entry is found
 *   by the token's last 24 characters, inside its signature (`cacheKey`: hashing 24 characters, not the
 *   whole ~450-character token nor a 342-character RS256 signature), and used only when its whole token
 *   equals the one presented. Each hit
 *   re-checks the time claims (`exp` first of them), so a cached token is refused the moment it expires;
 *   the other claim checks depend only on the policy and the frozen claims, which passed them on entry.
 */
import type { JwsAlgorithm } from '../alg/jws-algorithms.js'
import type { Backend, MaybePromise } from '../backend/types.js'
import { JOSEOptionInvalid, JWSInvalid, JWSSignatureInvalid, JWTInvalid } from '../errors.js'
import { checkSigningKey, shortHmacAllowed } from '../jwk/check-signing-key.js'
import type { JoseKey } from '../jwk/key.js'
import { toJoseKey } from '../jwk/key-input.js'
import { jwsAllowList, pickAllowed } from '../jws/allow-list.js'
import { decodeCheckedHeader } from '../jws/header-cache.js'
import { checkLength, decodeSignature } from '../jws/segments.js'
import { resolveCandidates, verifyWithCandidates } from '../jws/try-keys.js'
import type { JWSHeaderParameters } from '../jws/types.js'
import { decodeBase64url } from '../util/base64url.js'
import { deepFreeze } from '../util/freeze.js'
import { chain, isPromiseLike } from '../util/maybe-promise.js'
import { SegmentCache } from '../util/segment-cache.js'
import { checkClaims, checkTimeClaims, compileClaimPolicy, decodeClaims } from './claims.js'
import type { JWTVerifyOptions, JWTVerifyResult } from './types.js'

export interface VerifierOptions extends Omit<JWTVerifyOptions, 'currentDate'> {
  /** A key in any accepted form, or a resolver (a key set). */
  key: unknown
  /** Milliseconds since the epoch (default Date.now). */
  clock?: () => number
  /** Opt-in cache of verified tokens: `{ max }` entries (bounded, first in first out). */
  cache?: { max: number }
}

export type Verifier = (token: string) => JWTVerifyResult
export type AsyncVerifier = (token: string) => Promise<JWTVerifyResult>

/** A verified token: the whole token (compared on every hit) and what verifying it gave. */
interface CacheEntry {
  token: string
  result: JWTVerifyResult
}

interface HeaderEntry {
  protectedHeader: JWSHeaderParameters
  alg: JwsAlgorithm
}

const HEADER_CACHE_SIZE = 32

/**
 * The token cache's key: the token's last 24 characters, which lie inside the signature of any token this
 * verifier can accept (the shortest, HS256's, has 43) — 144 bits of it, so keys of distinct verified
 * tokens do not meet, and the lookup hashes 24 characters however long the token (an RS256 signature is
 * 342). A hit still needs the whole token to be the cached one.
 */
const cacheKey = (token: string): string => token.slice(-24)

export function createVerifierWith(backend: Backend, options: VerifierOptions): Verifier {
  if (typeof options !== 'object' || options === null)
    throw new JOSEOptionInvalid('createVerifier needs an options object')
  const allowed = jwsAllowList(options.algorithms, options.key)
  const allowShort = shortHmacAllowed(options)
  const policy = compileClaimPolicy(options)
  const clock = options.clock ?? Date.now
  if (typeof clock !== 'function')
    throw new JOSEOptionInvalid('clock must be a function returning milliseconds')
  const keyLike = options.key
  let staticKey: JoseKey | undefined
  if (typeof keyLike !== 'function') {
    const key = toJoseKey(backend, keyLike)
    if (isPromiseLike(key))
      throw new JOSEOptionInvalid('createVerifier needs a key this runtime imports synchronously')
    staticKey = key
    // Check the key against every allowed algorithm now: a misconfiguration fails at start, not per token.
    for (const entry of allowed.values()) checkSigningKey(staticKey, entry, 'verify', allowShort)
  }
  const maxTokenLength = options.maxTokenLength
  const crit = options.crit
  const cacheMax = options.cache?.max
  if (options.cache !== undefined && !(Number.isInteger(cacheMax) && cacheMax! > 0)) {
    throw new JOSEOptionInvalid('cache.max must be a positive integer')
  }
  // Keyed by `cacheKey` (see the module comment); the entry's token is compared on every hit.
  const cache = cacheMax ? new Map<string, CacheEntry>() : undefined
  // node:crypto verifies a base64url segment directly (HMAC never decodes it): see backend/node/signature.ts.
  const fastVerify = backend.verifyBase64url

  // One bounded cache per verifier (its own `crit`), the mechanism util/segment-cache.ts gives every caller.
  const headers = new SegmentCache<HeaderEntry>(HEADER_CACHE_SIZE)
  const makeEntry = (segment: string): HeaderEntry => {
    const decoded = decodeCheckedHeader(segment, crit)
    if (!decoded.b64)
      throw new JWTInvalid('a JWT cannot use an unencoded payload ("b64": false, RFC 7797 §7)')
    return { protectedHeader: decoded.protectedHeader, alg: pickAllowed(allowed, decoded.alg) }
  }
  const headerOf = (segment: string): HeaderEntry => headers.get(segment, makeEntry)

  const finish = (
    token: string,
    entry: HeaderEntry,
    key: JoseKey,
    valid: boolean,
    second: number,
  ): JWTVerifyResult => {
    if (!valid) throw new JWSSignatureInvalid()
    const payloadBytes = decodeBase64url(token.slice(token.indexOf('.') + 1, second))
    if (!payloadBytes) throw new JWSInvalid('the payload is not canonical base64url')
    const payload = decodeClaims(payloadBytes)
    checkClaims(policy, payload, entry.protectedHeader.typ, Math.floor(clock() / 1000))
    const result = { payload, protectedHeader: entry.protectedHeader, key }
    if (cache) {
      const key = cacheKey(token)
      // A second token verified with the same key takes the entry over (an exact match still decides).
      if (!cache.has(key) && cache.size >= cacheMax!) cache.delete(cache.keys().next().value!)
      cache.set(key, { token, result: deepFreeze(result) })
    }
    return result
  }

  return ((token: string): MaybePromise<JWTVerifyResult> => {
    if (typeof token !== 'string') throw new JWSInvalid('a compact JWS must be a string')
    if (cache) {
      const hit = cache.get(cacheKey(token))
      if (hit !== undefined && hit.token === token) {
        checkTimeClaims(policy, hit.result.payload, Math.floor(clock() / 1000))
        return hit.result
      }
    }
    checkLength(token.length, maxTokenLength)
    const first = token.indexOf('.')
    const second = first === -1 ? -1 : token.indexOf('.', first + 1)
    if (second === -1 || token.indexOf('.', second + 1) !== -1) {
      throw new JWSInvalid('a compact JWT has three parts separated by "."')
    }
    const entry = headerOf(token.slice(0, first))
    const signingInput = token.slice(0, second)
    const segment = token.slice(second + 1)
    if (staticKey && fastVerify) {
      const valid = fastVerify(entry.alg, staticKey, signingInput, segment)
      // Only a failure decodes the segment, so a malformed one is still reported as JWSInvalid.
      if (!valid) decodeSignature(segment)
      return finish(token, entry, staticKey, valid, second)
    }
    const signature = decodeSignature(segment)
    if (staticKey) {
      return finish(
        token,
        entry,
        staticKey,
        backend.verify(entry.alg, staticKey, signingInput, signature) as boolean,
        second,
      )
    }
    return chain(resolveCandidates(backend, keyLike, entry.protectedHeader, token), (candidates) =>
      chain(
        verifyWithCandidates(backend, entry.alg, candidates, signingInput, signature, allowShort),
        (key) => finish(token, entry, key, true, second),
      ),
    )
  }) as Verifier
}
