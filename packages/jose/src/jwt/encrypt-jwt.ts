/**
 * @module `encryptJWT` and `decryptJWT`: a claims set as the plaintext of a compact JWE (RFC 7519 §5),
 * with the same claim checks as `verifyJWT`. Decryption is not authentication of an inner token:
 * a plaintext that is itself a JWT is refused here and read with `decryptAndVerifyJWT`.
 */
import type { JweBackend } from '../backend/jwe-types.js'
import type { MaybePromise } from '../backend/types.js'
import { JWTInvalid } from '../errors.js'
import { compactDecryptWith, compactEncryptWith } from '../jwe/compact.js'
import type { CompactEncryptOptions, DecryptOptions, JWEHeaderParameters } from '../jwe/types.js'
import { utf8Decode } from '../util/bytes.js'
import { currentSeconds } from '../util/duration.js'
import { chain } from '../util/maybe-promise.js'
import { applyClaimTemplate, compileClaimTemplate } from './build-claims.js'
import { checkClaims, compileClaimPolicy, decodeClaims, normalizeTyp } from './claims.js'
import type { ClaimOptions, JWTPayload, JWTSignOptions } from './types.js'

export type JWTEncryptOptions = CompactEncryptOptions &
  Omit<JWTSignOptions, 'alg' | 'kid' | 'typ' | 'cty' | 'header'>

export interface JWTDecryptOptions extends DecryptOptions, ClaimOptions {}

export interface JWTDecryptResult<Payload = JWTPayload> {
  payload: Payload & JWTPayload
  protectedHeader: JWEHeaderParameters
}

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/

/** Whether a JWE's header or plaintext says it carries another JWT (RFC 7519 §5.2 `cty`). */
export function isNestedJwt(header: JWEHeaderParameters, plaintext: Uint8Array): boolean {
  if (typeof header.cty === 'string' && normalizeTyp(header.cty) === 'jwt') return true
  const text = plaintext.length < 4 * 1024 * 1024 ? utf8Decode(plaintext) : undefined
  return text !== undefined && COMPACT_JWS.test(text.trim())
}

export function encryptJWTWith(
  jwe: JweBackend,
  claims: Record<string, unknown>,
  key: unknown,
  options: JWTEncryptOptions,
): MaybePromise<string> {
  const template = compileClaimTemplate({ ...options, alg: options?.alg } as JWTSignOptions)
  const payload = applyClaimTemplate(
    claims,
    template,
    currentSeconds(options.currentDate),
    jwe.keys.randomBytes,
  )
  return compactEncryptWith(jwe, new TextEncoder().encode(JSON.stringify(payload)), key, options)
}

export function decryptJWTWith(
  jwe: JweBackend,
  token: unknown,
  key: unknown,
  options: JWTDecryptOptions,
): MaybePromise<JWTDecryptResult> {
  const policy = compileClaimPolicy(options ?? {})
  return chain(compactDecryptWith(jwe, token, key, options), ({ plaintext, protectedHeader }) => {
    if (isNestedJwt(protectedHeader, plaintext)) {
      throw new JWTInvalid(
        'the JWE carries a nested JWT; decryption alone does not authenticate it: use decryptAndVerifyJWT',
      )
    }
    const payload = decodeClaims(plaintext)
    checkClaims(policy, payload, protectedHeader.typ)
    return { payload, protectedHeader }
  })
}
