/**
 * @module Nested JWTs (RFC 7519 §5.2, §A.2): sign, then encrypt with `cty: "JWT"`, in one call each way.
 * The inner token must be signed: an inner `alg: "none"` is refused before anything else looks at it
 * (pac4j CVE-2026-29000: an encrypted but unsigned inner JWT was accepted as authenticated).
 */
import type { JweBackend } from '../backend/jwe-types.js'
import type { MaybePromise } from '../backend/types.js'
import { JOSEAlgNotAllowed, JOSEOptionInvalid, JWTInvalid } from '../errors.js'
import { compactDecryptWith, compactEncryptWith } from '../jwe/compact.js'
import type { CompactEncryptOptions, DecryptOptions, JWEHeaderParameters } from '../jwe/types.js'
import type { JoseKey } from '../jwk/key.js'
import { decodeProtectedSegment } from '../jws/segments.js'
import type { JWSHeaderParameters, VerifyOptions } from '../jws/types.js'
import { utf8Decode } from '../util/bytes.js'
import { isJsonObject } from '../util/json.js'
import { chain } from '../util/maybe-promise.js'
import { isNestedJwt } from './encrypt-jwt.js'
import { signJWTWith } from './sign.js'
import type { ClaimOptions, JWTPayload, JWTSignOptions } from './types.js'
import { verifyJWTWith } from './verify.js'

export interface SignAndEncryptOptions {
  signingKey: unknown
  /** The JWS: `alg` and the claim options of `signJWT` (`expiresIn`, `issuer`, …). */
  sign: JWTSignOptions
  encryptionKey: unknown
  /** The JWE: `alg`, `enc` and the options of `compactEncrypt`. `cty` is always "JWT". */
  encrypt: CompactEncryptOptions
}

export interface DecryptAndVerifyOptions
  extends DecryptOptions,
    ClaimOptions,
    Pick<VerifyOptions, 'allowShortHmacKey'> {
  decryptionKey: unknown
  verificationKey: unknown
  /** The JWS algorithms accepted for the inner token (required unless its key is bound to one). */
  algorithms?: readonly string[]
}

export interface DecryptAndVerifyResult {
  payload: JWTPayload
  /** The inner JWS's protected header. */
  protectedHeader: JWSHeaderParameters
  /** The outer JWE's protected header. */
  encryptionHeader: JWEHeaderParameters
  /** The key that verified the inner signature. */
  key: JoseKey
}

export function signAndEncryptJWTWith(
  jwe: JweBackend,
  claims: Record<string, unknown>,
  options: SignAndEncryptOptions,
): MaybePromise<string> {
  if (!isJsonObject(options) || !isJsonObject(options.sign) || !isJsonObject(options.encrypt)) {
    throw new JOSEOptionInvalid(
      'signAndEncryptJWT needs { signingKey, sign: { alg }, encryptionKey, encrypt: { alg, enc } }',
    )
  }
  const encrypt = options.encrypt as CompactEncryptOptions
  return chain(signJWTWith(jwe.keys, claims, options.signingKey, options.sign as JWTSignOptions), (jws) =>
    compactEncryptWith(jwe, new TextEncoder().encode(jws), options.encryptionKey, { ...encrypt, cty: 'JWT' }),
  )
}

export function decryptAndVerifyJWTWith(
  jwe: JweBackend,
  token: unknown,
  options: DecryptAndVerifyOptions,
): MaybePromise<DecryptAndVerifyResult> {
  if (!isJsonObject(options)) {
    throw new JOSEOptionInvalid(
      'decryptAndVerifyJWT needs { decryptionKey, verificationKey, algorithms, keyManagementAlgorithms, contentEncryptionAlgorithms }',
    )
  }
  const { decryptionKey, verificationKey, ...rest } = options as DecryptAndVerifyOptions
  return chain(compactDecryptWith(jwe, token, decryptionKey, rest), ({ plaintext, protectedHeader }) => {
    if (!isNestedJwt(protectedHeader, plaintext)) {
      throw new JWTInvalid(
        'the JWE does not carry a signed JWT (no cty "JWT"); read an encrypted-only JWT with decryptJWT',
      )
    }
    const inner = utf8Decode(plaintext)?.trim()
    if (inner === undefined || inner.split('.').length !== 3)
      throw new JWTInvalid('the nested token is not a compact JWS')
    const innerHeader = decodeProtectedSegment(inner.slice(0, inner.indexOf('.')))
    if (typeof innerHeader.alg === 'string' && innerHeader.alg.toLowerCase() === 'none') {
      throw new JOSEAlgNotAllowed(
        'the nested JWT is unsigned ("alg": "none"): encryption does not authenticate it, so it is refused (pac4j CVE-2026-29000)',
      )
    }
    return chain(verifyJWTWith(jwe.keys, inner, verificationKey, rest), (verified) => ({
      payload: verified.payload,
      protectedHeader: verified.protectedHeader,
      encryptionHeader: protectedHeader,
      key: verified.key,
    }))
  })
}
