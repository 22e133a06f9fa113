/**
 * @module The Node.js entry point: the public API over node:crypto, plus the synchronous factories.
 */
import { bindApi } from './api.js'
import { nodeBackend } from './backend/node/index.js'
import { nodeJweBackend } from './backend/node/jwe.js'
import { createDPoPProofWith } from './dpop/create-proof.js'
import { accessTokenHashWith } from './dpop/hashes.js'
import type {
  AsyncReplayCache,
  DPoPProofOptions,
  DPoPVerifyOptions,
  DPoPVerifyResult,
  SyncReplayCache,
} from './dpop/types.js'
import { verifyDPoPProofWith } from './dpop/verify-proof.js'
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

/** A DPoP proof (RFC 9449 §4.2) for one request, signed by the client's key. Synchronous on Node. */
export function createDPoPProof(options: DPoPProofOptions): string {
  return createDPoPProofWith(nodeBackend, options) as string
}

/**
 * Checks a DPoP proof (RFC 9449 §4.3) and answers the key's thumbprint (`jkt`), the claims and the header.
 * Synchronous with no replay cache or a synchronous one (createMemoryReplayCache); with a replay cache that
 * answers with promises (Redis, SQL) it returns a promise, and its type says so.
 */
export function verifyDPoPProof(
  proof: string,
  options: DPoPVerifyOptions & { replay: AsyncReplayCache },
): Promise<DPoPVerifyResult>
export function verifyDPoPProof(
  proof: string,
  options: DPoPVerifyOptions & { replay?: SyncReplayCache | undefined },
): DPoPVerifyResult
export function verifyDPoPProof(
  proof: string,
  options: DPoPVerifyOptions,
): DPoPVerifyResult | Promise<DPoPVerifyResult>
export function verifyDPoPProof(
  proof: string,
  options: DPoPVerifyOptions,
): DPoPVerifyResult | Promise<DPoPVerifyResult> {
  return verifyDPoPProofWith(nodeBackend, proof, options)
}

/** The `ath` of an access token: base64url(SHA-256(token)). Synchronous on Node. */
export function calculateAccessTokenHash(accessToken: string): string {
  return accessTokenHashWith(nodeBackend, accessToken) as string
}
