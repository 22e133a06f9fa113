/**
 * @module Sealing a key ring under a caller's secret: a JWE in Compact Serialization with
 * `PBES2-HS512+A256KW` and `A256GCM` (RFC 7516, RFC 7518 §4.8 and §5.3), so any JOSE library can open it.
 *
 * Built on WebCrypto (global in Node 20 and browsers) rather than src/jwe, which was being written at the
 * same time; the output is standard JWE, so swapping in `compactEncrypt` later changes no stored data.
 * TODO(0.2): use src/jwe's compactEncrypt / compactDecrypt once both backends export them.
 */
import { JWEDecryptionFailed, JWEInvalid, KeyInputInvalid } from '../errors.js'
import { decodeBase64url, encodeBase64url } from '../util/base64url.js'
import { utf8Decode, utf8Encode } from '../util/bytes.js'
import { parseHeaderObject } from '../util/json.js'

const ALG = 'PBES2-HS512+A256KW'
const ENC = 'A256GCM'
/** OWASP's 2023 figure for PBKDF2-HMAC-SHA512; ~0.2 s here, paid once per serialize or restore. */
export const DEFAULT_ITERATIONS = 210_000
/** A stored ring asking for more is refused before any work (a tampered `p2c` must not stall a restore). */
const MAX_ITERATIONS = 5_000_000
const MIN_ITERATIONS = 10_000
/** A short passphrase is guessable however many iterations protect it. */
const MIN_SECRET_BYTES = 16

// TS 5.9 types Uint8Array<ArrayBufferLike>, which WebCrypto's BufferSource does not admit; the bytes are the same.
const bs = (bytes: Uint8Array) => bytes as Uint8Array<ArrayBuffer>

function secretBytes(secret: unknown): Uint8Array {
  const bytes = typeof secret === 'string' ? utf8Encode(secret) : secret
  if (!(bytes instanceof Uint8Array))
    throw new KeyInputInvalid('the key ring secret must be a string or a Uint8Array')
  if (bytes.length < MIN_SECRET_BYTES) {
    throw new KeyInputInvalid(
      `the key ring secret must be at least ${MIN_SECRET_BYTES} bytes; use a long random value`,
    )
  }
  return bytes
}

async function keyEncryptionKey(secret: Uint8Array, p2s: Uint8Array, p2c: number): Promise<CryptoKey> {
  const subtle = globalThis.crypto.subtle
  // RFC 7518 §4.8.1.1: the salt is UTF8(alg) || 0x00 || p2s.
  const salt = new Uint8Array([...utf8Encode(ALG), 0, ...p2s])
  const base = await subtle.importKey('raw', bs(secret), 'PBKDF2', false, ['deriveKey'])
  return subtle.deriveKey(
    { name: 'PBKDF2', salt: bs(salt), iterations: p2c, hash: 'SHA-512' },
    base,
    { name: 'AES-KW', length: 256 },
    false,
    ['wrapKey', 'unwrapKey'],
  )
}

export async function seal(
  plaintext: Uint8Array,
  secret: unknown,
  cty: string,
  iterations = DEFAULT_ITERATIONS,
): Promise<string> {
  const subtle = globalThis.crypto.subtle
  const p2s = globalThis.crypto.getRandomValues(new Uint8Array(16))
  const header = encodeBase64url(
    JSON.stringify({ alg: ALG, enc: ENC, cty, p2s: encodeBase64url(p2s), p2c: iterations }),
  )
  const kek = await keyEncryptionKey(secretBytes(secret), p2s, iterations)
  const cek = await subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt'])
  const encryptedKey = new Uint8Array(await subtle.wrapKey('raw', cek, kek, 'AES-KW'))
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(12))
  const sealed = new Uint8Array(
    await subtle.encrypt(
      { name: 'AES-GCM', iv, additionalData: bs(utf8Encode(header)), tagLength: 128 },
      cek,
      bs(plaintext),
    ),
  )
  const ciphertext = sealed.subarray(0, sealed.length - 16)
  const tag = sealed.subarray(sealed.length - 16)
  return [
    header,
    encodeBase64url(encryptedKey),
    encodeBase64url(iv),
    encodeBase64url(ciphertext),
    encodeBase64url(tag),
  ].join('.')
}

export async function unseal(jwe: string, secret: unknown, cty: string): Promise<Uint8Array> {
  const bytes = secretBytes(secret)
  const parts = typeof jwe === 'string' ? jwe.split('.') : []
  if (parts.length !== 5) throw new JWEInvalid('a sealed key ring is a compact JWE of five parts')
  const [headerSegment, keySegment, ivSegment, ctSegment, tagSegment] = parts as [
    string,
    string,
    string,
    string,
    string,
  ]
  const headerText = utf8Decode(decodeBase64url(headerSegment) ?? new Uint8Array([0xff]))
  const header = headerText === undefined ? 'is not UTF-8' : parseHeaderObject(headerText)
  if (typeof header === 'string') throw new JWEInvalid(`the sealed key ring's header ${header}`)
  if (header.alg !== ALG || header.enc !== ENC || header.cty !== cty) {
    throw new JWEInvalid(`a sealed key ring uses "alg": "${ALG}", "enc": "${ENC}" and "cty": "${cty}"`)
  }
  const p2c = header.p2c
  if (typeof p2c !== 'number' || !Number.isInteger(p2c) || p2c < MIN_ITERATIONS || p2c > MAX_ITERATIONS) {
    throw new JWEInvalid(
      `the sealed key ring's "p2c" must be an integer from ${MIN_ITERATIONS} to ${MAX_ITERATIONS}`,
    )
  }
  const p2s = typeof header.p2s === 'string' ? decodeBase64url(header.p2s) : undefined
  const encryptedKey = decodeBase64url(keySegment)
  const iv = decodeBase64url(ivSegment)
  const ciphertext = decodeBase64url(ctSegment)
  const tag = decodeBase64url(tagSegment)
  if (
    !p2s ||
    p2s.length < 8 ||
    !encryptedKey ||
    !iv ||
    iv.length !== 12 ||
    !ciphertext ||
    !tag ||
    tag.length !== 16
  ) {
    throw new JWEInvalid(
      'the sealed key ring has a malformed part (p2s, encrypted key, IV, ciphertext or tag)',
    )
  }
  const subtle = globalThis.crypto.subtle
  const kek = await keyEncryptionKey(bytes, p2s, p2c)
  try {
    const cek = await subtle.unwrapKey('raw', bs(encryptedKey), kek, 'AES-KW', 'AES-GCM', false, ['decrypt'])
    const sealed = new Uint8Array([...ciphertext, ...tag])
    return new Uint8Array(
      await subtle.decrypt(
        { name: 'AES-GCM', iv: bs(iv), additionalData: bs(utf8Encode(headerSegment)), tagLength: 128 },
        cek,
        bs(sealed),
      ),
    )
  } catch {
    throw new JWEDecryptionFailed(
      'the key ring did not decrypt: the secret is wrong, or the stored data was altered',
    )
  }
}
