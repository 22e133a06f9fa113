/**
 * @module Private signing keys at rest: AES-256-GCM (node:crypto) with a random 96-bit IV and the `kid`
 * as additional authenticated data, so a ciphertext moved to another key's row fails to decrypt.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { KeysUnavailable } from '../errors.js'

export function encryptPrivateJwk(plaintext: string, key: Buffer, kid: string): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  cipher.setAAD(Buffer.from(kid, 'utf8'))
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')
}

export function decryptPrivateJwk(sealed: string, key: Buffer, kid: string): string {
  const bytes = Buffer.from(sealed, 'base64url')
  if (bytes.length < 12 + 16 + 1) throw new KeysUnavailable(`the stored private key "${kid}" is truncated`)
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12))
    decipher.setAAD(Buffer.from(kid, 'utf8'))
    decipher.setAuthTag(bytes.subarray(bytes.length - 16))
    return Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]).toString(
      'utf8',
    )
  } catch (error) {
    throw new KeysUnavailable(
      `the signing key "${kid}" does not decrypt: it was stored under another TESSERA_SECRET; set the original secret`,
      { cause: error },
    )
  }
}
