/**
 * @module Decoding the parts of a JWS: a protected header segment, a payload, a signature.
 * Each failure names the part, so "why was my token refused" has an answer.
 */
import { JOSEInputTooLarge, JWSInvalid } from '../errors.js'
import { decodeBase64url, encodeBase64url } from '../util/base64url.js'
import { asciiBytes, concatBytes } from '../util/bytes.js'
import { decodeHeaderSegment } from '../util/protected-header.js'
import type { JWSHeaderParameters } from './types.js'

export const DEFAULT_MAX_TOKEN_LENGTH = 65536

/** Refuses input over the limit before any parsing work (a megabyte token costs nothing to refuse). */
export function checkLength(length: number, maxTokenLength: number | undefined): void {
  const limit = maxTokenLength ?? DEFAULT_MAX_TOKEN_LENGTH
  if (length > limit) {
    throw new JOSEInputTooLarge(
      `the token is ${length} characters, over the limit of ${limit} (maxTokenLength)`,
    )
  }
}

export function decodeProtectedSegment(segment: string): JWSHeaderParameters {
  return decodeHeaderSegment(segment, JWSInvalid) as JWSHeaderParameters
}

export function decodeSignature(segment: string): Uint8Array {
  const signature = decodeBase64url(segment)
  if (!signature) throw new JWSInvalid('the signature is not canonical base64url')
  if (signature.length === 0) throw new JWSInvalid('the signature is empty')
  return signature
}

/** The payload bytes and the JWS Signing Input (RFC 7515 §5.2, RFC 7797 §3). */
export function payloadAndSigningInput(
  headerSegment: string,
  payloadSegment: string,
  b64: boolean,
  detachedPayload: Uint8Array | undefined,
): { payload: Uint8Array; signingInput: string | Uint8Array } {
  if (detachedPayload !== undefined) {
    if (!(detachedPayload instanceof Uint8Array)) throw new JWSInvalid('detachedPayload must be a Uint8Array')
    if (payloadSegment !== '') throw new JWSInvalid('detachedPayload was given but the JWS carries a payload')
    if (b64) {
      return {
        payload: detachedPayload,
        signingInput: `${headerSegment}.${encodeBase64url(detachedPayload)}`,
      }
    }
    return {
      payload: detachedPayload,
      signingInput: concatBytes(asciiBytes(`${headerSegment}.`), detachedPayload),
    }
  }
  if (b64) {
    const payload = decodeBase64url(payloadSegment)
    if (!payload) throw new JWSInvalid('the payload is not canonical base64url')
    return { payload, signingInput: `${headerSegment}.${payloadSegment}` }
  }
  const payload = new TextEncoder().encode(payloadSegment)
  return { payload, signingInput: concatBytes(asciiBytes(`${headerSegment}.`), payload) }
}
