/**
 * @module The WebCrypto JWE backend (browsers, Deno, Bun, workers): crypto.subtle for AES-GCM, AES-CBC,
 * HMAC, AES-KW, RSA-OAEP, ECDH / X25519 and PBKDF2, and CompressionStream for `zip`. What WebCrypto
 * lacks is refused with JOSENotSupported naming it: RSA1_5 (no RSAES-PKCS1-v1_5 at all), X448, and
 * 192-bit AES where the engine has none (Chromium).
 */
import type { HashName } from '../../alg/jws-algorithms.js'
import {
  JOSENotSupported,
  JWEDecompressionLimit,
  JWEDecryptionFailed,
  JWEInvalid,
  KeyUsageForbidden,
} from '../../errors.js'
import type { JoseKey } from '../../jwk/key.js'
import { decodeBase64url } from '../../util/base64url.js'
import type { JweBackend, SecretInput } from '../jwe-types.js'
import { bufferSource, cryptoKeyFor, keyMaterial } from './handle.js'
import { webCryptoBackend } from './index.js'
import { notOnWebCrypto } from './params.js'

const subtle = () => globalThis.crypto.subtle

async function secretBytes(key: JoseKey): Promise<Uint8Array> {
  if (key.type !== 'secret') throw new KeyUsageForbidden(`expected a secret key, not a ${key.describe()}`)
  const k = (await keyMaterial(key)).k
  const bytes = k === undefined ? undefined : decodeBase64url(k)
  if (!bytes) throw new KeyUsageForbidden('this secret key has no readable material')
  return bytes
}

async function rawBytes(key: SecretInput): Promise<Uint8Array> {
  return key instanceof Uint8Array ? key : secretBytes(key)
}

/** An AES key of any size; a 192-bit key fails on engines without AES-192 (Chromium) with a clear error. */
async function aesKey(bytes: Uint8Array, name: string, usages: KeyUsage[]): Promise<CryptoKey> {
  try {
    return await subtle().importKey('raw', bufferSource(bytes), { name }, false, usages)
  } catch {
    if (bytes.length === 24) throw notOnWebCrypto(`192-bit ${name} on this engine`)
    throw new JWEInvalid(`the ${name} key of ${bytes.length * 8} bits was refused by WebCrypto`)
  }
}

/** The CEK as a CryptoKey AES-KW can wrap: HMAC accepts raw keys of any length and may be exported. */
function wrappableCek(cek: Uint8Array): Promise<CryptoKey> {
  return subtle().importKey(
    'raw',
    bufferSource(cek),
    { name: 'HMAC', hash: 'SHA-256', length: cek.length * 8 },
    true,
    ['sign'],
  )
}

async function decryptOrFail(run: () => Promise<ArrayBuffer>): Promise<Uint8Array> {
  try {
    return new Uint8Array(await run())
  } catch {
    throw new JWEDecryptionFailed()
  }
}

/** Field sizes in bits for ECDH deriveBits: Z is the whole x-coordinate (RFC 7518 §4.6.2). */
const Z_BITS: Record<string, number> = { 'P-256': 256, 'P-384': 384, 'P-521': 528, X25519: 256 }

async function ecdhParams(key: JoseKey): Promise<EcKeyImportParams | Algorithm> {
  if (key.crv === 'X25519') return { name: 'X25519' }
  if (key.crv === undefined || Z_BITS[key.crv] === undefined)
    throw notOnWebCrypto(`ECDH-ES on ${key.crv ?? 'this curve'}`)
  return { name: 'ECDH', namedCurve: key.crv }
}

/** A (de)compression stream: what CompressionStream and DecompressionStream both are. */
interface ByteTransform {
  readonly readable: ReadableStream<Uint8Array>
  readonly writable: WritableStream<Uint8Array>
}

async function pump(stream: ByteTransform, data: Uint8Array, maxLength: number): Promise<Uint8Array> {
  const writer = stream.writable.getWriter()
  writer.write(bufferSource(data)).catch(() => {})
  writer.close().catch(() => {})
  const reader = stream.readable.getReader()
  const chunks: Uint8Array[] = []
  let length = 0
  for (;;) {
    let result: ReadableStreamReadResult<Uint8Array>
    try {
      result = await reader.read()
    } catch {
      throw new JWEInvalid('the compressed plaintext is not valid raw DEFLATE data')
    }
    if (result.done) break
    length += result.value.length
    if (length > maxLength) {
      // Checked per chunk while inflating: the stream is cancelled as soon as the cap is passed.
      await reader.cancel().catch(() => {})
      throw new JWEDecompressionLimit(
        `the compressed plaintext inflates to more than ${maxLength} bytes (maxDecompressedLength); refused`,
      )
    }
    chunks.push(result.value)
  }
  const out = new Uint8Array(length)
  let offset = 0
  for (const chunk of chunks) {
    out.set(chunk, offset)
    offset += chunk.length
  }
  return out
}

function compressionStream(kind: 'CompressionStream' | 'DecompressionStream'): ByteTransform {
  const Stream = (globalThis as Record<string, unknown>)[kind] as
    | (new (
        format: string,
      ) => ByteTransform)
    | undefined
  try {
    if (Stream) return new Stream('deflate-raw')
  } catch {}
  throw new JOSENotSupported(`"zip": "DEF" needs ${kind}("deflate-raw"), which this runtime does not have`)
}

