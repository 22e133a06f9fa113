/**
 * @module The JWE backend seam: the primitives JWE needs beyond signing. `backend/node/jwe.ts`
 * implements it over node:crypto + node:zlib (every call synchronous), `backend/webcrypto/jwe.ts` over
 * crypto.subtle + CompressionStream (asynchronous). The JOSE constructions (Concat KDF, PBES2 salt
 * input, header handling) live in `jwe/` and are written once over these primitives.
 */
import type { HashName } from '../alg/jws-algorithms.js'
import type { JoseKey } from '../jwk/key.js'
import type { Backend, MaybePromise } from './types.js'

/** A symmetric key: the caller's imported key, or bytes derived/unwrapped inside the pipeline. */
export type SecretInput = JoseKey | Uint8Array

export interface SealedContent {
  ciphertext: Uint8Array
  tag: Uint8Array
}

export interface JweBackend {
  /** The key backend: import, resolve, generate (ephemeral ECDH keys), digest, random. */
  readonly keys: Backend

  /**
   * Optional: CSPRNG bytes for values that are sent in the clear (content IVs), which a backend may draw in
   * batches; secrets (CEKs, salts aside) always come from `keys.randomBytes`. Absent: `keys.randomBytes`.
   */
  publicRandom?(length: number): Uint8Array

  /** The raw bytes of a secret key (for `dir` and PBES2 passwords); throws when not exportable. */
  secretBytes(key: JoseKey): MaybePromise<Uint8Array>

  /** AES-GCM with a 16-byte tag (RFC 7518 §5.3, and A*GCMKW §4.7). */
  gcmEncrypt(
    key: SecretInput,
    iv: Uint8Array,
    plaintext: Uint8Array,
    aad: Uint8Array,
  ): MaybePromise<SealedContent>
  /** Throws JWEDecryptionFailed when the tag does not verify. The caller has checked `tag` is 16 bytes. */
  gcmDecrypt(
    key: SecretInput,
    iv: Uint8Array,
    ciphertext: Uint8Array,
    tag: Uint8Array,
    aad: Uint8Array,
  ): MaybePromise<Uint8Array>

  /** AES-CBC with PKCS#7 padding, no authentication (the HMAC half lives in `jwe/content-cbc-hmac.ts`). */
  cbcEncrypt(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array): MaybePromise<Uint8Array>
  /** Throws JWEDecryptionFailed on bad padding. Only ever called after the HMAC tag verified. */
  cbcDecrypt(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): MaybePromise<Uint8Array>
  hmac(hash: HashName, key: Uint8Array, data: Uint8Array): MaybePromise<Uint8Array>
  /** Constant-time equality of two byte strings of equal length. */
  timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean

  /** AES Key Wrap (RFC 3394) with the default IV. */
  aesKwWrap(kek: SecretInput, cek: Uint8Array): MaybePromise<Uint8Array>
  /** Throws JWEDecryptionFailed when the integrity check fails. */
  aesKwUnwrap(kek: SecretInput, wrapped: Uint8Array): MaybePromise<Uint8Array>

  rsaOaepEncrypt(hash: HashName | 'SHA-1', publicKey: JoseKey, cek: Uint8Array): MaybePromise<Uint8Array>
  /** Throws JWEDecryptionFailed when decryption fails. */
  rsaOaepDecrypt(
    hash: HashName | 'SHA-1',
    privateKey: JoseKey,
    encryptedKey: Uint8Array,
  ): MaybePromise<Uint8Array>
  /**
   * RSAES-PKCS1-v1_5 decryption with the RFC 3218 countermeasure: on any padding failure it returns a
   * random CEK of `cekBytes` through the same code path. Throws JOSENotSupported where the runtime
   * cannot decrypt PKCS#1 v1.5 safely (Node 20 after CVE-2023-46809, WebCrypto).
   */
  rsa15Decrypt(privateKey: JoseKey, encryptedKey: Uint8Array, cekBytes: number): MaybePromise<Uint8Array>

  /** The ECDH shared secret Z (RFC 7518 §4.6.2). Throws JWEInvalid for a degenerate result (small order). */
  ecdh(privateKey: JoseKey, publicKey: JoseKey): MaybePromise<Uint8Array>

  pbkdf2(
    hash: HashName,
    password: Uint8Array,
    salt: Uint8Array,
    iterations: number,
    length: number,
  ): MaybePromise<Uint8Array>

  /** Raw DEFLATE (RFC 1951), as `zip: "DEF"` means. */
  deflate(data: Uint8Array): MaybePromise<Uint8Array>
  /** Raw INFLATE that stops as soon as the output would exceed `maxLength`, throwing JWEDecompressionLimit. */
  inflate(data: Uint8Array, maxLength: number): MaybePromise<Uint8Array>
}
