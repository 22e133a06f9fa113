/**
 * @module The sender's key management (RFC 7516 §5.1 steps 1-7): determine the CEK (direct modes) or
 * encrypt it for one recipient, and return the header parameters the recipient will need.
 */
import type { ContentEncryptionAlgorithm, KeyManagementAlgorithm } from '../alg/jwe-algorithms.js'
import type { JweBackend } from '../backend/jwe-types.js'
import type { MaybePromise } from '../backend/types.js'
import { JOSENotSupported, JOSEOptionInvalid, JWEInvalid } from '../errors.js'
import type { JoseKey } from '../jwk/key.js'
import { encodeBase64url } from '../util/base64url.js'
import { chain } from '../util/maybe-promise.js'
import { checkJweKey } from './check-jwe-key.js'
import { senderAgreement } from './ecdh-es.js'
import { jweKey, passwordBytes } from './key-input.js'
import { checkSenderPbes2, pbes2Kek } from './pbes2.js'
import type { JWEHeaderParameters, KeyManagementOptions } from './types.js'

export interface EncryptedKey {
  cek: Uint8Array
  encryptedKey: Uint8Array | undefined
  params: JWEHeaderParameters
}

function optionalBytes(value: unknown, option: string): Uint8Array | undefined {
  if (value !== undefined && !(value instanceof Uint8Array))
    throw new JOSEOptionInvalid(`${option} must be a Uint8Array`)
  return value as Uint8Array | undefined
}

function wrap(
  jwe: JweBackend,
  kek: Uint8Array,
  cek: Uint8Array,
  params: JWEHeaderParameters,
): MaybePromise<EncryptedKey> {
  return chain(jwe.aesKwWrap(kek, cek), (encryptedKey) => ({ cek, encryptedKey, params }))
}

/**
 * Key management for one recipient. `cek` is the message's CEK (ignored by the direct modes, which
 * determine it); `kwIv` fixes A*GCMKW's IV for known-answer tests.
 */
export function encryptKey(
  jwe: JweBackend,
  alg: KeyManagementAlgorithm,
  enc: ContentEncryptionAlgorithm,
  keyInput: unknown,
  cek: Uint8Array,
  options: KeyManagementOptions = {},
  kwIv?: Uint8Array,
): MaybePromise<EncryptedKey> {
  if (typeof keyInput === 'function') throw new JWEInvalid('encryption needs a key, not a key resolver')
  if (alg.family === 'pbes2') {
    const { p2s: fixedSalt, p2c } = checkSenderPbes2(options.p2s, options.p2c)
    const p2s = fixedSalt ?? jwe.keys.randomBytes(16)
    const password =
      passwordBytes(keyInput) ??
      chain(jweKey(jwe, alg, keyInput), (key) => {
        checkJweKey(key, alg, enc, 'encrypt')
        return jwe.secretBytes(key)
      })
    return chain(password, (bytes) =>
      chain(pbes2Kek(jwe, alg, bytes, p2s, p2c), (kek) =>
        wrap(jwe, kek, cek, { p2s: encodeBase64url(p2s), p2c }),
      ),
    )
  }
  return chain(jweKey(jwe, alg, keyInput), (key) => {
    checkJweKey(key, alg, enc, 'encrypt')
    return withKey(jwe, alg, enc, key, cek, options, kwIv)
  })
}

function withKey(
  jwe: JweBackend,
  alg: KeyManagementAlgorithm,
  enc: ContentEncryptionAlgorithm,
  key: JoseKey,
  cek: Uint8Array,
  options: KeyManagementOptions,
  kwIv: Uint8Array | undefined,
): MaybePromise<EncryptedKey> {
  switch (alg.family) {
    case 'dir':
      return chain(jwe.secretBytes(key), (bytes) => ({ cek: bytes, encryptedKey: undefined, params: {} }))
    case 'aes-kw':
      return chain(jwe.aesKwWrap(key, cek), (encryptedKey) => ({ cek, encryptedKey, params: {} }))
    case 'aes-gcm-kw': {
      const iv = kwIv ?? jwe.keys.randomBytes(12)
      return chain(jwe.gcmEncrypt(key, iv, cek, new Uint8Array(0)), ({ ciphertext, tag }) => ({
        cek,
        encryptedKey: ciphertext,
        params: { iv: encodeBase64url(iv), tag: encodeBase64url(tag) },
      }))
    }
    case 'rsa-oaep': {
      const publicKey = key.type === 'private' ? jwe.keys.publicKeyOf(key) : key
      return chain(publicKey, (pub) =>
        chain(jwe.rsaOaepEncrypt(alg.hash!, pub, cek), (encryptedKey) => ({ cek, encryptedKey, params: {} })),
      )
    }
    case 'rsa1_5':
      throw new JOSENotSupported(
        'RSA1_5 is deprecated (RFC 8725 §3.2) and this library does not produce it; encrypt with RSA-OAEP-256',
      )
    case 'ecdh-es': {
      const apu = optionalBytes(options.apu, 'apu')
      const apv = optionalBytes(options.apv, 'apv')
      const recipient = key.type === 'private' ? jwe.keys.publicKeyOf(key) : key
      return chain(recipient, (pub) =>
        chain(
          senderAgreement(jwe, pub, alg, enc.name, enc.cekBytes, apu, apv, options.epk),
          ({ derived, epk }) => {
            const params: JWEHeaderParameters = { epk }
            if (apu) params.apu = encodeBase64url(apu)
            if (apv) params.apv = encodeBase64url(apv)
            return alg.direct
              ? { cek: derived, encryptedKey: undefined, params }
              : wrap(jwe, derived, cek, params)
          },
        ),
      )
    }
    case 'pbes2':
      throw new JWEInvalid('unreachable: PBES2 is handled before key import')
  }
}
