/**
 * @module The backend seam: the primitives a runtime must provide. `backend/node/` implements it over
 * node:crypto (every call synchronous), `backend/webcrypto/` over crypto.subtle (asynchronous).
 * Nothing outside `backend/node/` imports `node:*` (a test checks it).
 */
import type { HashName, JwsAlgorithm } from '../alg/jws-algorithms.js'
import type { JoseKey } from '../jwk/key.js'
import type { KeySpec } from '../jwk/spec.js'
import type { JWK } from '../jwk/types.js'

export type MaybePromise<T> = T | Promise<T>

export interface KeyPair {
  publicKey: JoseKey
  privateKey: JoseKey
}

export interface Backend {
  readonly name: 'node' | 'webcrypto'

  /** Imports a JWK already checked by `jwk/validate.ts`; `alg` binds the key to one algorithm. */
  importJWK(jwk: JWK, alg: string | undefined): MaybePromise<JoseKey>
  /** Imports raw secret bytes (HMAC, AES, `dir`). */
  importSecret(bytes: Uint8Array, alg: string | undefined): MaybePromise<JoseKey>
  /** Imports one PEM block: SPKI (`PUBLIC KEY`), PKCS#8 (`PRIVATE KEY`) or an X.509 `CERTIFICATE`. */
  importPEM(pem: string, alg: string | undefined): MaybePromise<JoseKey>
  /** Wraps the runtime's own key object (KeyObject / CryptoKey); undefined when `value` is not one. */
  importNative(value: unknown, alg: string | undefined): JoseKey | undefined
  /** The runtime's own key object behind a JoseKey (KeyObject / CryptoKey where it has one). */
  toNative(key: JoseKey): MaybePromise<unknown>

  exportJWK(key: JoseKey): MaybePromise<JWK>
  exportPEM(key: JoseKey): MaybePromise<string>
  /** The public half of a private key (same `alg`, `kid`, `use`). */
  publicKeyOf(key: JoseKey): MaybePromise<JoseKey>

  generateKeyPair(spec: KeySpec, alg: string, extractable: boolean): MaybePromise<KeyPair>
  generateSecret(bytes: number, alg: string, extractable: boolean): MaybePromise<JoseKey>

  /** `data` is bytes, or an ASCII JWS Signing Input as a string (one byte per character). */
  sign(alg: JwsAlgorithm, key: JoseKey, data: Uint8Array | string): MaybePromise<Uint8Array>
  /** Must compare in constant time and return false (never throw) for a signature that does not verify. */
  verify(
    alg: JwsAlgorithm,
    key: JoseKey,
    data: Uint8Array | string,
    signature: Uint8Array,
  ): MaybePromise<boolean>
  /** Optional fast path for synchronous signers: sign an ASCII signing input, return base64url. */
  signToBase64url?(alg: JwsAlgorithm, key: JoseKey, signingInput: string): string
  /** Optional fast path for synchronous verifiers: the signature as its base64url segment; false if malformed. */
  verifyBase64url?(alg: JwsAlgorithm, key: JoseKey, signingInput: string, signature: string): boolean

  digest(hash: HashName, data: Uint8Array): MaybePromise<Uint8Array>
  randomBytes(length: number): Uint8Array
  /** Whether `key` was made by this backend (a key of the other backend is refused, never half-used). */
  ownsKey?(key: JoseKey): boolean
}
