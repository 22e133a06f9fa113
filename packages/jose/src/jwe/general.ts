/**
 * @module JWE General JSON Serialization (RFC 7516 §7.2.1): one ciphertext, several recipients.
 * `generalDecrypt` returns the first recipient the key decrypts; `dir` and `ECDH-ES` (which fix the
 * CEK to the key) are refused among several recipients.
 */
import { keyManagementAlgorithm } from '../alg/jwe-algorithms.js'
import type { JweBackend } from '../backend/jwe-types.js'
import type { MaybePromise } from '../backend/types.js'
import { JOSEError, JOSEOptionInvalid, JWEDecryptionFailed, JWEInvalid } from '../errors.js'
import { isJsonObject } from '../util/json.js'
import { isPromiseLike } from '../util/maybe-promise.js'
import { decryptRecipient } from './decrypt-core.js'
import { encryptParts, MAX_RECIPIENTS } from './encrypt-core.js'
import { parseJsonCommon, resultOf, serializeCommon } from './flattened.js'
import { checkJweHeader } from './header.js'
import { decryptPolicy } from './options.js'
import { checkJweLength, jsonJweLength, optionalPart } from './segments.js'
import type {
  DecryptOptions,
  FixedValues,
  GeneralDecryptResult,
  GeneralEncryptOptions,
  GeneralJWE,
  GeneralRecipient,
  JWEHeaderParameters,
} from './types.js'

export function generalEncryptWith(
  jwe: JweBackend,
  plaintext: Uint8Array,
  recipients: readonly GeneralRecipient[],
  protectedHeader: JWEHeaderParameters | undefined,
  options: GeneralEncryptOptions = {},
  fixed?: FixedValues,
): MaybePromise<GeneralJWE> {
  if (!Array.isArray(recipients) || recipients.some((recipient) => !isJsonObject(recipient))) {
    throw new JOSEOptionInvalid('generalEncrypt needs an array of { key, header } recipients')
  }
  if (typeof options !== 'object' || options === null)
    throw new JOSEOptionInvalid('generalEncrypt options must be an object')
  const specs = recipients.map((recipient) => ({
    key: recipient.key,
    header: recipient.header,
    keyManagement: recipient.keyManagement,
    paramsTo: 'header' as const,
  }))
  const parts = encryptParts(
    jwe,
    plaintext,
    protectedHeader,
    options.unprotectedHeader,
    specs,
    options.aad,
    fixed,
  )
  const finish = (done: Awaited<typeof parts>): GeneralJWE => {
    const common = serializeCommon(done)
    const out = {
      ...(common.protected !== undefined ? { protected: common.protected } : {}),
      ...(common.unprotected !== undefined ? { unprotected: common.unprotected } : {}),
      recipients: done.recipients.map((recipient) => {
        const entry: GeneralJWE['recipients'][number] = {}
        if (recipient.header) entry.header = recipient.header
        if (recipient.encryptedKey) entry.encrypted_key = recipient.encryptedKey
        return entry
      }),
      iv: done.iv,
      ciphertext: done.ciphertext,
      tag: done.tag,
    } as GeneralJWE
    if (done.aad !== undefined) out.aad = done.aad
    return out
  }
  return isPromiseLike(parts) ? Promise.resolve(parts).then(finish) : finish(parts)
}

export function generalDecryptWith(
  jwe: JweBackend,
  token: unknown,
  key: unknown,
  options: DecryptOptions,
): MaybePromise<GeneralDecryptResult> {
  const policy = decryptPolicy(options)
  if (!isJsonObject(token)) throw new JWEInvalid('a general JWE must be a JSON object')
  checkJweLength(jsonJweLength(token), policy.maxTokenLength)
  const recipients = token.recipients
  if (!Array.isArray(recipients) || recipients.length === 0) {
    throw new JWEInvalid('a general JWE needs a non-empty "recipients" array')
  }
  if (recipients.length > MAX_RECIPIENTS) {
    throw new JWEInvalid(
      `the JWE has ${recipients.length} recipients; at most ${MAX_RECIPIENTS} are accepted`,
    )
  }
  const parsed = parseJsonCommon(token)
  const entries = recipients.map((recipient) => {
    if (!isJsonObject(recipient)) throw new JWEInvalid('each JWE recipient must be a JSON object')
    return {
      header: recipient.header,
      checked: checkJweHeader(parsed.protectedHeader, parsed.unprotected, recipient.header, policy.crit),
      encryptedKey: optionalPart(recipient.encrypted_key, 'encrypted_key'),
    }
  })
  if (entries.length > 1 && entries.some((entry) => keyManagementAlgorithm(entry.checked.alg)?.direct)) {
    throw new JWEInvalid('"dir" and "ECDH-ES" allow exactly one recipient (the key determines the CEK)')
  }
  let firstError: unknown
  let decryptionFailure: unknown
  const attempt = (index: number): MaybePromise<GeneralDecryptResult> => {
    if (index === entries.length) throw decryptionFailure ?? firstError ?? new JWEDecryptionFailed()
    const entry = entries[index]!
    const onError = (error: unknown): MaybePromise<GeneralDecryptResult> => {
      if (!(error instanceof JOSEError)) throw error
      if (error instanceof JWEDecryptionFailed) decryptionFailure ??= error
      else firstError ??= error
      return attempt(index + 1)
    }
    try {
      const outcome = decryptRecipient(
        jwe,
        policy,
        key,
        entry.checked,
        entry.encryptedKey,
        parsed.content,
        token,
      )
      return isPromiseLike(outcome)
        ? Promise.resolve(outcome).then((plaintext) => resultOf(parsed, entry.header, plaintext), onError)
        : resultOf(parsed, entry.header, outcome)
    } catch (error) {
      return onError(error)
    }
  }
  return attempt(0)
}
