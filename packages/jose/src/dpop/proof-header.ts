/**
 * @module The protected header of a DPoP proof (RFC 9449 §4.2, §4.3 checks 4–7): `typ` exactly `dpop+jwt`,
 * an asymmetric `alg`, and a `jwk` that is a public key fitting that `alg`, imported and thumbprinted.
 * The result depends on the segment text alone, so it is cached by it (util/segment-cache.ts says why that
 * is safe); the caller's allow-list is checked on every proof, outside the cache.
 */
import { type JwsAlgorithm, jwsAlgorithm } from '../alg/jws-algorithms.js'
import type { Backend, MaybePromise } from '../backend/types.js'
import { DPoPProofInvalid } from '../errors.js'
import { checkSigningKey } from '../jwk/check-signing-key.js'
import type { JoseKey } from '../jwk/key.js'
import { importCheckedJwk } from '../jwk/key-input.js'
import { thumbprintInput } from '../jwk/thumbprint.js'
import type { JWK } from '../jwk/types.js'
import { checkJwsHeader } from '../jws/header.js'
import { deepFreeze } from '../util/freeze.js'
import { isJsonObject } from '../util/json.js'
import { chain } from '../util/maybe-promise.js'
import { decodeHeaderSegment } from '../util/protected-header.js'
import { SegmentCache } from '../util/segment-cache.js'
import { sha256Base64url } from './hashes.js'
import { underCheck } from './proof-errors.js'
import type { DPoPProofHeader } from './types.js'

export interface ProofHeader {
  header: DPoPProofHeader
  alg: JwsAlgorithm
  key: JoseKey
  jkt: string
}

/** JWK members that carry private or secret key material (RFC 7518 §6.2.2, §6.3.2, §6.4; RFC 8037 §2). */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const
const ASYMMETRIC_KTY = new Set(['EC', 'OKP', 'RSA'])

function checkedAlg(alg: string): JwsAlgorithm {
  const entry = jwsAlgorithm(alg)
  if (!entry || entry.family === 'hmac') {
    throw new DPoPProofInvalid(
      `a DPoP proof must be signed with an asymmetric algorithm, not "${alg.slice(0, 32)}" (RFC 9449 §4.3)`,
      'alg',
    )
  }
  return entry
}

function checkedJwk(jwk: unknown): JWK {
  if (!isJsonObject(jwk))
    throw new DPoPProofInvalid('the DPoP proof header has no "jwk" (the public key) object', 'jwk')
  for (const member of PRIVATE_MEMBERS) {
    if (Object.hasOwn(jwk, member)) {
      throw new DPoPProofInvalid(
        `the DPoP proof's "jwk" holds the private member "${member}": send only the public key`,
        'jwk',
      )
    }
  }
  if (typeof jwk.kty !== 'string' || !ASYMMETRIC_KTY.has(jwk.kty)) {
    throw new DPoPProofInvalid('the DPoP proof\'s "jwk" must be an EC, OKP or RSA public key', 'jwk')
  }
  return jwk as JWK
}

function decodeProofHeader(backend: Backend, segment: string): MaybePromise<ProofHeader> {
  const decoded = decodeHeaderSegment(segment, DPoPProofInvalid)
  underCheck('header', () => checkJwsHeader(decoded, undefined, undefined))
  if (decoded.typ !== 'dpop+jwt')
    throw new DPoPProofInvalid('a DPoP proof\'s header must say "typ": "dpop+jwt"', 'typ')
  if (decoded.b64 !== undefined) throw new DPoPProofInvalid('a DPoP proof cannot use "b64"', 'proof')
  const alg = checkedAlg(decoded.alg as string)
  const jwk = checkedJwk(decoded.jwk)
  const header = deepFreeze(decoded) as unknown as DPoPProofHeader
  return underCheck('jwk', () =>
    chain(importCheckedJwk(backend, jwk, alg.name), (key) => {
      checkSigningKey(key, alg, 'verify')
      return chain(sha256Base64url(backend, thumbprintInput(jwk)), (jkt) => ({ header, alg, key, jkt }))
    }),
  )
}

/**
 * One entry per client key a server sees within a while (~1.5 kB each with its imported key): a returning
 * client's proof skips the JWK import and thumbprint, which are ~70 % of a verify (3.5× slower on a miss,
 * measured on Node with ES256). Past this many keys the cache is cleared and refilled (segment-cache.ts).
 */
const HEADER_CACHE_SIZE = 512
const caches = new WeakMap<Backend, SegmentCache<MaybePromise<ProofHeader>>>()

/** The checked header of a proof, its key and thumbprint (cached per backend by segment text). */
export function proofHeaderOf(backend: Backend, segment: string): MaybePromise<ProofHeader> {
  let cache = caches.get(backend)
  if (!cache) {
    cache = new SegmentCache(HEADER_CACHE_SIZE)
    caches.set(backend, cache)
  }
  return cache.get(segment, (text) => decodeProofHeader(backend, text))
}
