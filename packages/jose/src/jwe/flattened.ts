/**
 * @module JWE Flattened JSON Serialization (RFC 7516 §7.2.2): one recipient, with optional shared
 * (`unprotected`) and per-recipient (`header`) unprotected headers and `aad`.
 */

import type { JweBackend } from '../backend/jwe-types.js'
import type { MaybePromise } from '../backend/types.js'
import { JOSEOptionInvalid, JWEInvalid } from '../errors.js'
import { asciiBytes } from '../util/bytes.js'
import { isJsonObject } from '../util/json.js'
import { chain } from '../util/maybe-promise.js'
import { decryptRecipient, type ParsedContent } from './decrypt-core.js'
import { type EncryptedParts, encryptParts, type ParamsTarget } from './encrypt-core.js'
import { checkJweHeader, decodeJweProtectedHeader } from './header.js'
import { decryptPolicy } from './options.js'
import { checkJweLength, decodePart, jsonJweLength, optionalPart } from './segments.js'
import type {
  DecryptOptions,
  FixedValues,
  FlattenedDecryptResult,
  FlattenedEncryptOptions,
  FlattenedJWE,
  JWEHeaderParameters,
} from './types.js'

/** Key-management parameters go into the header that holds `alg`. */
function paramsTarget(
  protectedHeader: JWEHeaderParameters | undefined,
  header: JWEHeaderParameters | undefined,
): ParamsTarget {
  if (protectedHeader?.alg !== undefined) return 'protected'
  if (header?.alg !== undefined) return 'header'
  return 'unprotected'
}

export function flattenedEncryptWith(
  jwe: JweBackend,
  plaintext: Uint8Array,
  key: unknown,
  protectedHeader: JWEHeaderParameters | undefined,
  options: FlattenedEncryptOptions = {},
  fixed?: FixedValues,
): MaybePromise<FlattenedJWE> {
  if (typeof options !== 'object' || options === null)
    throw new JOSEOptionInvalid('flattenedEncrypt options must be an object')
  const { unprotectedHeader, header, aad, keyManagement } = options
  const spec = { key, header, keyManagement, paramsTo: paramsTarget(protectedHeader, header) }
  return chain(
    encryptParts(jwe, plaintext, protectedHeader, unprotectedHeader, [spec], aad, fixed),
    (parts) => {
      const out = serializeCommon(parts) as unknown as FlattenedJWE
      const recipient = parts.recipients[0]!
      if (recipient.header) out.header = recipient.header
      if (recipient.encryptedKey) out.encrypted_key = recipient.encryptedKey
      return out
    },
  )
}

/** The members every JSON serialization shares, in RFC 7516 §7.2.1 order. */
export function serializeCommon(parts: EncryptedParts): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  if (parts.protected) out.protected = parts.protected
  if (parts.unprotected) out.unprotected = parts.unprotected
  out.iv = parts.iv
  out.ciphertext = parts.ciphertext
  out.tag = parts.tag
  if (parts.aad !== undefined) out.aad = parts.aad
  return out
}

export interface ParsedJsonJwe {
  protectedHeader: JWEHeaderParameters | undefined
  unprotected: unknown
  content: ParsedContent
  aad: Uint8Array | undefined
}

/** Checks and decodes the members shared by the flattened and general serializations. */
export function parseJsonCommon(jwe: Record<string, unknown>): ParsedJsonJwe {
  const protectedSegment = jwe.protected
  if (protectedSegment !== undefined && (typeof protectedSegment !== 'string' || protectedSegment === '')) {
    throw new JWEInvalid('the JWE "protected" member must be a non-empty string')
  }
  const aadSegment = jwe.aad
  if (aadSegment !== undefined && typeof aadSegment !== 'string')
    throw new JWEInvalid('the JWE "aad" member must be a string')
  const aad = optionalPart(aadSegment, 'aad')
  const protectedText = (protectedSegment as string | undefined) ?? ''
  return {
    protectedHeader:
      protectedSegment === undefined ? undefined : decodeJweProtectedHeader(protectedSegment as string),
    unprotected: jwe.unprotected,
    content: {
      iv: decodePart(jwe.iv, 'iv'),
      ciphertext: decodePart(jwe.ciphertext, 'ciphertext'),
      tag: decodePart(jwe.tag, 'tag'),
      aad: asciiBytes(aadSegment === undefined ? protectedText : `${protectedText}.${aadSegment}`),
    },
    aad,
  }
}

export function resultOf(
  parsed: ParsedJsonJwe,
  header: unknown,
  plaintext: Uint8Array,
): FlattenedDecryptResult {
  const result: FlattenedDecryptResult = { plaintext, protectedHeader: parsed.protectedHeader ?? {} }
  if (parsed.unprotected !== undefined) result.unprotectedHeader = parsed.unprotected as JWEHeaderParameters
  if (header !== undefined) result.header = header as JWEHeaderParameters
  if (parsed.aad !== undefined) result.additionalAuthenticatedData = parsed.aad
  return result
}

export function flattenedDecryptWith(
  jwe: JweBackend,
  token: unknown,
  key: unknown,
  options: DecryptOptions,
): MaybePromise<FlattenedDecryptResult> {
  const policy = decryptPolicy(options)
  if (!isJsonObject(token)) throw new JWEInvalid('a flattened JWE must be a JSON object')
  checkJweLength(jsonJweLength(token), policy.maxTokenLength)
  if (token.recipients !== undefined)
    throw new JWEInvalid('this is a general JWE (it has "recipients"): use generalDecrypt')
  const parsed = parseJsonCommon(token)
  const checked = checkJweHeader(parsed.protectedHeader, parsed.unprotected, token.header, policy.crit)
  const encryptedKey = optionalPart(token.encrypted_key, 'encrypted_key')
  return chain(
    decryptRecipient(jwe, policy, key, checked, encryptedKey, parsed.content, token),
    (plaintext) => resultOf(parsed, token.header, plaintext),
  )
}
