/**
 * @module WebCrypto key export: JWK, PEM (SPKI / PKCS#8), the public half of a private key, and the
 * CryptoKey behind a JoseKey. Export follows the Node backend's rule: private and secret keys only when
 * they were made extractable.
 */
import { jwsAlgorithm } from '../../alg/jws-algorithms.js'
import { KeyInputInvalid, KeyUsageForbidden } from '../../errors.js'
import type { JoseKey } from '../../jwk/key.js'
import type { JWK } from '../../jwk/types.js'
import {
  createHandle,
  cryptoKeyFor,
  keyMaterial,
  publicMaterialOf,
  stateOf,
  type WebCryptoHandle,
} from './handle.js'
import { wrap } from './keys.js'
import { jwsKeyParams, kindParams } from './params.js'
import { encodePem } from './pem.js'

function assertExportable(key: JoseKey): void {
  if ((key.type === 'private' || key.type === 'secret') && !key.extractable) {
    throw new KeyUsageForbidden(
      'this key was created non-extractable; generate it with { extractable: true }',
    )
  }
}

export async function exportJwk(key: JoseKey): Promise<JWK> {
  assertExportable(key)
  const jwk: JWK = { ...(await keyMaterial(key)) }
  if (key.kid !== undefined) jwk.kid = key.kid
  if (key.alg !== undefined) jwk.alg = key.alg
  if (key.use !== undefined) jwk.use = key.use
  if (key.keyOps !== undefined) jwk.key_ops = [...key.keyOps]
  return jwk
}

/** A CryptoKey of the key's neutral algorithm (see params.ts), which every key of its kind can be. */
function neutralCryptoKey(key: JoseKey): Promise<CryptoKey> {
  const kind = kindParams(key.kty, key.crv)
  return cryptoKeyFor(key, kind.params, key.type === 'public' ? kind.publicUsages : kind.privateUsages)
}

export async function exportPem(key: JoseKey): Promise<string> {
  if (key.type === 'secret')
    throw new KeyInputInvalid('secret keys have no PEM form; export them with exportJWK')
  assertExportable(key)
  const state = stateOf(key)
  const cryptoKey = state.origin?.extractable ? state.origin : await neutralCryptoKey(key)
  const format = key.type === 'public' ? 'spki' : 'pkcs8'
  const der = new Uint8Array(await crypto.subtle.exportKey(format, cryptoKey))
  return encodePem(key.type === 'public' ? 'PUBLIC KEY' : 'PRIVATE KEY', der)
}

export async function publicKeyOf(key: JoseKey): Promise<JoseKey<WebCryptoHandle>> {
  const state = stateOf(key)
  if (key.type === 'public') return key as JoseKey<WebCryptoHandle>
  if (key.type === 'secret') throw new KeyInputInvalid('a secret key has no public half')
  if (!state.publicHalf) {
    if (!state.material && !state.origin?.extractable) {
      throw new KeyUsageForbidden(
        'the public half of a non-extractable private CryptoKey cannot be derived on WebCrypto: pass the public key',
      )
    }
    const material = publicMaterialOf(await keyMaterial(key))
    state.publicHalf = wrap(
      { type: 'public', kty: key.kty, crv: key.crv, bits: key.bits },
      {
        alg: key.alg,
        use: key.use,
        keyOps: key.keyOps?.filter((op) => op === 'verify' || op === 'encrypt' || op === 'wrapKey'),
        kid: key.kid,
      },
      createHandle(material),
    )
  }
  return state.publicHalf
}

/** The CryptoKey for the key's bound JWS algorithm, else the one it came as, else its neutral one. */
export function toNative(key: JoseKey): Promise<CryptoKey> {
  const state = stateOf(key)
  const entry = jwsAlgorithm(key.alg)
  if (entry) {
    const usages: KeyUsage[] =
      key.type === 'public' ? ['verify'] : key.type === 'private' ? ['sign'] : ['sign', 'verify']
    return cryptoKeyFor(key, jwsKeyParams(entry, key.crv), usages)
  }
  return state.origin ? Promise.resolve(state.origin) : neutralCryptoKey(key)
}
