/**
 * @module The decrypter chooses the algorithms: `keyManagementAlgorithms` and
 * `contentEncryptionAlgorithms` are required on every decrypt and checked before any key is resolved.
 * `RSA1_5` is deprecated (RFC 8725 §3.2, Bleichenbacher / Marvin): listing it here is its only opt-in.
 */
import {
  type ContentEncryptionAlgorithm,
  contentEncryptionAlgorithm,
  type KeyManagementAlgorithm,
  keyManagementAlgorithm,
} from '../alg/jwe-algorithms.js'
import { JOSEAlgNotAllowed, JOSEOptionInvalid } from '../errors.js'
import type { DecryptOptions } from './types.js'

export interface JweAllowList {
  alg: ReadonlyMap<string, KeyManagementAlgorithm>
  enc: ReadonlyMap<string, ContentEncryptionAlgorithm>
}

function build<T>(
  list: unknown,
  option: string,
  lookup: (name: unknown) => T | undefined,
  example: string,
): Map<string, T> {
  if (!Array.isArray(list) || list.length === 0) {
    throw new JOSEOptionInvalid(
      `${option} is required: list the algorithms you accept, e.g. { ${option}: [${example}] }`,
    )
  }
  const out = new Map<string, T>()
  for (const name of list) {
    const entry = lookup(name)
    if (entry === undefined) {
      throw new JOSEOptionInvalid(
        `${option} lists "${String(name).slice(0, 32)}", which is not a JWE algorithm this library implements`,
      )
    }
    out.set(name as string, entry)
  }
  return out
}

export function jweAllowList(options: DecryptOptions): JweAllowList {
  if (typeof options !== 'object' || options === null) {
    throw new JOSEOptionInvalid(
      'decryption needs options with keyManagementAlgorithms and contentEncryptionAlgorithms',
    )
  }
  return {
    alg: build(
      options.keyManagementAlgorithms,
      'keyManagementAlgorithms',
      keyManagementAlgorithm,
      '"ECDH-ES+A256KW"',
    ),
    enc: build(
      options.contentEncryptionAlgorithms,
      'contentEncryptionAlgorithms',
      contentEncryptionAlgorithm,
      '"A256GCM"',
    ),
  }
}

export function pickKeyManagement(allowed: JweAllowList, alg: string): KeyManagementAlgorithm {
  const entry = allowed.alg.get(alg)
  if (entry) return entry
  const shown = alg.slice(0, 32)
  if (alg === 'RSA1_5') {
    throw new JOSEAlgNotAllowed(
      '"alg": "RSA1_5" is deprecated (RFC 8725 §3.2: PKCS#1 v1.5 encryption invites padding-oracle attacks) and ' +
        'refused unless listed in keyManagementAlgorithms; prefer RSA-OAEP-256',
    )
  }
  throw new JOSEAlgNotAllowed(
    `"alg": "${shown}" is not in keyManagementAlgorithms (${[...allowed.alg.keys()].join(', ')})`,
  )
}

export function pickContentEncryption(allowed: JweAllowList, enc: string): ContentEncryptionAlgorithm {
  const entry = allowed.enc.get(enc)
  if (entry) return entry
  throw new JOSEAlgNotAllowed(
    `"enc": "${enc.slice(0, 32)}" is not in contentEncryptionAlgorithms (${[...allowed.enc.keys()].join(', ')})`,
  )
}
