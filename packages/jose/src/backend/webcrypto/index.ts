/**
 * @module The WebCrypto backend (browsers, Deno, Bun, edge workers): every primitive over crypto.subtle,
 * asynchronous, with CryptoKeys imported once per key and algorithm (see handle.ts).
 */
import type { Backend } from '../types.js'
import { exportJwk, exportPem, publicKeyOf, toNative } from './export.js'
import { bufferSource, ownsKey } from './handle.js'
import { generateKeyPair, generateSecret, importJwk, importNative, importPem, importSecret } from './keys.js'
import { signBytes, verifyBytes } from './signature.js'

/** getRandomValues fills at most 65536 bytes per call (WebCrypto §10.1.1). */
function randomBytes(length: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(length)
  for (let offset = 0; offset < length; offset += 65536) {
    crypto.getRandomValues(out.subarray(offset, Math.min(length, offset + 65536)))
  }
  return out
}

export const webCryptoBackend = {
  name: 'webcrypto',
  importJWK: importJwk,
  importSecret,
  importPEM: importPem,
  importNative,
  toNative,
  ownsKey,
  exportJWK: exportJwk,
  exportPEM: exportPem,
  publicKeyOf,
  generateKeyPair,
  generateSecret: (bytes, alg, extractable) => generateSecret(randomBytes(bytes), alg, extractable),
  sign: signBytes,
  verify: verifyBytes,
  digest: async (hash, data) => new Uint8Array(await crypto.subtle.digest(hash, bufferSource(data))),
  randomBytes,
} satisfies Backend

export { signBytes, verifyBytes } from './signature.js'
