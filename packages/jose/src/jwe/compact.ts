/**
 * @module JWE Compact Serialization (RFC 7516 §7.1): `compactEncrypt` and `compactDecrypt`. Every
 * header parameter, including the key-management ones, is in the protected header.
 */

import type { JweBackend } from '../backend/jwe-types.js'
import type { MaybePromise } from '../backend/types.js'
import { JOSEOptionInvalid, JWEInvalid } from '../errors.js'
import { isJsonObject } from '../util/json.js'
import { chain } from '../util/maybe-promise.js'
import { decryptRecipient } from './decrypt-core.js'
import { encryptParts } from './encrypt-core.js'
import { compactJweHeader } from './header-cache.js'
import { type DecryptPolicy, decryptPolicy } from './options.js'
import { checkJweLength, decodePart } from './segments.js'
import type {
  CompactDecryptResult,
  CompactEncryptOptions,
  DecryptOptions,
  FixedValues,
  JWEHeaderParameters,
} from './types.js'

/** The protected header a compact encryption uses: `header`, then the named options. */
export function compactHeader(options: CompactEncryptOptions): JWEHeaderParameters {
  if (!isJsonObject(options))
    throw new JOSEOptionInvalid('encryption needs options with at least "alg" and "enc"')
  if (options.header !== undefined && !isJsonObject(options.header))
    throw new JOSEOptionInvalid('header must be an object')
  const header: JWEHeaderParameters = { ...options.header, alg: options.alg, enc: options.enc }
  for (const name of ['kid', 'typ', 'cty', 'zip'] as const) {
    const value = options[name]
    if (value !== undefined) {
      if (typeof value !== 'string' || value === '')
        throw new JOSEOptionInvalid(`${name} must be a non-empty string`)
      header[name] = value
    }
  }
  return header
}

export function compactEncryptWith(
  jwe: JweBackend,
  plaintext: Uint8Array,
  key: unknown,
  options: CompactEncryptOptions,
  fixed?: FixedValues,
): MaybePromise<string> {
  const header = compactHeader(options)
  const { apu, apv, p2s, p2c, epk } = options
  const spec = {
    key,
    header: undefined,
    keyManagement: { apu, apv, p2s, p2c, epk },
    paramsTo: 'protected' as const,
  }
  return chain(
    encryptParts(jwe, plaintext, header, undefined, [spec], undefined, fixed),
    (parts) =>
      `${parts.protected}.${parts.recipients[0]!.encryptedKey}.${parts.iv}.${parts.ciphertext}.${parts.tag}`,
  )
}

export function compactDecryptWith(
  jwe: JweBackend,
  token: unknown,
  key: unknown,
  options: DecryptOptions,
): MaybePromise<CompactDecryptResult> {
  return compactDecryptWithPolicy(jwe, token, key, decryptPolicy(options))
}

/** compactDecrypt with its options already checked (createDecrypter compiles them once). */
export function compactDecryptWithPolicy(
  jwe: JweBackend,
  token: unknown,
  key: unknown,
  policy: DecryptPolicy,
): MaybePromise<CompactDecryptResult> {
  const text = token instanceof Uint8Array ? new TextDecoder().decode(token) : token
  if (typeof text !== 'string') throw new JWEInvalid('a compact JWE must be a string')
  checkJweLength(text.length, policy.maxTokenLength)
  const parts = text.split('.')
  if (parts.length !== 5) {
    throw new JWEInvalid(
      parts.length === 3
        ? 'this is a JWS (three parts), not a JWE: verify it with compactVerify / verifyJWT'
        : `a compact JWE has five parts separated by "."; this one has ${parts.length}`,
    )
  }
  const [headerSegment, keySegment, ivSegment, ciphertextSegment, tagSegment] = parts as [
    string,
    string,
    string,
    string,
    string,
  ]
  if (headerSegment === '') throw new JWEInvalid('a compact JWE needs a protected header')
  // Cached by the segment's exact text (jwe/header-cache.ts): the header objects are frozen and shared.
  const { protectedHeader, checked, aad } = compactJweHeader(headerSegment, policy.crit)
  const content = {
    iv: decodePart(ivSegment, 'iv'),
    ciphertext: decodePart(ciphertextSegment, 'ciphertext'),
    tag: decodePart(tagSegment, 'tag'),
    aad,
  }
  const encryptedKey = decodePart(keySegment, 'encrypted_key')
  return chain(decryptRecipient(jwe, policy, key, checked, encryptedKey, content, token), (plaintext) => ({
    plaintext,
    protectedHeader,
  }))
}
