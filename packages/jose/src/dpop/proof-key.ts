/**
 * @module The signing side of a DPoP proof's key: the private key, its `alg`, the encoded protected header
 * (`typ`, `alg` and the public `jwk`) and the key's thumbprint. All of it is fixed per key and `alg`, so it
 * is computed once per key object (a JoseKey, KeyObject or CryptoKey, held weakly) and each proof after the
 * first only builds its claims and signs. A plain JWK object is prepared on every call (it is mutable).
 */
import { type JwsAlgorithm, jwsAlgorithm } from '../alg/jws-algorithms.js'
import type { Backend, MaybePromise } from '../backend/types.js'
import { JOSEAlgNotAllowed, JOSEOptionInvalid } from '../errors.js'
import { isJoseKey, type JoseKey } from '../jwk/key.js'
import { toJoseKey } from '../jwk/key-input.js'
import { thumbprintInput } from '../jwk/thumbprint.js'
import type { JWK } from '../jwk/types.js'
import { signingKey } from '../jws/sign-core.js'
import { encodeBase64url } from '../util/base64url.js'
import { isJsonObject } from '../util/json.js'
import { chain } from '../util/maybe-promise.js'
import { sha256Base64url } from './hashes.js'

export interface PreparedProofKey {
  privateKey: JoseKey
  alg: JwsAlgorithm
  /** base64url of `{"typ":"dpop+jwt","alg":…,"jwk":…}` followed by ".". */
  headerPrefix: string
  publicJwk: JWK
  jkt: string
  /** The `publicKey` input this was prepared with (a later call with another one prepares again). */
  publicInput: unknown
}

const DEFAULT_ALG: Record<string, string> = {
  'P-256': 'ES256',
  'P-384': 'ES384',
  'P-521': 'ES512',
  secp256k1: 'ES256K',
  Ed25519: 'EdDSA',
  Ed448: 'EdDSA',
}

const prepared = new WeakMap<Backend, WeakMap<object, Map<string, PreparedProofKey>>>()

/** `{ privateKey, publicKey }` (a CryptoKeyPair, or what generateKeyPair returns) split into its halves. */
function splitPair(key: unknown, publicKey: unknown): { privateInput: unknown; publicInput: unknown } {
  if (isJsonObject(key) && !isJoseKey(key) && key.kty === undefined && 'privateKey' in key) {
    return { privateInput: key.privateKey, publicInput: publicKey ?? key.publicKey }
  }
  return { privateInput: key, publicInput: publicKey }
}

function chooseAlg(key: JoseKey, alg: unknown): JwsAlgorithm {
  const name = alg ?? key.alg ?? (key.crv ? DEFAULT_ALG[key.crv] : undefined)
  if (name === undefined) {
    throw new JOSEOptionInvalid(
      `name the alg for a DPoP proof with a ${key.describe()}, e.g. { alg: "PS256" } or { alg: "RS256" }`,
    )
  }
  const entry = jwsAlgorithm(name)
  if (!entry || entry.family === 'hmac') {
    throw new JOSEAlgNotAllowed(
      `"${String(name).slice(0, 32)}" cannot sign a DPoP proof: it needs an asymmetric JWS algorithm (RFC 9449 §4.2)`,
    )
  }
  return entry
}

/** The public JWK with only its RFC 7638 members (kty and the public key values: no alg, kid, use, d …). */
function minimalPublicJwk(jwk: JWK): JWK {
  return JSON.parse(thumbprintInput(jwk)) as JWK
}

function prepare(
  backend: Backend,
  privateInput: unknown,
  publicInput: unknown,
  algOption: unknown,
): MaybePromise<PreparedProofKey> {
  return chain(toJoseKey(backend, privateInput), (candidate) => {
    const alg = chooseAlg(candidate, algOption)
    return chain(signingKey(backend, candidate, alg), (privateKey) => {
      const publicKey =
        publicInput === undefined ? backend.publicKeyOf(privateKey) : toJoseKey(backend, publicInput)
      return chain(publicKey, (key) =>
        chain(backend.exportJWK(key), (exported) => {
          const publicJwk = minimalPublicJwk(exported)
          const header = { typ: 'dpop+jwt', alg: alg.name, jwk: publicJwk }
          return chain(sha256Base64url(backend, thumbprintInput(publicJwk)), (jkt) => ({
            privateKey,
            alg,
            headerPrefix: `${encodeBase64url(JSON.stringify(header))}.`,
            publicJwk,
            jkt,
            publicInput,
          }))
        }),
      )
    })
  })
}

/** The prepared key for `key` / `publicKey` / `alg`, from the per-key cache when it has one. */
export function proofKeyOf(
  backend: Backend,
  key: unknown,
  publicKey: unknown,
  alg: unknown,
): MaybePromise<PreparedProofKey> {
  if (alg !== undefined && typeof alg !== 'string') throw new JOSEOptionInvalid('alg must be a string')
  const { privateInput, publicInput } = splitPair(key, publicKey)
  // Plain objects (JWKs) can be edited in place, so only key objects are cached.
  const cacheable =
    typeof privateInput === 'object' &&
    privateInput !== null &&
    (isJoseKey(privateInput) || Object.getPrototypeOf(privateInput) !== Object.prototype)
  if (!cacheable) return prepare(backend, privateInput, publicInput, alg)
  let byKey = prepared.get(backend)
  if (!byKey) {
    byKey = new WeakMap()
    prepared.set(backend, byKey)
  }
  let byAlg = byKey.get(privateInput)
  const hit = byAlg?.get(alg ?? '')
  if (hit && hit.publicInput === publicInput) return hit
  return chain(prepare(backend, privateInput, publicInput, alg), (entry) => {
    if (!byAlg) {
      byAlg = new Map()
      byKey.set(privateInput, byAlg)
    }
    byAlg.set(alg ?? '', entry)
    return entry
  })
}
