/**
 * @module `createEncrypter`: a compact JWE encrypter with its key imported and options checked once.
 * On node:crypto every call is synchronous (no promise, no threadpool hop), for hot paths and the bench.
 */
import { keyManagementAlgorithm } from '../alg/jwe-algorithms.js'
import type { JweBackend } from '../backend/jwe-types.js'
import { JOSEOptionInvalid } from '../errors.js'
import { toJoseKey } from '../jwk/key-input.js'
import { isPromiseLike } from '../util/maybe-promise.js'
import { compactEncryptWith, compactHeader } from './compact.js'
import { passwordBytes } from './key-input.js'
import type { CompactEncryptOptions } from './types.js'

export interface EncrypterOptions extends CompactEncryptOptions {
  /** The recipient's key (or a PBES2 password). */
  key: unknown
}

export type Encrypter = (plaintext: Uint8Array) => string

export function createEncrypterWith(jwe: JweBackend, options: EncrypterOptions): Encrypter {
  if (typeof options !== 'object' || options === null)
    throw new JOSEOptionInvalid('createEncrypter needs options')
  const { key: keyInput, ...encryptOptions } = options
  compactHeader(encryptOptions)
  if (typeof keyInput === 'function')
    throw new JOSEOptionInvalid('createEncrypter needs a key, not a resolver')
  // Bytes or a string are a password only for PBES2; otherwise the key is imported once, here.
  const pbes2 = keyManagementAlgorithm(encryptOptions.alg)?.family === 'pbes2'
  const key = (pbes2 ? passwordBytes(keyInput) : undefined) ?? toJoseKey(jwe.keys, keyInput)
  if (isPromiseLike(key))
    throw new JOSEOptionInvalid('createEncrypter needs a key this runtime imports synchronously')
  const encrypt: Encrypter = (plaintext) => {
    const jweToken = compactEncryptWith(jwe, plaintext, key, encryptOptions)
    if (isPromiseLike(jweToken))
      throw new JOSEOptionInvalid('createEncrypter runs only on a synchronous backend')
    return jweToken
  }
  // A first run checks the key against alg/enc now: a misconfiguration fails at start, not per message.
  encrypt(new Uint8Array(0))
  return encrypt
}
