/**
 * @module `verifyJWT`: a compact JWS whose payload is a claims set, signature and claims checked.
 */
import type { Backend, MaybePromise } from '../backend/types.js'
import { JWTInvalid } from '../errors.js'
import { jwsAllowList } from '../jws/allow-list.js'
import { parseCompactJws } from '../jws/compact.js'
import { verifySignature } from '../jws/verify-signature.js'
import { chain } from '../util/maybe-promise.js'
import { checkClaims, compileClaimPolicy, decodeClaims } from './claims.js'
import type { JWTVerifyOptions, JWTVerifyResult } from './types.js'

export function verifyJWTWith(
  backend: Backend,
  jwt: unknown,
  key: unknown,
  options: JWTVerifyOptions = {},
): MaybePromise<JWTVerifyResult> {
  const policy = compileClaimPolicy(options)
  const allowed = jwsAllowList(options.algorithms, key)
  const parsed = parseCompactJws(jwt, options, allowed)
  if (!parsed.b64) throw new JWTInvalid('a JWT cannot use an unencoded payload ("b64": false, RFC 7797 §7)')
  return chain(
    verifySignature(
      backend,
      allowed,
      parsed.alg,
      key,
      parsed.protectedHeader,
      jwt,
      parsed.signingInput,
      parsed.signature,
    ),
    (verifiedKey) => {
      const payload = decodeClaims(parsed.payload)
      checkClaims(policy, payload, parsed.protectedHeader.typ)
      return { payload, protectedHeader: parsed.protectedHeader, key: verifiedKey }
    },
  )
}
