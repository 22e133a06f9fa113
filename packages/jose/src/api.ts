/**
 * @module The public asynchronous API, bound to one backend. `node.ts` and `webcrypto.ts` bind it to
 * their backend and re-export it, so both runtimes offer exactly the same names and call shapes.
 */
import type { Backend } from './backend/types.js'
import {
  exportJWKWith,
  exportPEMWith,
  generateKeyPairWith,
  generateSecretWith,
  importJWKWith,
  importPEMWith,
  importSecretWith,
  publicKeyOfWith,
} from './jwk/api.js'
import type { JoseKey } from './jwk/key.js'
import type { KeyLike } from './jwk/key-input.js'
import type { GenerateKeyPairOptions } from './jwk/spec.js'
import { calculateJwkThumbprintUriWith, calculateJwkThumbprintWith, type ThumbprintDigest } from './jwk/thumbprint.js'
import type { JWK } from './jwk/types.js'
import { compactSignWith, compactVerifyWith } from './jws/compact.js'
import { flattenedSignWith, flattenedVerifyWith } from './jws/flattened.js'
import { type GeneralSigner, generalSignWith, generalVerifyWith } from './jws/general.js'
import type {
  CompactVerifyResult,
  FlattenedJWS,
  FlattenedVerifyResult,
  GeneralJWS,
  GeneralVerifyResult,
  JWSHeaderParameters,
  SignOptions,
  VerifyOptions,
} from './jws/types.js'
import { signJWTWith } from './jwt/sign.js'
import type { JWTPayload, JWTSignOptions, JWTVerifyOptions, JWTVerifyResult } from './jwt/types.js'
import { verifyJWTWith } from './jwt/verify.js'

/** Runs `f` so that a synchronous throw becomes a rejected promise, as callers of an async API expect. */
async function run<T>(f: () => T | Promise<T>): Promise<T> {
  return f()
}

export function bindApi(backend: Backend) {
  return {
    importJWK: (jwk: JWK, alg?: string): Promise<JoseKey> => run(() => importJWKWith(backend, jwk, alg)),
    importPEM: (pem: string, alg?: string): Promise<JoseKey> => run(() => importPEMWith(backend, pem, alg)),
    importSecret: (secret: Uint8Array, alg?: string): Promise<JoseKey> =>
      run(() => importSecretWith(backend, secret, alg)),
    exportJWK: (key: KeyLike): Promise<JWK> => run(() => exportJWKWith(backend, key)),
    exportPEM: (key: KeyLike): Promise<string> => run(() => exportPEMWith(backend, key)),
    getPublicKey: (key: KeyLike): Promise<JoseKey> => run(() => publicKeyOfWith(backend, key)),
    generateKeyPair: (alg: string, options?: GenerateKeyPairOptions) =>
      run(() => generateKeyPairWith(backend, alg, options)),
    generateSecret: (alg: string, options?: { extractable?: boolean }): Promise<JoseKey> =>
      run(() => generateSecretWith(backend, alg, options)),
    calculateJwkThumbprint: (key: JWK | JoseKey, digest?: ThumbprintDigest): Promise<string> =>
      run(() => calculateJwkThumbprintWith(backend, key, digest)),
    calculateJwkThumbprintUri: (key: JWK | JoseKey, digest?: ThumbprintDigest): Promise<string> =>
      run(() => calculateJwkThumbprintUriWith(backend, key, digest)),

    compactSign: (payload: Uint8Array, key: KeyLike, protectedHeader: JWSHeaderParameters, options?: SignOptions) =>
      run(() => compactSignWith(backend, payload, key, protectedHeader, options)),
    compactVerify: (jws: string | Uint8Array, key: KeyLike<JWSHeaderParameters>, options?: VerifyOptions) =>
      run<CompactVerifyResult>(() => compactVerifyWith(backend, jws, key, options)),
    flattenedSign: (
      payload: Uint8Array,
      key: KeyLike,
      protectedHeader: JWSHeaderParameters | undefined,
      unprotectedHeader?: JWSHeaderParameters,
      options?: SignOptions,
    ) => run<FlattenedJWS>(() => flattenedSignWith(backend, payload, key, protectedHeader, unprotectedHeader, options)),
    flattenedVerify: (jws: FlattenedJWS, key: KeyLike<JWSHeaderParameters>, options?: VerifyOptions) =>
      run<FlattenedVerifyResult>(() => flattenedVerifyWith(backend, jws, key, options)),
    generalSign: (payload: Uint8Array, signers: readonly GeneralSigner[]) =>
      run<GeneralJWS>(() => generalSignWith(backend, payload, signers)),
    generalVerify: (jws: GeneralJWS, key: KeyLike<JWSHeaderParameters>, options?: VerifyOptions) =>
      run<GeneralVerifyResult>(() => generalVerifyWith(backend, jws, key, options)),

    signJWT: (claims: JWTPayload, key: KeyLike, options: JWTSignOptions): Promise<string> =>
      run(() => signJWTWith(backend, claims, key, options)),
    verifyJWT: <Payload = JWTPayload>(jwt: string, key: KeyLike<JWSHeaderParameters>, options?: JWTVerifyOptions) =>
      run(() => verifyJWTWith(backend, jwt, key, options)) as Promise<JWTVerifyResult<Payload>>,
  }
}

export type JoseApi = ReturnType<typeof bindApi>
