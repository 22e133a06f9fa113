/**
 * @module The node:crypto backend: every primitive synchronous, on KeyObjects imported once.
 */
import { createHash, KeyObject, randomBytes } from 'node:crypto'
import type { JoseKey } from '../../jwk/key.js'
import type { Backend } from '../types.js'
import {
  exportJwk,
  exportPem,
  generateKeyPair,
  generateSecret,
  importJwk,
  importPem,
  importSecret,
  publicKeyOf,
  toKeyObject,
  wrapKeyObject,
} from './keys.js'
import { signBytes, signToBase64url, verifyBase64url, verifyBytes } from './signature.js'

const HASH = { 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' } as const

export const nodeBackend = {
  name: 'node',
  importJWK: importJwk,
  importSecret,
  importPEM: importPem,
  importNative(value, alg) {
    const keyObject = toKeyObject(value)
    return keyObject ? wrapKeyObject(keyObject, { alg }) : undefined
  },
  toNative: (key) => key.handle as KeyObject,
  ownsKey: (key) => key.handle instanceof KeyObject,
  exportJWK: (key) => exportJwk(key as JoseKey<KeyObject>),
  exportPEM: (key) => exportPem(key as JoseKey<KeyObject>),
  publicKeyOf: (key) => publicKeyOf(key as JoseKey<KeyObject>),
  generateKeyPair,
  generateSecret: (bytes, alg, extractable) => generateSecret(randomBytes(bytes), alg, extractable),
  sign: (alg, key, data) => signBytes(alg, key as JoseKey<KeyObject>, data),
  verify: (alg, key, data, signature) => verifyBytes(alg, key as JoseKey<KeyObject>, data, signature),
  signToBase64url: (alg, key, signingInput) => signToBase64url(alg, key as JoseKey<KeyObject>, signingInput),
  verifyBase64url: (alg, key, signingInput, signature) =>
    verifyBase64url(alg, key as JoseKey<KeyObject>, signingInput, signature),
  digest: (hash, data) => createHash(HASH[hash]).update(data).digest(),
  randomBytes: (length) => randomBytes(length),
} satisfies Backend

export { signBytes, signToBase64url, verifyBytes } from './signature.js'
