/**
 * @module Content encryption (RFC 7518 §5): one entry point per direction, dispatching on the table's
 * family. Lengths (CEK, IV, tag) are checked here, once, before any primitive runs.
 */
import type { ContentEncryptionAlgorithm } from '../alg/jwe-algorithms.js'
import type { JweBackend, SealedContent } from '../backend/jwe-types.js'
import type { MaybePromise } from '../backend/types.js'
import { JWEDecryptionFailed, JWEInvalid } from '../errors.js'
import { cbcHmacDecrypt, cbcHmacEncrypt } from './content-cbc-hmac.js'

export function encryptContent(
  jwe: JweBackend,
  enc: ContentEncryptionAlgorithm,
  cek: Uint8Array,
  iv: Uint8Array,
  plaintext: Uint8Array,
  aad: Uint8Array,
): MaybePromise<SealedContent> {
  if (cek.length !== enc.cekBytes) throw new JWEInvalid(`${enc.name} needs a ${enc.cekBytes * 8}-bit CEK`)
  if (iv.length !== enc.ivBytes) throw new JWEInvalid(`${enc.name} needs a ${enc.ivBytes * 8}-bit IV`)
  return enc.family === 'gcm'
    ? jwe.gcmEncrypt(cek, iv, plaintext, aad)
    : cbcHmacEncrypt(jwe, enc, cek, iv, plaintext, aad)
}

/** Refuses an IV or tag of the wrong length (a truncated GCM tag is a forgery shortcut). */
export function checkContentLengths(enc: ContentEncryptionAlgorithm, iv: Uint8Array, tag: Uint8Array): void {
  if (iv.length !== enc.ivBytes) {
    throw new JWEInvalid(`the JWE "iv" is ${iv.length} bytes; ${enc.name} uses ${enc.ivBytes}`)
  }
  if (tag.length !== enc.tagBytes) {
    throw new JWEInvalid(`the JWE "tag" is ${tag.length} bytes; ${enc.name} uses ${enc.tagBytes}`)
  }
}

export function decryptContent(
  jwe: JweBackend,
  enc: ContentEncryptionAlgorithm,
  cek: Uint8Array,
  iv: Uint8Array,
  ciphertext: Uint8Array,
  tag: Uint8Array,
  aad: Uint8Array,
): MaybePromise<Uint8Array> {
  // A CEK of the wrong length after unwrapping is indistinguishable from a wrong key (RFC 7516 §11.5).
  if (cek.length !== enc.cekBytes) throw new JWEDecryptionFailed()
  checkContentLengths(enc, iv, tag)
  return enc.family === 'gcm'
    ? jwe.gcmDecrypt(cek, iv, ciphertext, tag, aad)
    : cbcHmacDecrypt(jwe, enc, cek, iv, ciphertext, tag, aad)
}
