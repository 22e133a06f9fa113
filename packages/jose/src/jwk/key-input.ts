/**
 * @module Turning whatever the caller passed as a key into a JoseKey.
 *
 * Accepted: a JoseKey (from importJWK / importPEM / generate*), a JWK object, a Uint8Array secret, the
 * runtime's own key object (KeyObject / CryptoKey), or a resolver `(protectedHeader, token) => key`.
 * Strings are never keys: a PEM or a password passed where a key belongs would otherwise become an HMAC
 * secret (the algorithm-confusion attack), so a string is a typed error that says what to do instead.
 */
import type { Backend, MaybePromise } from '../backend/types.js'
import { KeyAlgMismatch, KeyInputInvalid } from '../errors.js'
import { isJsonObject } from '../util/json.js'
import { chain } from '../util/maybe-promise.js'
import { isJoseKey, type JoseKey } from './key.js'
import type { JWK } from './types.js'
import { checkJwk } from './validate.js'

/** A key in any accepted form (not a resolver). KeyObject / CryptoKey are accepted at run time. */
export type KeyInput = JoseKey | JWK | Uint8Array | object

/** Picks a key for a token from its protected header (a key set is one). */
export type KeyResolver<Header = Record<string, unknown>> = (
  protectedHeader: Header,
  token: unknown,
) => KeyInput | Promise<KeyInput>

export type KeyLike<Header = Record<string, unknown>> = KeyInput | KeyResolver<Header>

const STRING_KEY_MESSAGE =
  'a string is never accepted as a key: import a PEM with importPEM(pem, alg), a JWK with importJWK(jwk), ' +
  'or pass an HMAC secret as bytes (new TextEncoder().encode(secret))'

/** The `alg` a key input is bound to, when it says so itself (for `algorithms` defaults). */
export function boundAlgorithm(input: unknown): string | undefined {
  if (isJoseKey(input)) return input.alg
  if (isJsonObject(input) && typeof input.kty === 'string' && typeof input.alg === 'string') return input.alg
  return undefined
}

/** Imports a JWK object after its structural check; `alg` must agree with the JWK's own. */
export function importCheckedJwk(
  backend: Backend,
  jwk: unknown,
  alg: string | undefined,
): MaybePromise<JoseKey> {
  const checked = checkJwk(jwk)
  if (alg !== undefined && checked.jwk.alg !== undefined && checked.jwk.alg !== alg) {
    throw new KeyAlgMismatch(`the JWK says "alg": "${checked.jwk.alg}" but it is being imported for "${alg}"`)
  }
  return backend.importJWK(checked.jwk, alg)
}

/** A key input (not a resolver) as a JoseKey. */
export function toJoseKey(backend: Backend, input: unknown): MaybePromise<JoseKey> {
  if (isJoseKey(input)) {
    // Both entry points can be loaded in one process; a key of the other backend has a handle this one
    // cannot use (it would fail deep inside with a TypeError).
    if (backend.ownsKey && !backend.ownsKey(input)) {
      throw new KeyInputInvalid(
        `this key was made by another backend than ${backend.name}: export it with exportJWK and import it here`,
      )
    }
    return input
  }
  if (input instanceof Uint8Array) return backend.importSecret(input, undefined)
  if (typeof input === 'string') throw new KeyInputInvalid(STRING_KEY_MESSAGE)
  const native = backend.importNative(input, undefined)
  if (native) return native
  if (isJsonObject(input)) {
    if (Array.isArray(input.keys)) {
      throw new KeyInputInvalid('a JWK Set is not a key: wrap it with createLocalJWKSet(jwks)')
    }
    if (input.kty !== undefined) return importCheckedJwk(backend, input, undefined)
  }
  if (typeof input === 'function')
    throw new KeyInputInvalid('a key resolver must return a key, not another resolver')
  throw new KeyInputInvalid(
    'expected a key: a JWK object, a key from importJWK/importPEM/generateKeyPair, a KeyObject or CryptoKey, or a Uint8Array secret',
  )
}

/** Resolves a key or resolver for one token. */
export function resolveKey(
  backend: Backend,
  keyLike: unknown,
  protectedHeader: Record<string, unknown>,
  token: unknown,
): MaybePromise<JoseKey> {
  if (typeof keyLike === 'function') {
    let resolved: unknown
    try {
      resolved = (keyLike as KeyResolver)(protectedHeader, token)
    } catch (error) {
      if (error instanceof Error && 'code' in error) throw error
      throw new KeyInputInvalid('the key resolver threw an error', { cause: error })
    }
    return chain(resolved as MaybePromise<unknown>, (key) => toJoseKey(backend, key))
  }
  return toJoseKey(backend, keyLike)
}
