/**
 * @module The Node.js entry point: the public API over node:crypto, plus the synchronous factories.
 */
import { bindApi } from './api.js'
import { nodeBackend } from './backend/node/index.js'
import { nodeJweBackend } from './backend/node/jwe.js'
import { createSignerWith, type Signer, type SignerOptions } from './jwt/create-signer.js'
import { type AsyncVerifier, createVerifierWith, type Verifier, type VerifierOptions } from './jwt/create-verifier.js'

export * from './common-exports.js'
export type { AsyncVerifier, Signer, SignerOptions, Verifier, VerifierOptions }

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

/** A JWT verifier with options compiled once; synchronous unless its key resolver is asynchronous. */
export function createVerifier(options: VerifierOptions): Verifier {
  return createVerifierWith(nodeBackend, options)
}
