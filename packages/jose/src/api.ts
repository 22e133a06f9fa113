/**
 * @module The public asynchronous API, bound to one backend. `node.ts` and `webcrypto.ts` bind it to
 * their backend and re-export it, so both runtimes offer exactly the same names and call shapes.
 */
import type { JweBackend } from './backend/jwe-types.js'
import type { Backend } from './backend/types.js'
import { createDPoPProofWith } from './dpop/create-proof.js'
import { accessTokenHashWith } from './dpop/hashes.js'
import type { DPoPProofOptions, DPoPVerifyOptions, DPoPVerifyResult } from './dpop/types.js'
import { verifyDPoPProofWith } from './dpop/verify-proof.js'
import { JOSENotSupported } from './errors.js'
import { compactDecryptWith, compactEncryptWith } from './jwe/compact.js'
import { flattenedDecryptWith, flattenedEncryptWith } from './jwe/flattened.js'
import { generalDecryptWith, generalEncryptWith } from './jwe/general.js'
import type {
  CompactDecryptResult,
  CompactEncryptOptions,
  DecryptOptions,
  FlattenedDecryptResult,
  FlattenedEncryptOptions,
  FlattenedJWE,
  GeneralDecryptResult,
  GeneralEncryptOptions,
  GeneralJWE,
  GeneralRecipient,
  JWEHeaderParameters,
} from './jwe/types.js'
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
import {
  calculateJwkThumbprintUriWith,
  calculateJwkThumbprintWith,
  type ThumbprintDigest,
} from './jwk/thumbprint.js'
import type { JWK } from './jwk/types.js'
import { createKeyRingWith, type KeyRingOptions, restoreKeyRingWith } from './jwks/key-ring.js'
import { createLocalJWKSetWith } from './jwks/local.js'
import { createRemoteJWKSetWith, type RemoteJWKSetOptions } from './jwks/remote.js'
import type { JWKSetOptions } from './jwks/validate-set.js'
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
import {
  decryptJWTWith,
  encryptJWTWith,
  type JWTDecryptOptions,
  type JWTDecryptResult,
  type JWTEncryptOptions,
} from './jwt/encrypt-jwt.js'
import {
  type DecryptAndVerifyOptions,
  type DecryptAndVerifyResult,
  decryptAndVerifyJWTWith,
  type SignAndEncryptOptions,
  signAndEncryptJWTWith,
} from './jwt/nested-jwt.js'
import { signJWTWith } from './jwt/sign.js'
import type { JWTPayload, JWTSignOptions, JWTVerifyOptions, JWTVerifyResult } from './jwt/types.js'
import { verifyJWTWith } from './jwt/verify.js'

/**
 * Runs `f` so that a synchronous throw becomes a rejected promise, as callers of an async API expect. Not an
 * `async` function: that would wrap a promise `f` already returns (WebCrypto) in a second one, two extra
 * ticks; `Promise.resolve` hands a native promise back as is, and a synchronous value costs one promise.
 */
function run<T>(f: () => T | Promise<T>): Promise<T> {
  try {
    return Promise.resolve(f())
  } catch (error) {
    return Promise.reject(error)
  }
}

