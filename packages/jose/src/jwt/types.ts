/**
 * @module JWT shapes (RFC 7519): the claims set and the options of signing and verification.
 */
import type { JoseKey } from '../jwk/key.js'
import type { JWSHeaderParameters, VerifyOptions } from '../jws/types.js'

export interface JWTPayload {
  iss?: string
  sub?: string
  aud?: string | string[]
  exp?: number
  nbf?: number
  iat?: number
  jti?: string
  [claim: string]: unknown
}

/** A span: seconds as a number, or a string such as "30s", "15m", "2h", "7d". */
export type Span = number | string

export interface ClaimOptions {
  /** Accepted `iss` value(s). */
  issuer?: string | readonly string[]
  /** Accepted `aud` value(s): the token's `aud` must contain at least one. */
  audience?: string | readonly string[]
  /** Required `sub` value. */
  subject?: string
  /** Required `typ` header (compared as RFC 7515 §4.1.9 says: case-insensitive, "application/" optional). */
  typ?: string
  /** Leeway for `exp`, `nbf` and `iat` (default 0). */
  clockTolerance?: Span
  /** Largest accepted age since `iat` (makes `iat` required). */
  maxTokenAge?: Span
  /** Claims that must be present. */
  requiredClaims?: readonly string[]
  /** The time to check against (default: now). */
  currentDate?: Date
}

export interface JWTVerifyOptions
  extends ClaimOptions,
    Pick<VerifyOptions, 'algorithms' | 'crit' | 'maxTokenLength' | 'allowShortHmacKey'> {}

export interface JWTVerifyResult<Payload = JWTPayload> {
  payload: Payload & JWTPayload
  protectedHeader: JWSHeaderParameters
  key: JoseKey
}

export interface JWTSignOptions {
  alg: string
  kid?: string
  typ?: string
  cty?: string
  /** More protected header parameters (`alg`, `kid`, `typ`, `cty` above take precedence). */
  header?: JWSHeaderParameters
  /** Sets `exp` to now + span (or to this NumericDate / Date when given as one). */
  expiresIn?: Span
  expiresAt?: number | Date
  /** Sets `nbf` to now + span. */
  notBefore?: Span
  issuer?: string
  audience?: string | string[]
  subject?: string
  /** `true` for a random 128-bit `jti`, or the value to use. */
  jti?: boolean | string
  /** `true` (the default) sets `iat` to now; a number sets it; `false` leaves it out. */
  iat?: boolean | number
  currentDate?: Date
}
