/**
 * @module `signJWT`: claims in, compact JWS out.
 *
 * Options come with every call, but the header they make is almost always the same few: with no extra
 * `header` object, the encoded header and its `alg` entry are cached on `alg`/`kid`/`typ`/`cty` (16 entries),
 * so a call builds the claims, encodes them once (string → base64url, no TextEncoder copy) and signs — the
 * work `createSigner` does. Without the cache the header's JSON, checks and base64url were ≈ a quarter of
 * an async HS256 sign (profile in docs/benchmarks.md).
 */
import type { JwsAlgorithm } from '../alg/jws-algorithms.js'
import type { Backend, MaybePromise } from '../backend/types.js'
import { compactSignWith } from '../jws/compact.js'
import { checkJwsHeader } from '../jws/header.js'
import { signingAlgorithm, signingKey } from '../jws/sign-core.js'
import { encodeBase64url } from '../util/base64url.js'
import { currentSeconds } from '../util/duration.js'
import { chain, isPromiseLike } from '../util/maybe-promise.js'
import { applyClaimTemplate, compileClaimTemplate, jwtHeader } from './build-claims.js'
import type { JWTSignOptions } from './types.js'

interface PreparedHeader {
  /** The options it was made from (compared with ===, so only strings are ever stored). */
  alg: string
  kid: string | undefined
  typ: string | undefined
  cty: string | undefined
  /** The encoded protected header and its ".". */
  prefix: string
  entry: JwsAlgorithm
}

/**
 * A handful of headers per process (one per issuer key), scanned in order: comparing four fields with ===
 * is cheaper than building and hashing a string key per call (measured). Replaced round-robin when full.
 */
const HEADER_CACHE_SIZE = 16
/** A longer `kid` is not cached, so the cache stays a few KiB at most. */
const MAX_KID_LENGTH = 512
const headers: PreparedHeader[] = []
let nextSlot = 0

function optional(value: unknown): boolean {
  return value === undefined || (typeof value === 'string' && value !== '' && value.length <= MAX_KID_LENGTH)
}

/** Whether `options` make the plain kind of header this cache holds (no extra `header` object). */
function cacheable(options: JWTSignOptions): boolean {
  return (
    typeof options === 'object' &&
    options !== null &&
    options.header === undefined &&
    typeof options.alg === 'string' &&
    optional(options.kid) &&
    optional(options.typ) &&
    optional(options.cty)
  )
}

function lookup(options: JWTSignOptions): PreparedHeader | undefined {
  for (const entry of headers) {
    if (
      entry.alg === options.alg &&
      entry.kid === options.kid &&
      entry.typ === options.typ &&
      entry.cty === options.cty
    )
      return entry
  }
  return undefined
}

function store(options: JWTSignOptions, header: Record<string, unknown>): PreparedHeader {
  checkJwsHeader(header, undefined, undefined)
  const entry = signingAlgorithm(header.alg)
  const prepared: PreparedHeader = {
    alg: options.alg,
    kid: options.kid,
    typ: options.typ,
    cty: options.cty,
    prefix: `${encodeBase64url(JSON.stringify(header))}.`,
    entry,
  }
  headers[nextSlot] = prepared
  nextSlot = (nextSlot + 1) % HEADER_CACHE_SIZE
  return prepared
}

export function signJWTWith(
  backend: Backend,
  claims: Record<string, unknown>,
  key: unknown,
  options: JWTSignOptions,
): MaybePromise<string> {
  const cache = cacheable(options)
  let prepared = cache ? lookup(options) : undefined
  const header = prepared === undefined ? jwtHeader(options) : undefined
  const template = compileClaimTemplate(options)
  const payload = applyClaimTemplate(
    claims,
    template,
    currentSeconds(options.currentDate),
    backend.randomBytes,
  )
  if (prepared === undefined) {
    if (!cache)
      return compactSignWith(backend, new TextEncoder().encode(JSON.stringify(payload)), key, header!)
    // The same checks, in the same order, as compactSignWith's signParts.
    prepared = store(options, header!)
  }
  const alg = prepared.entry
  const signingInput = prepared.prefix + encodeBase64url(JSON.stringify(payload))
  const signKey = signingKey(backend, key, alg)
  const fast = backend.signToBase64url
  // node:crypto: a key and a signature synchronously, no closure per call.
  if (fast && !isPromiseLike(signKey)) return `${signingInput}.${fast(alg, signKey, signingInput)}`
  return chain(signKey, (joseKey) =>
    chain(
      backend.sign(alg, joseKey, signingInput),
      (signature) => `${signingInput}.${encodeBase64url(signature)}`,
    ),
  )
}
