/**
 * @module `createDecrypter`: a compact JWE decrypter with its options compiled and its key imported
 * once. On node:crypto each call is synchronous unless the key resolver is asynchronous.
 */
import type { JweBackend } from '../backend/jwe-types.js'
import { JOSEOptionInvalid } from '../errors.js'
import { toJoseKey } from '../jwk/key-input.js'
import { isPromiseLike } from '../util/maybe-promise.js'
import { compactDecryptWithPolicy } from './compact.js'
import { passwordBytes } from './key-input.js'
import { decryptPolicy } from './options.js'
import type { CompactDecryptResult, DecryptOptions } from './types.js'

export interface DecrypterOptions extends DecryptOptions {
  /** The decryption key, a PBES2 password, or a resolver `(protectedHeader, token) => key`. */
  key: unknown
}

export type Decrypter = (jwe: string) => CompactDecryptResult

export function createDecrypterWith(jwe: JweBackend, options: DecrypterOptions): Decrypter {
  if (typeof options !== 'object' || options === null)
    throw new JOSEOptionInvalid('createDecrypter needs options')
  const policy = decryptPolicy(options)
  const keyInput = options.key
  let key: unknown = keyInput
  if (typeof keyInput !== 'function') {
    // With PBES2 allowed, bytes or a string stay a password; otherwise the key is imported once, here.
    const pbes2 = [...policy.allowed.alg.values()].some((alg) => alg.family === 'pbes2')
    key = (pbes2 ? passwordBytes(keyInput) : undefined) ?? toJoseKey(jwe.keys, keyInput)
    if (isPromiseLike(key))
      throw new JOSEOptionInvalid('createDecrypter needs a key this runtime imports synchronously')
  }
  return ((token: string) => compactDecryptWithPolicy(jwe, token, key, policy)) as Decrypter
}
