/**
 * @module The recipient's key management (RFC 7516 §5.2 steps 9-10): check the header parameters the
 * family needs, then recover the CEK. A failed unwrap yields a random CEK instead of an error, so the
 * token fails later as one indistinguishable "decryption failed" (RFC 7516 §11.5, RFC 3218).
 */
import type { ContentEncryptionAlgorithm, KeyManagementAlgorithm } from '../alg/jwe-algorithms.js'
import type { JweBackend } from '../backend/jwe-types.js'
import type { MaybePromise } from '../backend/types.js'
import { JWEDecryptionFailed, JWEInvalid } from '../errors.js'
import type { JoseKey } from '../jwk/key.js'
import { chain, isPromiseLike } from '../util/maybe-promise.js'
import { recipientAgreement } from './ecdh-es.js'
import { headerBytes } from './header.js'
import { checkReceivedPbes2, pbes2Kek } from './pbes2.js'
import type { JWEHeaderParameters } from './types.js'

/** The recipient's key: an imported key, or PBES2 password bytes. */
export type RecipientSecret = { key: JoseKey } | { password: Uint8Array }

/** Runs an unwrap; a JWEDecryptionFailed becomes a random CEK of the right length. */
function orRandomCek(
  jwe: JweBackend,
  enc: ContentEncryptionAlgorithm,
  unwrap: () => MaybePromise<Uint8Array>,
) {
  const fallback = () => jwe.keys.randomBytes(enc.cekBytes)
  let result: MaybePromise<Uint8Array>
  try {
    result = unwrap()
  } catch (error) {
    if (error instanceof JWEDecryptionFailed) return fallback()
    throw error
  }
  if (!isPromiseLike(result)) return result
  return Promise.resolve(result).catch((error: unknown) => {
    if (error instanceof JWEDecryptionFailed) return fallback()
    throw error
  })
}

export interface KeyDecryptOptions {
  maxPBES2Count: number
}

export function decryptKey(
  jwe: JweBackend,
  alg: KeyManagementAlgorithm,
  enc: ContentEncryptionAlgorithm,
  secret: RecipientSecret,
  header: JWEHeaderParameters,
  encryptedKey: Uint8Array | undefined,
  options: KeyDecryptOptions,
): MaybePromise<Uint8Array> {
  if (alg.direct) {
    if (encryptedKey !== undefined && encryptedKey.length > 0) {
      throw new JWEInvalid(`with "${alg.name}" the JWE Encrypted Key must be empty (RFC 7516 §5.2 step 10)`)
    }
  } else if (encryptedKey === undefined || encryptedKey.length === 0) {
    throw new JWEInvalid(`"${alg.name}" needs a JWE Encrypted Key; it is missing or empty`)
  }
  const wrapped = encryptedKey!
  if ('password' in secret) {
    const p2s = headerBytes(header, 'p2s', true)
    const p2c = checkReceivedPbes2(p2s, header.p2c, options.maxPBES2Count)
    return chain(pbes2Kek(jwe, alg, secret.password, p2s!, p2c), (kek) =>
      orRandomCek(jwe, enc, () => jwe.aesKwUnwrap(kek, wrapped)),
    )
  }
  const key = secret.key
  switch (alg.family) {
    case 'dir':
      return jwe.secretBytes(key)
    case 'aes-kw':
      return orRandomCek(jwe, enc, () => jwe.aesKwUnwrap(key, wrapped))
    case 'aes-gcm-kw': {
      const iv = headerBytes(header, 'iv', true)!
      const tag = headerBytes(header, 'tag', true)!
      if (iv.length !== 12) throw new JWEInvalid(`the "iv" header parameter of ${alg.name} must be 96 bits`)
      if (tag.length !== 16)
        throw new JWEInvalid(`the "tag" header parameter of ${alg.name} must be 128 bits`)
      return orRandomCek(jwe, enc, () => jwe.gcmDecrypt(key, iv, wrapped, tag, new Uint8Array(0)))
    }
    case 'rsa-oaep':
      return orRandomCek(jwe, enc, () => jwe.rsaOaepDecrypt(alg.hash!, key, wrapped))
    case 'rsa1_5':
      return jwe.rsa15Decrypt(key, wrapped, enc.cekBytes)
    case 'ecdh-es': {
      const apu = headerBytes(header, 'apu', false)
      const apv = headerBytes(header, 'apv', false)
      return chain(
        recipientAgreement(jwe, key, header.epk, alg, enc.name, enc.cekBytes, apu, apv),
        (derived) => (alg.direct ? derived : orRandomCek(jwe, enc, () => jwe.aesKwUnwrap(derived, wrapped))),
      )
    }
    case 'pbes2':
      return chain(jwe.secretBytes(key), (password) =>
        decryptKey(jwe, alg, enc, { password }, header, encryptedKey, options),
      )
  }
}
