/**
 * @module The browser / edge entry point (browsers, Deno, Bun, workers): the public API over WebCrypto.
 * Same names and call shapes as `node.ts`, minus the synchronous factories (WebCrypto is asynchronous).
 * ES256K, Ed448 and X448 are refused with JOSENotSupported: WebCrypto has no such primitives.
 */
import { bindApi } from './api.js'
import { webCryptoBackend } from './backend/webcrypto/index.js'
import { webCryptoJweBackend } from './backend/webcrypto/jwe.js'

export * from './common-exports.js'

// JWE runs on backend/webcrypto/jwe.ts: what WebCrypto lacks (RSA1_5, X448, AES-192 on Chromium) is JOSENotSupported.
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
  createLocalJWKSet,
  createRemoteJWKSet,
  createKeyRing,
  restoreKeyRing,
  createDPoPProof,
  verifyDPoPProof,
  calculateAccessTokenHash,
} = bindApi(webCryptoBackend, webCryptoJweBackend)

/** The runtime this entry point runs on. */
export const runtime = 'webcrypto' as const
