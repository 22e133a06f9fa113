/**
 * @module The Node.js entry point: the public API over node:crypto, plus the synchronous factories.
 */
import { bindApi } from './api.js'
import { nodeBackend } from './backend/node/index.js'
import { nodeJweBackend } from './backend/node/jwe.js'
import { createDecrypterWith, type Decrypter, type DecrypterOptions } from './jwe/create-decrypter.js'
import { createEncrypterWith, type Encrypter, type EncrypterOptions } from './jwe/create-encrypter.js'
import type { KeyCandidates } from './jwks/key-set.js'
import { createLocalJWKSetWith, type LocalJWKSet } from './jwks/local.js'
import type { JWKSetOptions } from './jwks/validate-set.js'
import type { JWSHeaderParameters } from './jws/types.js'
import { createSignerWith, type Signer, type SignerOptions } from './jwt/create-signer.js'
import {
  type AsyncVerifier,
  createVerifierWith,
  type Verifier,
  type VerifierOptions,
} from './jwt/create-verifier.js'

export * from './common-exports.js'
export type {
  AsyncVerifier,
  Decrypter,
  DecrypterOptions,
  Encrypter,
  EncrypterOptions,
  Signer,
  SignerOptions,
  Verifier,
  VerifierOptions,
}

export const {
  importJWK,
  importPEM,
  importSecret,
  exportJWK,
  exportPEM,
  getPublicKey,
  generateKeyPair,
  generateSecret,
  calculateJwkThumbprint,
  calculateJwkThumbprintUri,
  compactSign,
  compactVerify,
  flattenedSign,
  flattenedVerify,
  generalSign,
  generalVerify,
  signJWT,
  verifyJWT,
  createRemoteJWKSet,
  createKeyRing,
  restoreKeyRing,
  compactEncrypt,
  compactDecrypt,
  flattenedEncrypt,
  flattenedDecrypt,
  generalEncrypt,
  generalDecrypt,
  encryptJWT,
  decryptJWT,
  signAndEncryptJWT,
  decryptAndVerifyJWT,
} = bindApi(nodeBackend, nodeJweBackend)

/** The runtime this entry point runs on. */
export const runtime = 'node' as const

/** A synchronous JWT signer: key imported and header encoded once. */
export function createSigner(options: SignerOptions): Signer {
  return createSignerWith(nodeBackend, options)
}

/** A synchronous compact JWE encrypter: key imported, options checked once (and tried once, at creation). */
export function createEncrypter(options: EncrypterOptions): Encrypter {
  return createEncrypterWith(nodeJweBackend, options)
}

/** A compact JWE decrypter with options compiled and key imported once; synchronous unless its resolver is not. */
export function createDecrypter(options: DecrypterOptions): Decrypter {
  return createDecrypterWith(nodeJweBackend, options)
}

/**
 * A key resolver over a JWK Set in memory. On Node it answers synchronously, so
 * `createVerifier({ key: createLocalJWKSet(jwks) })` returns results, not promises.
 */
export function createLocalJWKSet(jwks: unknown, options?: JWKSetOptions): LocalJWKSet<KeyCandidates> {
  return createLocalJWKSetWith(nodeBackend, jwks, options) as LocalJWKSet<KeyCandidates>
}

/**
 * A JWT verifier with options compiled once. Synchronous over a key or a local key set; over an
 * asynchronous resolver (a remote key set) it returns promises, and its type says so.
 */
export function createVerifier(
  options: VerifierOptions & {
    key: (protectedHeader: JWSHeaderParameters, token: string) => PromiseLike<unknown>
  },
): AsyncVerifier
export function createVerifier(options: VerifierOptions): Verifier
export function createVerifier(options: VerifierOptions): Verifier | AsyncVerifier {
  return createVerifierWith(nodeBackend, options)
}
