/**
 * @module The node:crypto + node:zlib JWE backend: every primitive synchronous, so the Node pipeline
 * never creates a promise.
 */
import {
  constants,
  createCipheriv,
  createDecipheriv,
  createHmac,
  diffieHellman,
  type KeyObject,
  pbkdf2Sync,
  privateDecrypt,
  publicEncrypt,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto'
import { deflateRawSync, inflateRawSync } from 'node:zlib'

import {
  JOSENotSupported,
  JWEDecompressionLimit,
  JWEDecryptionFailed,
  JWEInvalid,
  KeyUsageForbidden,
} from '../../errors.js'

import type { JweBackend, SecretInput } from '../jwe-types.js'
import { nodeBackend } from './index.js'

const HASH = { 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' } as const
const KW_IV = Buffer.from('A6A6A6A6A6A6A6A6', 'hex')

function material(key: SecretInput): KeyObject | Uint8Array {
  return key instanceof Uint8Array ? key : (key.handle as KeyObject)
}

function bits(key: SecretInput): number {
  return key instanceof Uint8Array ? key.length * 8 : key.bits
}

function bytes(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
}

/**
 * A secret key's bytes, exported once per KeyObject: `dir` uses them as the CEK on every call, and the export
 * (a copy out of OpenSSL) was a measured slice of a `dir`+A256GCM decrypt. Held only as long as the key is;
 * every caller (content encryption, PBES2's password, HMAC) only reads them.
 */
const exported = new WeakMap<KeyObject, Uint8Array>()

/**
 * IVs are public, so they are cut from a batch of CSPRNG output, as Node's own randomUUID does: one
 * randomBytes call costs ~2.9 µs here whatever its size up to a few KiB (measured: 12 bytes 2.9 µs, 4096
 * bytes 4.2 µs) — a third of a whole `dir`+A256GCM encryption. Each batch is a new buffer and every byte is
 * handed out once, so IVs stay independent random draws and a returned view never changes.
 */
const BATCH = 4096
let batch: Buffer = Buffer.alloc(0)
let batchOffset = 0

function publicRandom(length: number): Uint8Array {
  if (length > BATCH / 4) return bytes(randomBytes(length))
  if (batchOffset + length > batch.length) {
    batch = randomBytes(BATCH)
    batchOffset = 0
  }
  const out = batch.subarray(batchOffset, batchOffset + length)
  batchOffset += length
  return bytes(out)
}

// Set once by the first RSA1_5 attempt: whether this runtime's OpenSSL does implicit rejection.
let rsa15Refusal: string | undefined

export const nodeJweBackend: JweBackend = {
  keys: nodeBackend,
  publicRandom,

  secretBytes(key) {
    if (key.type !== 'secret') throw new KeyUsageForbidden(`expected a secret key, not a ${key.describe()}`)
    const handle = key.handle as KeyObject
    let raw = exported.get(handle)
    if (raw === undefined) {
      raw = bytes(handle.export())
      exported.set(handle, raw)
    }
    return raw
  },

  gcmEncrypt(key, iv, plaintext, aad) {
    const cipher = createCipheriv(`aes-${bits(key)}-gcm` as 'aes-128-gcm', material(key), iv, {
      authTagLength: 16,
    })
    cipher.setAAD(aad)
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()])
    return { ciphertext: bytes(ciphertext), tag: bytes(cipher.getAuthTag()) }
  },

  gcmDecrypt(key, iv, ciphertext, tag, aad) {
    // authTagLength pins the tag at 16 bytes: without it Node accepts truncated tags (Wycheproof JWE 25-27).
    const decipher = createDecipheriv(`aes-${bits(key)}-gcm` as 'aes-128-gcm', material(key), iv, {
      authTagLength: 16,
    })
    decipher.setAAD(aad)
    decipher.setAuthTag(tag)
    try {
      return bytes(Buffer.concat([decipher.update(ciphertext), decipher.final()]))
    } catch {
      throw new JWEDecryptionFailed()
    }
  },

  cbcEncrypt(key, iv, plaintext) {
    const cipher = createCipheriv(`aes-${key.length * 8}-cbc`, key, iv)
    return bytes(Buffer.concat([cipher.update(plaintext), cipher.final()]))
  },

  cbcDecrypt(key, iv, ciphertext) {
    const decipher = createDecipheriv(`aes-${key.length * 8}-cbc`, key, iv)
    try {
      return bytes(Buffer.concat([decipher.update(ciphertext), decipher.final()]))
    } catch {
      throw new JWEDecryptionFailed()
    }
  },

  hmac: (hash, key, data) => bytes(createHmac(HASH[hash], key).update(data).digest()),

  timingSafeEqual: (a, b) => a.length === b.length && timingSafeEqual(a, b),

  aesKwWrap(kek, cek) {
    const cipher = createCipheriv(`id-aes${bits(kek)}-wrap`, material(kek), KW_IV)
    return bytes(Buffer.concat([cipher.update(cek), cipher.final()]))
  },

  aesKwUnwrap(kek, wrapped) {
    try {
      const decipher = createDecipheriv(`id-aes${bits(kek)}-wrap`, material(kek), KW_IV)
      return bytes(Buffer.concat([decipher.update(wrapped), decipher.final()]))
    } catch {
      throw new JWEDecryptionFailed()
    }
  },

  rsaOaepEncrypt(hash, publicKey, cek) {
    return bytes(
      publicEncrypt(
        {
          key: publicKey.handle as KeyObject,
          padding: constants.RSA_PKCS1_OAEP_PADDING,
          oaepHash: HASH[hash],
        },
        cek,
      ),
    )
  },

  rsaOaepDecrypt(hash, privateKey, encryptedKey) {
    try {
      return bytes(
        privateDecrypt(
          {
            key: privateKey.handle as KeyObject,
            padding: constants.RSA_PKCS1_OAEP_PADDING,
            oaepHash: HASH[hash],
          },
          encryptedKey,
        ),
      )
    } catch {
      throw new JWEDecryptionFailed()
    }
  },

  rsa15Decrypt(privateKey, encryptedKey, cekBytes) {
    if (rsa15Refusal !== undefined) throw new JOSENotSupported(rsa15Refusal)
    // RFC 3218 §2.3.2: the fallback CEK is drawn before decrypting, so success and failure run the same steps.
    const fallback = bytes(randomBytes(cekBytes))
    let cek: Buffer
    try {
      cek = privateDecrypt(
        { key: privateKey.handle as KeyObject, padding: constants.RSA_PKCS1_PADDING },
        encryptedKey,
      )
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_INVALID_ARG_VALUE') {
        // Node ≥ 18.19 / 20.11 refuses PKCS#1 v1.5 private decryption unless OpenSSL does implicit
        // rejection (CVE-2023-46809, the Marvin attack); OpenSSL 3.0 here does not.
        rsa15Refusal =
          `RSA1_5 (RSAES-PKCS1-v1_5) is deprecated (RFC 8725 §3.2) and this runtime (Node ${process.versions.node}, ` +
          `OpenSSL ${process.versions.openssl}) disables PKCS#1 v1.5 decryption after CVE-2023-46809 because it cannot ` +
          'do it without a timing oracle; ask the sender to use RSA-OAEP-256'
        throw new JOSENotSupported(rsa15Refusal)
      }
      return fallback
    }
    // With implicit rejection OpenSSL returns a synthetic message on bad padding; a wrong length is the same.
    return cek.length === cekBytes ? bytes(cek) : fallback
  },

  ecdh(privateKey, publicKey) {
    let z: Buffer
    try {
      z = diffieHellman({
        privateKey: privateKey.handle as KeyObject,
        publicKey: publicKey.handle as KeyObject,
      })
    } catch {
      // OpenSSL refuses an X25519/X448 result of all zeros (a small-order point, RFC 7748 §6.1).
      throw new JWEInvalid(
        'the "epk" does not give a valid shared secret with this key (a point of small order?)',
      )
    }
    let acc = 0
    for (const byte of z) acc |= byte
    if (acc === 0) throw new JWEInvalid('the "epk" gives an all-zero shared secret (a point of small order)')
    return bytes(z)
  },

  pbkdf2: (hash, password, salt, iterations, length) =>
    bytes(pbkdf2Sync(password, salt, iterations, length, HASH[hash])),

  deflate: (data) => bytes(deflateRawSync(data)),

  inflate(data, maxLength) {
    try {
      // maxOutputLength is checked chunk by chunk inside zlib's loop, so a bomb stops at the cap.
      return bytes(inflateRawSync(data, { maxOutputLength: Math.max(1, maxLength) }))
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new JWEDecompressionLimit(
          `the compressed plaintext inflates to more than ${maxLength} bytes (maxDecompressedLength); refused`,
        )
      }
      throw new JWEInvalid('the compressed plaintext is not valid raw DEFLATE data')
    }
  },
}
