/**
 * @module AES_CBC_HMAC_SHA2 (RFC 7518 §5.2): the HMAC over `A || IV || E || AL` is verified in constant
 * time BEFORE any CBC decryption, so a tampered ciphertext never reaches the padding check (the padding
 * oracle of jose CVE-2021-29443): valid and invalid padding fail with the same error.
 */
import type { ContentEncryptionAlgorithm } from '../alg/jwe-algorithms.js'
import type { JweBackend, SealedContent } from '../backend/jwe-types.js'
import type { MaybePromise } from '../backend/types.js'
import { JWEDecryptionFailed } from '../errors.js'
import { concatBytes, uint64be } from '../util/bytes.js'
import { chain } from '../util/maybe-promise.js'

function macInput(aad: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  return concatBytes(aad, iv, ciphertext, uint64be(aad.length * 8))
}

export function cbcHmacEncrypt(
  jwe: JweBackend,
  enc: ContentEncryptionAlgorithm,
  cek: Uint8Array,
  iv: Uint8Array,
  plaintext: Uint8Array,
  aad: Uint8Array,
): MaybePromise<SealedContent> {
  const macKey = cek.subarray(0, enc.aesBytes)
  const encKey = cek.subarray(enc.aesBytes)
  return chain(jwe.cbcEncrypt(encKey, iv, plaintext), (ciphertext) =>
    chain(jwe.hmac(enc.hash!, macKey, macInput(aad, iv, ciphertext)), (mac) => ({
      ciphertext,
      tag: mac.subarray(0, enc.tagBytes),
    })),
  )
}

export function cbcHmacDecrypt(
  jwe: JweBackend,
  enc: ContentEncryptionAlgorithm,
  cek: Uint8Array,
  iv: Uint8Array,
  ciphertext: Uint8Array,
  tag: Uint8Array,
  aad: Uint8Array,
): MaybePromise<Uint8Array> {
  const macKey = cek.subarray(0, enc.aesBytes)
  const encKey = cek.subarray(enc.aesBytes)
  return chain(jwe.hmac(enc.hash!, macKey, macInput(aad, iv, ciphertext)), (mac) => {
    if (!jwe.timingSafeEqual(mac.subarray(0, enc.tagBytes), tag)) throw new JWEDecryptionFailed()
    return jwe.cbcDecrypt(encKey, iv, ciphertext)
  })
}
