/**
 * @module The one encryption pipeline every serialization uses (RFC 7516 §5.1): check the headers,
 * settle the CEK, run key management per recipient, place the key-management parameters, then
 * compress and encrypt the content with the protected header (and `aad`) as AAD.
 */
import {
  type ContentEncryptionAlgorithm,
  contentEncryptionAlgorithm,
  type KeyManagementAlgorithm,
  keyManagementAlgorithm,
} from '../alg/jwe-algorithms.js'
import type { JweBackend } from '../backend/jwe-types.js'
import type { MaybePromise } from '../backend/types.js'
import { JOSENotSupported, JOSEOptionInvalid, JWEInvalid } from '../errors.js'
import { encodeBase64url } from '../util/base64url.js'
import { asciiBytes } from '../util/bytes.js'
import { isJsonObject } from '../util/json.js'
import { chain } from '../util/maybe-promise.js'
import { compress } from './compression.js'
import { encryptContent } from './content.js'
import { checkJweHeader } from './header.js'
import { encryptKey } from './key-encrypt.js'
import type { FixedValues, JWEHeaderParameters, KeyManagementOptions } from './types.js'

/** Where a recipient's key-management parameters (`epk`, `p2s`, `iv`, …) are written. */
export type ParamsTarget = 'protected' | 'unprotected' | 'header'

export interface RecipientSpec {
  key: unknown
  header: JWEHeaderParameters | undefined
  keyManagement: KeyManagementOptions | undefined
  paramsTo: ParamsTarget
}

export interface EncryptedParts {
  protected: string
  protectedHeader: JWEHeaderParameters | undefined
  unprotected: JWEHeaderParameters | undefined
  recipients: Array<{ header: JWEHeaderParameters | undefined; encryptedKey: string }>
  iv: string
  ciphertext: string
  tag: string
  aad: string | undefined
}

/** More recipients than this is not a real use; each one costs a key operation. */
export const MAX_RECIPIENTS = 16

/** The CEK placeholder for direct key agreement, replaced by the key management's result. */
const NO_CEK = new Uint8Array(0)

function headerObject(value: unknown, what: string): JWEHeaderParameters | undefined {
  if (value === undefined) return undefined
  if (!isJsonObject(value)) throw new JOSEOptionInvalid(`${what} must be an object`)
  return { ...(value as JWEHeaderParameters) }
}

function entries(
  alg: unknown,
  enc: unknown,
): { alg: KeyManagementAlgorithm; enc: ContentEncryptionAlgorithm } {
  const algEntry = keyManagementAlgorithm(alg)
  if (!algEntry)
    throw new JOSENotSupported(
      `"alg": "${String(alg).slice(0, 32)}" is not a JWE algorithm this library implements`,
    )
  const encEntry = contentEncryptionAlgorithm(enc)
  if (!encEntry)
    throw new JOSENotSupported(
      `"enc": "${String(enc).slice(0, 32)}" is not a JWE content encryption algorithm`,
    )
  return { alg: algEntry, enc: encEntry }
}

export function encryptParts(
  jwe: JweBackend,
  plaintext: Uint8Array,
  protectedInput: JWEHeaderParameters | undefined,
  unprotectedInput: JWEHeaderParameters | undefined,
  recipientSpecs: readonly RecipientSpec[],
  aad: Uint8Array | undefined,
  fixed: FixedValues = {},
): MaybePromise<EncryptedParts> {
  if (!(plaintext instanceof Uint8Array)) throw new JOSEOptionInvalid('the plaintext must be a Uint8Array')
  if (aad !== undefined && !(aad instanceof Uint8Array))
    throw new JOSEOptionInvalid('aad must be a Uint8Array')
  if (recipientSpecs.length === 0) throw new JWEInvalid('a JWE needs at least one recipient')
  if (recipientSpecs.length > MAX_RECIPIENTS)
    throw new JWEInvalid(`a JWE may have at most ${MAX_RECIPIENTS} recipients`)
  const protectedHeader = headerObject(protectedInput, 'the protected header')
  const unprotected = headerObject(unprotectedInput, 'the shared unprotected header')
  // The sender understands its own `crit` names.
  const ownCrit = Object.fromEntries(
    (Array.isArray(protectedHeader?.crit) ? protectedHeader.crit : []).map((name) => [String(name), true]),
  )
  const plan = recipientSpecs.map((spec) => {
    const header = headerObject(spec.header, "a recipient's header")
    const checked = checkJweHeader(protectedHeader, unprotected, header, ownCrit)
    return { spec, header, checked, ...entries(checked.alg, checked.enc) }
  })
  const enc = plan[0]!.enc
  if (plan.some((entry) => entry.enc !== enc))
    throw new JWEInvalid('every recipient of one JWE must use the same "enc"')
  if (plan.length > 1 && plan.some((entry) => entry.alg.direct)) {
    throw new JWEInvalid(
      '"dir" and "ECDH-ES" determine the CEK from the key, so they allow exactly one recipient',
    )
  }
  const zip = plan[0]!.checked.zip
  // `dir` and `ECDH-ES` take the CEK from the key (one recipient, checked above): drawing one to throw it
  // away was a third of a `dir` encrypt (profile in docs/benchmarks.md).
  const cek = fixed.cek ?? (plan[0]!.alg.direct ? NO_CEK : jwe.keys.randomBytes(enc.cekBytes))
  const state: EncryptState = {
    jwe,
    plaintext,
    aad,
    fixed,
    plan,
    enc,
    zip,
    cek,
    protectedHeader,
    unprotected,
    recipients: [],
  }
  return encryptStep(state, 0)
}

