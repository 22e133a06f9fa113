/**
 * @module The key functions of the public API: import, export, generate, over any backend.
 */
import type { Backend, KeyPair, MaybePromise } from '../backend/types.js'
import { JOSEOptionInvalid, KeyInputInvalid } from '../errors.js'
import { chain } from '../util/maybe-promise.js'
import { checkBoundAlgorithm } from './check-signing-key.js'
import type { JoseKey } from './key.js'
import { importCheckedJwk, toJoseKey } from './key-input.js'
import { type GenerateKeyPairOptions, keyPairSpec, secretLength } from './spec.js'
import type { JWK } from './types.js'

function optionalAlg(alg: unknown): string | undefined {
  if (alg !== undefined && (typeof alg !== 'string' || alg === '')) {
    throw new JOSEOptionInvalid('alg must be an algorithm name such as "ES256"')
  }
  return alg
}

export function importJWKWith(backend: Backend, jwk: JWK, alg?: string): MaybePromise<JoseKey> {
  return chain(importCheckedJwk(backend, jwk, optionalAlg(alg)), checkBoundAlgorithm)
}

export function importPEMWith(backend: Backend, pem: string, alg?: string): MaybePromise<JoseKey> {
  return chain(backend.importPEM(pem, optionalAlg(alg)), checkBoundAlgorithm)
}

/** Bytes as a secret key, optionally bound to one `alg`. */
export function importSecretWith(backend: Backend, secret: Uint8Array, alg?: string): MaybePromise<JoseKey> {
  if (!(secret instanceof Uint8Array)) throw new KeyInputInvalid('a secret must be a Uint8Array')
  return chain(backend.importSecret(secret, optionalAlg(alg)), checkBoundAlgorithm)
}

export function exportJWKWith(backend: Backend, key: unknown): MaybePromise<JWK> {
  return chain(toJoseKey(backend, key), (joseKey) => backend.exportJWK(joseKey))
}

export function exportPEMWith(backend: Backend, key: unknown): MaybePromise<string> {
  return chain(toJoseKey(backend, key), (joseKey) => backend.exportPEM(joseKey))
}

export function publicKeyOfWith(backend: Backend, key: unknown): MaybePromise<JoseKey> {
  return chain(toJoseKey(backend, key), (joseKey) => backend.publicKeyOf(joseKey))
}

export function generateKeyPairWith(
  backend: Backend,
  alg: string,
  options: GenerateKeyPairOptions = {},
): MaybePromise<KeyPair> {
  return backend.generateKeyPair(keyPairSpec(alg, options), alg, options.extractable ?? false)
}

export function generateSecretWith(
  backend: Backend,
  alg: string,
  options: { extractable?: boolean } = {},
): MaybePromise<JoseKey> {
  return backend.generateSecret(secretLength(alg), alg, options.extractable ?? false)
}
