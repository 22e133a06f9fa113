/**
 * @module `verifyJWT`: a compact JWS whose payload is a claims set, signature and claims checked.
 *
 * Stateless, so options come with every call; what repeats is cached where a hit is exactly the decision a
 * fresh computation would make: the checked protected header by its segment text (jws/header-cache.ts), the
 * allow-list by algorithm names (jws/allow-list.ts). With one key (not a resolver) on a backend that
 * verifies base64url directly (node:crypto), the signature is verified as its segment, as `createVerifier`
 * does: HMAC never decodes it (measured ≈ 5 % of an HS256 verify).
 */
import type { Backend, MaybePromise } from '../backend/types.js'
import { JWSSignatureInvalid, JWTInvalid } from '../errors.js'
import { checkSigningKey, shortHmacAllowed } from '../jwk/check-signing-key.js'
import type { JoseKey } from '../jwk/key.js'
import { toJoseKey } from '../jwk/key-input.js'
import { jwsAllowList, pickAllowed } from '../jws/allow-list.js'
import { type ParsedCompactJws, parseCompactJws } from '../jws/compact.js'
import { decodeSignature } from '../jws/segments.js'
import { verifySignature } from '../jws/verify-signature.js'
import { chain } from '../util/maybe-promise.js'
import { type ClaimPolicy, checkClaims, compileClaimPolicy, decodeClaims } from './claims.js'
import type { JWTVerifyOptions, JWTVerifyResult } from './types.js'

function result(policy: ClaimPolicy, parsed: ParsedCompactJws, key: JoseKey): JWTVerifyResult {
  const payload = decodeClaims(parsed.payload)
  checkClaims(policy, payload, parsed.protectedHeader.typ)
  return { payload, protectedHeader: parsed.protectedHeader, key }
}

export function verifyJWTWith(
  backend: Backend,
  jwt: unknown,
  key: unknown,
  options: JWTVerifyOptions = {},
): MaybePromise<JWTVerifyResult> {
  const policy = compileClaimPolicy(options)
  const allowed = jwsAllowList(options.algorithms, key)
  const allowShort = shortHmacAllowed(options)
  const fast = typeof key === 'function' ? undefined : backend.verifyBase64url
  const parsed = parseCompactJws(jwt, options, allowed, fast === undefined)
  if (!parsed.b64) throw new JWTInvalid('a JWT cannot use an unencoded payload ("b64": false, RFC 7797 §7)')
  if (fast !== undefined && typeof parsed.signingInput === 'string') {
    const signingInput = parsed.signingInput
    const entry = pickAllowed(allowed, parsed.alg)
    return chain(toJoseKey(backend, key), (joseKey) => {
      checkSigningKey(joseKey, entry, 'verify', allowShort)
      if (!fast(entry, joseKey, signingInput, parsed.signatureSegment)) {
        // Only a failure decodes the segment, so a malformed one is still reported as JWSInvalid.
        decodeSignature(parsed.signatureSegment)
        throw new JWSSignatureInvalid()
      }
      return result(policy, parsed, joseKey)
    })
  }
  const signature = fast === undefined ? parsed.signature : decodeSignature(parsed.signatureSegment)
  return chain(
    verifySignature(
      backend,
      allowed,
      parsed.alg,
      key,
      parsed.protectedHeader,
      jwt,
      parsed.signingInput,
      signature,
      allowShort,
    ),
    (verifiedKey) => result(policy, parsed, verifiedKey),
  )
}
