/**
 * @module JWS General JSON Serialization (RFC 7515 §7.2.1): several signatures over one payload.
 * `generalVerify` returns the first signature that verifies with the key.
 */
import type { Backend, MaybePromise } from '../backend/types.js'
import { JOSEError, JWSInvalid, JWSSignatureInvalid } from '../errors.js'
import { shortHmacAllowed } from '../jwk/check-signing-key.js'
import { isJsonObject } from '../util/json.js'
import { isPromiseLike } from '../util/maybe-promise.js'
import { jwsAllowList } from './allow-list.js'
import { checkJsonLength, type ParsedSignature, parseSignatureEntry, resultOf } from './flattened.js'
import { signParts } from './sign-core.js'
import type { GeneralJWS, GeneralVerifyResult, JWSHeaderParameters, VerifyOptions } from './types.js'
import { verifySignature } from './verify-signature.js'

/** More signatures than this is not a real use; refusing bounds the work an attacker can ask for. */
const MAX_SIGNATURES = 16

export interface GeneralSigner {
  key: unknown
  protectedHeader?: JWSHeaderParameters
  header?: JWSHeaderParameters
}

export async function generalSignWith(
  backend: Backend,
  payload: Uint8Array,
  signers: readonly GeneralSigner[],
): Promise<GeneralJWS> {
  if (!Array.isArray(signers) || signers.length === 0)
    throw new JWSInvalid('generalSign needs at least one signer')
  let payloadSegment: string | undefined
  const signatures: GeneralJWS['signatures'] = []
  for (const signer of signers) {
    const parts = await signParts(backend, payload, signer.key, signer.protectedHeader, signer.header)
    if (payloadSegment !== undefined && payloadSegment !== parts.payload) {
      throw new JWSInvalid('all signatures of a general JWS must use the same "b64" mode')
    }
    payloadSegment = parts.payload
    const entry: GeneralJWS['signatures'][number] = { signature: parts.signature }
    if (parts.protected) entry.protected = parts.protected
    if (signer.header) entry.header = { ...signer.header }
    signatures.push(entry)
  }
  return { payload: payloadSegment!, signatures }
}

function parseGeneral(jws: unknown, options: VerifyOptions): ParsedSignature[] {
  if (!isJsonObject(jws)) throw new JWSInvalid('a general JWS must be a JSON object')
  if (!Array.isArray(jws.signatures)) throw new JWSInvalid('a general JWS needs a "signatures" array')
  if (jws.signatures.length === 0) throw new JWSInvalid('the "signatures" array is empty')
  if (jws.signatures.length > MAX_SIGNATURES) {
    throw new JWSInvalid(
      `the JWS has ${jws.signatures.length} signatures; at most ${MAX_SIGNATURES} are accepted`,
    )
  }
  checkJsonLength(jws, options)
  const parsed = jws.signatures.map((entry) => parseSignatureEntry(entry, jws.payload, options))
  if (parsed.some((entry) => entry.b64 !== parsed[0]!.b64)) {
    throw new JWSInvalid('the signatures disagree on "b64": one payload cannot be both encoded and not')
  }
  return parsed
}

export function generalVerifyWith(
  backend: Backend,
  jws: unknown,
  key: unknown,
  options: VerifyOptions = {},
): MaybePromise<GeneralVerifyResult> {
  const allowed = jwsAllowList(options.algorithms, key)
  const allowShort = shortHmacAllowed(options)
  const entries = parseGeneral(jws, options)
  let firstError: unknown
  const attempt = (index: number): MaybePromise<GeneralVerifyResult> => {
    if (index === entries.length) throw firstError ?? new JWSSignatureInvalid()
    const entry = entries[index]!
    const onError = (error: unknown): MaybePromise<GeneralVerifyResult> => {
      if (!(error instanceof JOSEError)) throw error
      firstError ??= error
      return attempt(index + 1)
    }
    try {
      const outcome = verifySignature(
        backend,
        allowed,
        entry.alg,
        key,
        entry.joinedHeader,
        jws,
        entry.signingInput,
        entry.signature,
        allowShort,
      )
      return isPromiseLike(outcome)
        ? Promise.resolve(outcome).then((verifiedKey) => resultOf(entry, verifiedKey), onError)
        : resultOf(entry, outcome)
    } catch (error) {
      return onError(error)
    }
  }
  return attempt(0)
}
