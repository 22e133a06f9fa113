/**
 * @module The WebCrypto JoseKey handle and the CryptoKeys made from it.
 *
 * A CryptoKey is bound to one algorithm (ECDSA vs ECDH, RSASSA vs RSA-PSS, one hash), while a JWK
 * without `alg` may serve several. So the handle keeps the key material as a JWK and imports one
 * CryptoKey per (algorithm, usages) on first use, caching it. Keys WebCrypto itself holds non-extractable
 * (generated that way, or a caller's CryptoKey) have no material: only their own CryptoKey serves.
 */
import { JOSEError, JWKInvalid, KeyAlgMismatch, KeyInputInvalid, KeyUsageForbidden } from '../../errors.js'
import type { JoseKey } from '../../jwk/key.js'
import { cryptoKeyFits, type KeyParams, paramsId } from './params.js'

/**
 * What a JoseKey's `handle` is on WebCrypto: an opaque token. The state behind it lives in a WeakMap, so
 * logging or inspecting a key (console.log, util.inspect) never shows its material.
 */
export interface WebCryptoHandle {
  readonly backend: 'webcrypto'
}

export interface HandleState {
  /** The key's JWK members (no alg/use/key_ops/ext), when this runtime may see them. */
  material: JsonWebKey | undefined
  /** The CryptoKey the key was generated as or given as, if any. */
  readonly origin: CryptoKey | undefined
  /** CryptoKeys made so far, by parameters and usages. */
  readonly cryptoKeys: Map<string, Promise<CryptoKey>>
  /** A private key's public half, once known (at generation, or on first publicKeyOf). */
  publicHalf: JoseKey<WebCryptoHandle> | undefined
}

const states = new WeakMap<WebCryptoHandle, HandleState>()

const MATERIAL_MEMBERS = ['kty', 'crv', 'x', 'y', 'n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi', 'k'] as const
const PUBLIC_MEMBERS = ['kty', 'crv', 'x', 'y', 'n', 'e'] as const

export function createHandle(
  material: JsonWebKey | undefined,
  origin?: CryptoKey,
  publicHalf?: JoseKey<WebCryptoHandle>,
): WebCryptoHandle {
  const handle: WebCryptoHandle = Object.freeze({ backend: 'webcrypto' })
  states.set(handle, { material, origin, cryptoKeys: new Map(), publicHalf })
  return handle
}

/** Whether `key` was made by this backend. */
export function ownsKey(key: JoseKey): boolean {
  return states.has(key.handle as WebCryptoHandle)
}

/** The state of a key made by this backend; a key from the Node backend is refused with advice. */
export function stateOf(key: JoseKey): HandleState {
  const state = states.get(key.handle as WebCryptoHandle)
  if (!state) {
    throw new KeyInputInvalid(
      'this key was made by another backend (the Node build): export it with exportJWK and import it here',
    )
  }
  return state
}

/** Only the members that describe key material (WebCrypto checks `alg`, `key_ops`, `ext` against its own). */
export function materialOf(
  jwk: JsonWebKey | Record<string, unknown>,
  members: readonly string[] = MATERIAL_MEMBERS,
): JsonWebKey {
  const out: Record<string, unknown> = {}
  for (const member of members) {
    const value = (jwk as Record<string, unknown>)[member]
    if (value !== undefined) out[member] = value
  }
  return out as JsonWebKey
}

export function publicMaterialOf(jwk: JsonWebKey): JsonWebKey {
  return materialOf(jwk, PUBLIC_MEMBERS)
}

/** The key's JWK material, exported from its CryptoKey when that is allowed. */
export async function keyMaterial(key: JoseKey): Promise<JsonWebKey> {
  const state = stateOf(key)
  if (state.material) return state.material
  if (state.origin?.extractable) {
    state.material = materialOf(await crypto.subtle.exportKey('jwk', state.origin))
    return state.material
  }
  throw new KeyUsageForbidden(
    'this key is a non-extractable CryptoKey: its material cannot be read or exported',
  )
}

async function importFromMaterial(key: JoseKey, params: KeyParams, usages: KeyUsage[]): Promise<CryptoKey> {
  const state = stateOf(key)
  if (!state.material && !state.origin?.extractable) {
    throw new KeyAlgMismatch(
      `this non-extractable key is a ${state.origin?.algorithm.name ?? 'WebCrypto'} CryptoKey and cannot be used ` +
        `as ${params.name}${params.hash ? ` with ${params.hash}` : ''}; generate or import the key for that algorithm`,
    )
  }
  const material = await keyMaterial(key)
  try {
    // Made from material this handle holds anyway, so the CryptoKey may be exported (exportPEM reads it).
    return await crypto.subtle.importKey('jwk', material, params, true, usages)
  } catch (error) {
    if (error instanceof JOSEError) throw error
    throw new JWKInvalid(
      `the ${key.kty} key material is not a valid ${params.name} key (a point off the curve, or inconsistent values)`,
    )
  }
}

/** The CryptoKey for `params` and `usages`, imported once per handle. */
export function cryptoKeyFor(key: JoseKey, params: KeyParams, usages: KeyUsage[]): Promise<CryptoKey> {
  const state = stateOf(key)
  const id = paramsId(params, usages)
  let cached = state.cryptoKeys.get(id)
  if (!cached) {
    const origin = state.origin
    cached =
      origin && cryptoKeyFits(origin, params, usages)
        ? Promise.resolve(origin)
        : importFromMaterial(key, params, usages)
    state.cryptoKeys.set(id, cached)
  }
  return cached
}

/** BufferSource for WebCrypto: a view over a plain ArrayBuffer (a SharedArrayBuffer view is copied). */
export function bufferSource(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes)
}
