/**
 * @module Unverified decoding: `decodeJWT` and `decodeProtectedHeader`. Nothing here checks a signature;
 * use them to look, never to decide.
 */
import { JOSEInputTooLarge, JWSInvalid, JWTInvalid } from '../errors.js'
import { decodeProtectedSegment } from '../jws/segments.js'
import type { JWSHeaderParameters } from '../jws/types.js'
import { decodeBase64url } from '../util/base64url.js'
import { isJsonObject } from '../util/json.js'
import { decodeClaims } from './claims.js'
import type { JWTPayload } from './types.js'

/** Decoding is for looking, not deciding: a generous 1 MiB cap, with the same typed error as verification's limit. */
const MAX_DECODE_LENGTH = 1 << 20
const tooLarge = () =>
  new JOSEInputTooLarge(`the token is over ${MAX_DECODE_LENGTH} characters, too large to decode`)

/** The claims of a compact JWT, NOT verified. */
export function decodeJWT(jwt: unknown): JWTPayload {
  if (typeof jwt !== 'string') throw new JWTInvalid('a JWT must be a string')
  if (jwt.length > MAX_DECODE_LENGTH) throw tooLarge()
  const parts = jwt.split('.')
  if (parts.length === 5)
    throw new JWTInvalid('this is an encrypted JWT (JWE): its claims cannot be read without the key')
  if (parts.length !== 3)
    throw new JWTInvalid(`a JWT has three parts separated by "."; this one has ${parts.length}`)
  const payload = decodeBase64url(parts[1]!)
  if (!payload) throw new JWTInvalid('the JWT payload is not canonical base64url')
  return decodeClaims(payload)
}

/** The protected header of a compact JWS/JWE or a flattened/general JSON object, NOT verified. */
export function decodeProtectedHeader(token: unknown): JWSHeaderParameters {
  let segment: unknown
  if (typeof token === 'string') {
    if (token.length > MAX_DECODE_LENGTH) throw tooLarge()
    segment = token.slice(0, token.indexOf('.') === -1 ? token.length : token.indexOf('.'))
  } else if (isJsonObject(token)) {
    const first = Array.isArray(token.signatures) ? token.signatures[0] : token
    segment = isJsonObject(first) ? first.protected : undefined
    if (segment === undefined && Array.isArray(token.recipients)) segment = token.protected
  }
  if (typeof segment !== 'string' || segment === '') throw new JWSInvalid('the token has no protected header')
  return decodeProtectedSegment(segment)
}
