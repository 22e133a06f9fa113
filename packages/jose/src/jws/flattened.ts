/**
 * @module JWS Flattened JSON Serialization (RFC 7515 §7.2.2): `flattenedSign` and `flattenedVerify`.
 */
import type { Backend, MaybePromise } from '../backend/types.js'
import { JWSInvalid } from '../errors.js'
import { shortHmacAllowed } from '../jwk/check-signing-key.js'
import { isJsonObject } from '../util/json.js'
import { chain } from '../util/maybe-promise.js'
import { jwsAllowList } from './allow-list.js'
import { checkJwsHeader } from './header.js'
import { checkLength, decodeProtectedSegment, decodeSignature, payloadAndSigningInput } from './segments.js'
import { signParts } from './sign-core.js'
import type {
  FlattenedJWS,
  FlattenedVerifyResult,
  JWSHeaderParameters,
  SignOptions,
  VerifyOptions,
} from './types.js'
import { verifySignature } from './verify-signature.js'

export function flattenedSignWith(
  backend: Backend,
  payload: Uint8Array,
  key: unknown,
  protectedHeader: JWSHeaderParameters | undefined,
  unprotectedHeader?: JWSHeaderParameters,
  options: SignOptions = {},
): MaybePromise<FlattenedJWS> {
  return chain(signParts(backend, payload, key, protectedHeader, unprotectedHeader), (parts) => {
    const jws: FlattenedJWS = { payload: options.detached ? '' : parts.payload, signature: parts.signature }
    if (parts.protected) jws.protected = parts.protected
    if (unprotectedHeader) jws.header = { ...unprotectedHeader }
    return jws
  })
}

export interface ParsedSignature {
  protectedHeader: JWSHeaderParameters | undefined
  unprotectedHeader: JWSHeaderParameters | undefined
  joinedHeader: JWSHeaderParameters
  alg: string
  b64: boolean
  payload: Uint8Array
  signingInput: string | Uint8Array
  signature: Uint8Array
}

/** Checks and decodes one `{ protected, header, signature }` entry over a payload segment. */
export function parseSignatureEntry(
  entry: unknown,
  payloadSegment: unknown,
  options: VerifyOptions,
): ParsedSignature {
  if (!isJsonObject(entry)) throw new JWSInvalid('a JWS signature entry must be a JSON object')
  if (typeof payloadSegment !== 'string') throw new JWSInvalid('the JWS "payload" member must be a string')
  const { protected: protectedSegment, header, signature } = entry
  if (protectedSegment === undefined && header === undefined) {
    throw new JWSInvalid('a JWS needs a "protected" or "header" member')
  }
  if (protectedSegment !== undefined && typeof protectedSegment !== 'string') {
    throw new JWSInvalid('the JWS "protected" member must be a string')
  }
  if (header !== undefined && !isJsonObject(header))
    throw new JWSInvalid('the JWS "header" member must be an object')
  if (typeof signature !== 'string') throw new JWSInvalid('the JWS "signature" member must be a string')
  const protectedHeader =
    protectedSegment === undefined ? undefined : decodeProtectedSegment(protectedSegment)
  const unprotectedHeader = header as JWSHeaderParameters | undefined
  const checked = checkJwsHeader(protectedHeader, unprotectedHeader, options.crit)
  const { payload, signingInput } = payloadAndSigningInput(
    protectedSegment ?? '',
    payloadSegment,
    checked.b64,
    options.detachedPayload,
  )
  return {
    protectedHeader,
    unprotectedHeader,
    joinedHeader: { ...unprotectedHeader, ...protectedHeader },
    alg: checked.alg,
    b64: checked.b64,
    payload,
    signingInput,
    signature: decodeSignature(signature),
  }
}

/** The size limit for a JSON serialization, measured on its members before any decoding. */
export function checkJsonLength(jws: Record<string, unknown>, options: VerifyOptions): void {
  let length = 0
  for (const value of Object.values(jws)) if (typeof value === 'string') length += value.length
  if (Array.isArray(jws.signatures)) {
    for (const entry of jws.signatures) {
      if (isJsonObject(entry)) {
        for (const value of Object.values(entry)) if (typeof value === 'string') length += value.length
      }
    }
  }
  checkLength(length, options.maxTokenLength)
}

export function resultOf(parsed: ParsedSignature, key: FlattenedVerifyResult['key']): FlattenedVerifyResult {
  const result: FlattenedVerifyResult = {
    payload: parsed.payload,
    protectedHeader: parsed.protectedHeader ?? {},
    key,
  }
  if (parsed.unprotectedHeader) result.header = parsed.unprotectedHeader
  return result
}

export function flattenedVerifyWith(
  backend: Backend,
  jws: unknown,
  key: unknown,
  options: VerifyOptions = {},
): MaybePromise<FlattenedVerifyResult> {
  if (!isJsonObject(jws)) throw new JWSInvalid('a flattened JWS must be a JSON object')
  if (jws.signatures !== undefined)
    throw new JWSInvalid('this is a general JWS (it has "signatures"): use generalVerify')
  const allowed = jwsAllowList(options.algorithms, key)
  const allowShort = shortHmacAllowed(options)
  checkJsonLength(jws, options)
  const parsed = parseSignatureEntry(jws, jws.payload, options)
  return chain(
    verifySignature(
      backend,
      allowed,
      parsed.alg,
      key,
      parsed.joinedHeader,
      jws,
      parsed.signingInput,
      parsed.signature,
      allowShort,
    ),
    (verifiedKey) => resultOf(parsed, verifiedKey),
  )
}