/**
 * The pipeline's state, threaded through module-level steps rather than closures made per call (named
 * closures are also re-labelled per call under tsx's keepNames, which showed in the `dir` profile).
 */
interface EncryptState {
  jwe: JweBackend
  plaintext: Uint8Array
  aad: Uint8Array | undefined
  fixed: FixedValues
  plan: ReadonlyArray<{
    spec: RecipientSpec
    header: JWEHeaderParameters | undefined
    alg: KeyManagementAlgorithm
  }>
  enc: ContentEncryptionAlgorithm
  zip: boolean
  cek: Uint8Array
  protectedHeader: JWEHeaderParameters | undefined
  unprotected: JWEHeaderParameters | undefined
  recipients: EncryptedParts['recipients']
}

function encryptStep(state: EncryptState, index: number): MaybePromise<EncryptedParts> {
  if (index === state.plan.length) return seal(state)
  const { jwe, enc, fixed } = state
  const { spec, alg } = state.plan[index]!
  let header = state.plan[index]!.header
  return chain(
    encryptKey(jwe, alg, enc, spec.key, state.cek, spec.keyManagement, fixed.kwIv?.[index]),
    (result) => {
      state.cek = result.cek
      if (spec.paramsTo === 'header' && header === undefined && Object.keys(result.params).length > 0)
        header = {}
      let target = header
      if (spec.paramsTo === 'protected') target = state.protectedHeader
      else if (spec.paramsTo === 'unprotected') target = state.unprotected
      if (Object.keys(result.params).length > 0) {
        if (target === undefined)
          throw new JWEInvalid('unreachable: no header to hold the key management parameters')
        Object.assign(target, result.params)
      }
      state.recipients.push({
        header: spec.paramsTo === 'header' ? header : undefined,
        encryptedKey: result.encryptedKey ? encodeBase64url(result.encryptedKey) : '',
      })
      return encryptStep(state, index + 1)
    },
  )
}

function seal(state: EncryptState): MaybePromise<EncryptedParts> {
  const { jwe, enc, aad, protectedHeader } = state
  const protectedSegment = protectedHeader ? encodeBase64url(JSON.stringify(protectedHeader)) : ''
  const aadSegment = aad === undefined ? undefined : encodeBase64url(aad)
  const aadBytes = asciiBytes(
    aadSegment === undefined ? protectedSegment : `${protectedSegment}.${aadSegment}`,
  )
  // Public (sent in the clear): the backend may cut it from a batch of CSPRNG output (backend/node/jwe.ts).
  const iv = state.fixed.iv ?? (jwe.publicRandom ?? jwe.keys.randomBytes)(enc.ivBytes)
  return chain(compress(jwe, state.zip, state.plaintext), (content) =>
    chain(encryptContent(jwe, enc, state.cek, iv, content, aadBytes), (sealed) => ({
      protected: protectedSegment,
      protectedHeader,
      unprotected: state.unprotected,
      recipients: state.recipients,
      iv: encodeBase64url(iv),
      ciphertext: encodeBase64url(sealed.ciphertext),
      tag: encodeBase64url(sealed.tag),
      aad: aadSegment,
    })),
  )
}
