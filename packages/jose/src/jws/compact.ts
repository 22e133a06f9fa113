/**
 * @module JWS Compact Serialization (RFC 7515 §7.1): `compactSign` and `compactVerify`.
 */
import type { Backend, MaybePromise } from '../backend/types.js'
import { JWSInvalid } from '../errors.js'
import { shortHmacAllowed } from '../jwk/check-signing-key.js'
import { decodeBase64url } from '../util/base64url.js'
import { chain } from '../util/maybe-promise.js'
import { type AllowList, jwsAllowList, pickAllowed } from './allow-list.js'
import { compactHeader } from './header-cache.js'
import { checkLength, decodeSignature, payloadAndSigningInput } from './segments.js'
import { signParts } from './sign-core.js'
import type { CompactVerifyResult, JWSHeaderParameters, SignOptions, VerifyOptions } from './types.js'
import { verifySignature } from './verify-signature.js'

export function compactSignWith(
  backend: Backend,
  payload: Uint8Array,
  key: unknown,
  protectedHeader: JWSHeaderParameters,
  options: SignOptions = {},
): MaybePromise<string> {
  if (protectedHeader === undefined) throw new JWSInvalid('compactSign needs a protected header with "alg"')
  return chain(signParts(backend, payload, key, protectedHeader, undefined), (parts) => {
    if (!options.detached && protectedHeader.b64 === false && parts.payload.includes('.')) {
      throw new JWSInvalid(
        'an unencoded (b64: false) payload containing "." cannot be compact-serialized; detach it',
      )
    }
    return `${parts.protected}.${options.detached ? '' : parts.payload}.${parts.signature}`
  })
}

export interface ParsedCompactJws {
  protectedHeader: JWSHeaderParameters
  alg: string
  b64: boolean
  payload: Uint8Array
  signingInput: string | Uint8Array
  /** Decoded unless the caller asked for the segment only (then empty: see `signatureSegment`). */
  signature: Uint8Array
  signatureSegment: string
}

const NO_SIGNATURE = new Uint8Array(0)

function decodePayload(segment: string): Uint8Array {
  const payload = decodeBase64url(segment)
  if (!payload) throw new JWSInvalid('the payload is not canonical base64url')
  return payload
}

/**
 * Splits, decodes and checks a compact JWS; no key involved yet. With `decodeSignature` false the signature
 * is left as its segment, for a backend that verifies base64url directly (`verifyBase64url`), which must
 * then decode it after a failed verification so a malformed segment is still reported as ERR_JWS_INVALID.
 */
export function parseCompactJws(
  jws: unknown,
  options: VerifyOptions,
  allowed?: AllowList,
  decodeSignatureNow = true,
): ParsedCompactJws {
  const text = jws instanceof Uint8Array ? new TextDecoder().decode(jws) : jws
  if (typeof text !== 'string') throw new JWSInvalid('a compact JWS must be a string')
  checkLength(text.length, options.maxTokenLength)
  const first = text.indexOf('.')
  const second = first === -1 ? -1 : text.indexOf('.', first + 1)
  if (second === -1 || text.indexOf('.', second + 1) !== -1) {
    const parts = text.split('.').length
    throw new JWSInvalid(
      parts === 5
        ? 'this is a JWE (five parts), not a JWS: decrypt it with compactDecrypt / decryptJWT'
        : `a compact JWS has three parts separated by "."; this one has ${parts}`,
    )
  }
  const headerSegment = text.slice(0, first)
  const payloadSegment = text.slice(first + 1, second)
  // Cached by the segment's exact text (jws/header-cache.ts): the header object is frozen and shared.
  const checked = compactHeader(headerSegment, options.crit)
  const protectedHeader = checked.protectedHeader
  // The allow-list speaks before the signature is even decoded: `alg: none` with its empty signature is
  // refused as an algorithm, not as a malformed token.
  if (allowed) pickAllowed(allowed, checked.alg)
  const signatureSegment = text.slice(second + 1)
  const signature = decodeSignatureNow ? decodeSignature(signatureSegment) : NO_SIGNATURE
  // The common case slices the signing input out of the token instead of concatenating a copy of it.
  const { payload, signingInput } =
    checked.b64 && options.detachedPayload === undefined
      ? { payload: decodePayload(payloadSegment), signingInput: text.slice(0, second) }
      : payloadAndSigningInput(headerSegment, payloadSegment, checked.b64, options.detachedPayload)
  return {
    protectedHeader,
    alg: checked.alg,
    b64: checked.b64,
    payload,
    signingInput,
    signature,
    signatureSegment,
  }
}

export function compactVerifyWith(
  backend: Backend,
  jws: unknown,
  key: unknown,
  options: VerifyOptions = {},
): MaybePromise<CompactVerifyResult> {
  const allowed = jwsAllowList(options.algorithms, key)
  const allowShort = shortHmacAllowed(options)
  const parsed = parseCompactJws(jws, options, allowed)
  return chain(
    verifySignature(
      backend,
      allowed,
      parsed.alg,
      key,
      parsed.protectedHeader,
      jws,
      parsed.signingInput,
      parsed.signature,
      allowShort,
    ),
    (verifiedKey) => ({ payload: parsed.payload, protectedHeader: parsed.protectedHeader, key: verifiedKey }),
  )
}
