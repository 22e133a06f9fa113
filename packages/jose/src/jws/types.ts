/**
 * @module JWS shapes: headers, the three serializations, and what verification returns.
 */
import type { JoseKey } from '../jwk/key.js'
import type { JWK } from '../jwk/types.js'

export interface JWSHeaderParameters {
  alg?: string
  kid?: string
  typ?: string
  cty?: string
  crit?: string[]
  b64?: boolean
  jku?: string
  jwk?: JWK
  x5u?: string
  x5c?: string[]
  x5t?: string
  'x5t#S256'?: string
  [parameter: string]: unknown
}

export interface FlattenedJWS {
  protected?: string
  header?: JWSHeaderParameters
  payload: string
  signature: string
}

export interface GeneralJWS {
  payload: string
  signatures: Array<{ protected?: string; header?: JWSHeaderParameters; signature: string }>
}

export interface VerifyOptions {
  /** The algorithms you accept. Required unless the key itself is bound to exactly one `alg`. */
  algorithms?: readonly string[]
  /** Extension names you understand in `crit` (besides `b64`, which is built in). */
  crit?: Readonly<Record<string, boolean>>
  /** RFC 7515 App. F: the payload of a detached JWS, whose payload segment is empty. */
  detachedPayload?: Uint8Array
  /** Refuse serialized input longer than this many characters before parsing (default 65536). */
  maxTokenLength?: number
  /**
   * DANGEROUS, opt-in: verify HMAC (HS256/384/512) signatures made with a secret shorter than the hash
   * (RFC 7518 §3.2 requires at least as many bytes), such as jwt.io's demo `your-256-bit-secret` (19 bytes).
   * A short secret can be brute-forced from one token, so a token it verifies proves little: use this only
   * to inspect tokens (a debugger), never to authenticate requests. Only `true` enables it; an empty
   * secret is still refused, and no signing function has such an option.
   */
  allowShortHmacKey?: boolean
}

export interface CompactVerifyResult {
  payload: Uint8Array
  protectedHeader: JWSHeaderParameters
  /** The key that verified the signature (useful with a key set). */
  key: JoseKey
}

export interface FlattenedVerifyResult extends CompactVerifyResult {
  /** The signature's unprotected `header` member, when it has one. */
  header?: JWSHeaderParameters
}

export type GeneralVerifyResult = FlattenedVerifyResult

export interface SignOptions {
  /** RFC 7515 App. F: leave the payload out of the serialization (the verifier supplies it). */
  detached?: boolean
}
