/**
 * @module Turning a JWE key input into what a key management family needs. Only PBES2 takes a string,
 * and only as a password: everywhere else a string is refused exactly as for JWS (never an HMAC/AES key).
 */
import type { KeyManagementAlgorithm } from '../alg/jwe-algorithms.js'
import type { JweBackend } from '../backend/jwe-types.js'
import type { MaybePromise } from '../backend/types.js'
import { KeyInputInvalid } from '../errors.js'
import type { JoseKey } from '../jwk/key.js'
import { toJoseKey } from '../jwk/key-input.js'
import { utf8Encode } from '../util/bytes.js'

/** A PBES2 password from a string, bytes, or a secret key. */
export function passwordBytes(input: unknown): Uint8Array | undefined {
  if (typeof input === 'string') {
    if (input === '') throw new KeyInputInvalid('a PBES2 password must not be empty')
    return utf8Encode(input)
  }
  if (input instanceof Uint8Array) {
    if (input.length === 0) throw new KeyInputInvalid('a PBES2 password must not be empty')
    return input
  }
  return undefined
}

/** The key for a non-PBES2 family (or a PBES2 password given as a key object). */
export function jweKey(jwe: JweBackend, alg: KeyManagementAlgorithm, input: unknown): MaybePromise<JoseKey> {
  if (alg.family !== 'pbes2' && typeof input === 'string') {
    throw new KeyInputInvalid(
      `a string is a key only for PBES2 (as a password); for ${alg.name} pass a JWK, an imported key, a KeyObject/CryptoKey or bytes`,
    )
  }
  return toJoseKey(jwe.keys, input)
}
