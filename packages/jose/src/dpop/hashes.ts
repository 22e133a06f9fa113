/**
 * @module The two SHA-256 values DPoP adds: `ath` (RFC 9449 §4.2, the access token's hash) and the key's
 * RFC 7638 thumbprint `jkt` (§6), computed from the canonical public JWK the proof header carries.
 */
import type { Backend, MaybePromise } from '../backend/types.js'
import { JOSEOptionInvalid } from '../errors.js'
import { encodeBase64url } from '../util/base64url.js'
import { utf8Encode } from '../util/bytes.js'
import { chain } from '../util/maybe-promise.js'

/** Longest access token hashed; a longer one is a caller's mistake (or an attack on our CPU). */
const MAX_ACCESS_TOKEN_LENGTH = 65536

/** base64url(SHA-256(ASCII(token))): the `ath` claim of a proof sent with `token`. */
export function accessTokenHashWith(backend: Backend, token: unknown): MaybePromise<string> {
  if (typeof token !== 'string' || token.length === 0 || token.length > MAX_ACCESS_TOKEN_LENGTH) {
    throw new JOSEOptionInvalid('accessToken must be a non-empty string (the access token as sent)')
  }
  return sha256Base64url(backend, token)
}

/** base64url(SHA-256(UTF-8(text))). */
export function sha256Base64url(backend: Backend, text: string): MaybePromise<string> {
  return chain(backend.digest('SHA-256', utf8Encode(text)), encodeBase64url)
}