export const webCryptoJweBackend: JweBackend = {
  keys: webCryptoBackend,
  secretBytes,

  async gcmEncrypt(key, iv, plaintext, aad) {
    const cryptoKey = await aesKey(await rawBytes(key), 'AES-GCM', ['encrypt'])
    const sealed = new Uint8Array(
      await subtle().encrypt(
        { name: 'AES-GCM', iv: bufferSource(iv), additionalData: bufferSource(aad), tagLength: 128 },
        cryptoKey,
        bufferSource(plaintext),
      ),
    )
    return { ciphertext: sealed.subarray(0, sealed.length - 16), tag: sealed.subarray(sealed.length - 16) }
  },

  async gcmDecrypt(key, iv, ciphertext, tag, aad) {
    const cryptoKey = await aesKey(await rawBytes(key), 'AES-GCM', ['decrypt'])
    const sealed = new Uint8Array(ciphertext.length + tag.length)
    sealed.set(ciphertext)
    sealed.set(tag, ciphertext.length)
    return decryptOrFail(() =>
      subtle().decrypt(
        { name: 'AES-GCM', iv: bufferSource(iv), additionalData: bufferSource(aad), tagLength: 128 },
        cryptoKey,
        sealed,
      ),
    )
  },

  async cbcEncrypt(key, iv, plaintext) {
    const cryptoKey = await aesKey(key, 'AES-CBC', ['encrypt'])
    return new Uint8Array(
      await subtle().encrypt({ name: 'AES-CBC', iv: bufferSource(iv) }, cryptoKey, bufferSource(plaintext)),
    )
  },

  async cbcDecrypt(key, iv, ciphertext) {
    const cryptoKey = await aesKey(key, 'AES-CBC', ['decrypt'])
    return decryptOrFail(() =>
      subtle().decrypt({ name: 'AES-CBC', iv: bufferSource(iv) }, cryptoKey, bufferSource(ciphertext)),
    )
  },

  async hmac(hash: HashName, key, data) {
    const cryptoKey = await subtle().importKey('raw', bufferSource(key), { name: 'HMAC', hash }, false, [
      'sign',
    ])
    return new Uint8Array(await subtle().sign('HMAC', cryptoKey, bufferSource(data)))
  },

  timingSafeEqual(a, b) {
    if (a.length !== b.length) return false
    // No early exit: the time depends on the length only (the tag length is public).
    let difference = 0
    for (let i = 0; i < a.length; i++) difference |= a[i]! ^ b[i]!
    return difference === 0
  },

  async aesKwWrap(kek, cek) {
    const wrapping = await aesKey(await rawBytes(kek), 'AES-KW', ['wrapKey'])
    return new Uint8Array(await subtle().wrapKey('raw', await wrappableCek(cek), wrapping, 'AES-KW'))
  },

  async aesKwUnwrap(kek, wrapped) {
    const unwrapping = await aesKey(await rawBytes(kek), 'AES-KW', ['unwrapKey'])
    let cek: CryptoKey
    try {
      cek = await subtle().unwrapKey(
        'raw',
        bufferSource(wrapped),
        unwrapping,
        'AES-KW',
        { name: 'HMAC', hash: 'SHA-256' },
        true,
        ['sign'],
      )
    } catch {
      throw new JWEDecryptionFailed()
    }
    return new Uint8Array(await subtle().exportKey('raw', cek))
  },

  async rsaOaepEncrypt(hash, publicKey, cek) {
    const cryptoKey = await cryptoKeyFor(publicKey, { name: 'RSA-OAEP', hash }, ['encrypt'])
    return new Uint8Array(await subtle().encrypt({ name: 'RSA-OAEP' }, cryptoKey, bufferSource(cek)))
  },

  async rsaOaepDecrypt(hash, privateKey, encryptedKey) {
    const cryptoKey = await cryptoKeyFor(privateKey, { name: 'RSA-OAEP', hash }, ['decrypt'])
    return decryptOrFail(() => subtle().decrypt({ name: 'RSA-OAEP' }, cryptoKey, bufferSource(encryptedKey)))
  },

  rsa15Decrypt() {
    throw new JOSENotSupported(
      'RSA1_5 (RSAES-PKCS1-v1_5) is deprecated (RFC 8725 §3.2) and WebCrypto has no PKCS#1 v1.5 encryption at all; ' +
        'ask the sender to use RSA-OAEP-256',
    )
  },

  async ecdh(privateKey, publicKey) {
    const params = await ecdhParams(privateKey)
    const ownKey = await cryptoKeyFor(privateKey, params, ['deriveBits'])
    const peerKey = await cryptoKeyFor(publicKey, params, [])
    let z: Uint8Array
    try {
      z = new Uint8Array(
        await subtle().deriveBits(
          { name: params.name, public: peerKey } as EcdhKeyDeriveParams,
          ownKey,
          Z_BITS[privateKey.crv!]!,
        ),
      )
    } catch {
      throw new JWEInvalid(
        'the "epk" does not give a valid shared secret with this key (a point of small order?)',
      )
    }
    let acc = 0
    for (const byte of z) acc |= byte
    if (acc === 0) throw new JWEInvalid('the "epk" gives an all-zero shared secret (a point of small order)')
    return z
  },

  async pbkdf2(hash, password, salt, iterations, length) {
    const base = await subtle().importKey('raw', bufferSource(password), 'PBKDF2', false, ['deriveBits'])
    return new Uint8Array(
      await subtle().deriveBits(
        { name: 'PBKDF2', hash, salt: bufferSource(salt), iterations },
        base,
        length * 8,
      ),
    )
  },

  deflate: (data) => pump(compressionStream('CompressionStream'), data, Number.MAX_SAFE_INTEGER),
  inflate: (data, maxLength) => pump(compressionStream('DecompressionStream'), data, maxLength),
}