export function bindApi(backend: Backend, jweBackend?: JweBackend) {
  const jwe = (): JweBackend => {
    if (!jweBackend) throw new JOSENotSupported(`JWE is not available on the ${backend.name} backend`)
    return jweBackend
  }
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

    compactSign: (
      payload: Uint8Array,
      key: KeyLike,
      protectedHeader: JWSHeaderParameters,
      options?: SignOptions,
    ) => run(() => compactSignWith(backend, payload, key, protectedHeader, options)),
    compactVerify: (jws: string | Uint8Array, key: KeyLike<JWSHeaderParameters>, options?: VerifyOptions) =>
      run<CompactVerifyResult>(() => compactVerifyWith(backend, jws, key, options)),
    flattenedSign: (
      payload: Uint8Array,
      key: KeyLike,
      protectedHeader: JWSHeaderParameters | undefined,
      unprotectedHeader?: JWSHeaderParameters,
      options?: SignOptions,
    ) =>
      run<FlattenedJWS>(() =>
        flattenedSignWith(backend, payload, key, protectedHeader, unprotectedHeader, options),
      ),
    flattenedVerify: (jws: FlattenedJWS, key: KeyLike<JWSHeaderParameters>, options?: VerifyOptions) =>
      run<FlattenedVerifyResult>(() => flattenedVerifyWith(backend, jws, key, options)),
    generalSign: (payload: Uint8Array, signers: readonly GeneralSigner[]) =>
      run<GeneralJWS>(() => generalSignWith(backend, payload, signers)),
    generalVerify: (jws: GeneralJWS, key: KeyLike<JWSHeaderParameters>, options?: VerifyOptions) =>
      run<GeneralVerifyResult>(() => generalVerifyWith(backend, jws, key, options)),

    signJWT: (claims: JWTPayload, key: KeyLike, options: JWTSignOptions): Promise<string> =>
      run(() => signJWTWith(backend, claims, key, options)),
    verifyJWT: <Payload = JWTPayload>(
      jwt: string,
      key: KeyLike<JWSHeaderParameters>,
      options?: JWTVerifyOptions,
    ) => run(() => verifyJWTWith(backend, jwt, key, options)) as Promise<JWTVerifyResult<Payload>>,

    /** A key resolver over a JWK Set in memory (synchronous on node:crypto). */
    createLocalJWKSet: (jwks: unknown, options?: JWKSetOptions) =>
      createLocalJWKSetWith(backend, jwks, options),
    /** A key resolver over a JWK Set fetched from `url`, cached, refreshed on rotation. */
    createRemoteJWKSet: (url: string | URL, options?: RemoteJWKSetOptions) =>
      createRemoteJWKSetWith(backend, url, options),
    /** An issuer's key ring (current, next, retired keys) with fresh current and next keys. */
    createKeyRing: (options: KeyRingOptions) => run(() => createKeyRingWith(jwe(), options)),
    /** A key ring from `ring.serialize(secret)`. */
    restoreKeyRing: (sealed: string, secret: string | Uint8Array, options: KeyRingOptions) =>
      run(() => restoreKeyRingWith(jwe(), sealed, secret, options)),

    compactEncrypt: (
      plaintext: Uint8Array,
      key: KeyLike | string,
      options: CompactEncryptOptions,
    ): Promise<string> => run(() => compactEncryptWith(jwe(), plaintext, key, options)),
    compactDecrypt: (
      jweToken: string | Uint8Array,
      key: KeyLike<JWEHeaderParameters> | string,
      options: DecryptOptions,
    ) => run<CompactDecryptResult>(() => compactDecryptWith(jwe(), jweToken, key, options)),
    flattenedEncrypt: (
      plaintext: Uint8Array,
      key: KeyLike | string,
      protectedHeader: JWEHeaderParameters | undefined,
      options?: FlattenedEncryptOptions,
    ) => run<FlattenedJWE>(() => flattenedEncryptWith(jwe(), plaintext, key, protectedHeader, options)),
    flattenedDecrypt: (
      jweToken: FlattenedJWE,
      key: KeyLike<JWEHeaderParameters> | string,
      options: DecryptOptions,
    ) => run<FlattenedDecryptResult>(() => flattenedDecryptWith(jwe(), jweToken, key, options)),
    generalEncrypt: (
      plaintext: Uint8Array,
      recipients: readonly GeneralRecipient[],
      protectedHeader?: JWEHeaderParameters,
      options?: GeneralEncryptOptions,
    ) => run<GeneralJWE>(() => generalEncryptWith(jwe(), plaintext, recipients, protectedHeader, options)),
    generalDecrypt: (
      jweToken: GeneralJWE,
      key: KeyLike<JWEHeaderParameters> | string,
      options: DecryptOptions,
    ) => run<GeneralDecryptResult>(() => generalDecryptWith(jwe(), jweToken, key, options)),
    encryptJWT: (claims: JWTPayload, key: KeyLike | string, options: JWTEncryptOptions): Promise<string> =>
      run(() => encryptJWTWith(jwe(), claims, key, options)),
    decryptJWT: <Payload = JWTPayload>(
      jwt: string,
      key: KeyLike<JWEHeaderParameters> | string,
      options: JWTDecryptOptions,
    ) => run(() => decryptJWTWith(jwe(), jwt, key, options)) as Promise<JWTDecryptResult<Payload>>,
    signAndEncryptJWT: (claims: JWTPayload, options: SignAndEncryptOptions): Promise<string> =>
      run(() => signAndEncryptJWTWith(jwe(), claims, options)),
    decryptAndVerifyJWT: (jwt: string, options: DecryptAndVerifyOptions) =>
      run<DecryptAndVerifyResult>(() => decryptAndVerifyJWTWith(jwe(), jwt, options)),

    /** A DPoP proof (RFC 9449 §4.2) for one request, signed by the client's key. */
    createDPoPProof: (options: DPoPProofOptions): Promise<string> =>
      run(() => createDPoPProofWith(backend, options)),
    /** Checks a DPoP proof (RFC 9449 §4.3); answers the key's thumbprint, the claims and the header. */
    verifyDPoPProof: (proof: string, options: DPoPVerifyOptions): Promise<DPoPVerifyResult> =>
      run(() => verifyDPoPProofWith(backend, proof, options)),
    /** The `ath` of an access token: base64url(SHA-256(token)). */
    calculateAccessTokenHash: (accessToken: string): Promise<string> =>
      run(() => accessTokenHashWith(backend, accessToken)),
  }
}

export type JoseApi = ReturnType<typeof bindApi>
