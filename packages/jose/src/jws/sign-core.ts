/**
 * @module The one signing step every serialization uses: resolve the `alg` entry and the key, check
 * them against each other, build the signing input, sign.
 */
import { type JwsAlgorithm, jwsAlgorithm } from '../alg/jws-algorithms.js'
import type { Backend, MaybePromise } from '../backend/types.js'
import { JOSEAlgNotAllowed, JOSENotSupported, JWSInvalid } from '../errors.js'
import { checkSigningKey } from '../jwk/check-signing-key.js'
import type { JoseKey } from '../jwk/key.js'
import { toJoseKey } from '../jwk/key-input.js'
import { encodeBase64url } from '../util/base64url.js'
import { asciiBytes, concatBytes } from '../util/bytes.js'
import { isJsonObject } from '../util/json.js'
import { chain } from '../util/maybe-promise.js'
import { checkJwsHeader } from './header.js'
import type { JWSHeaderParameters } from './types.js'

export interface SignedParts {
  protected: string
  payload: string
  signature: string
}

/** The table entry for the `alg` a caller wants to sign with. */
export function signingAlgorithm(alg: unknown): JwsAlgorithm {
  const entry = jwsAlgorithm(alg)
  if (entry) return entry
  if (typeof alg === 'string' && alg.toLowerCase() === 'none') {
    throw new JOSEAlgNotAllowed(
      '"alg": "none" cannot be signed; unsecured JWTs are made only by encodeUnsecuredJWT',
    )
  }
  throw new JOSENotSupported(
    `"alg": "${String(alg).slice(0, 32)}" is not a JWS algorithm this library implements`,
  )
}

/** A signing key: resolvers are for verification only. */
export function signingKey(backend: Backend, key: unknown, alg: JwsAlgorithm): MaybePromise<JoseKey> {
  if (typeof key === 'function') throw new JWSInvalid('signing needs a key, not a key resolver')
  return chain(toJoseKey(backend, key), (joseKey) => {
    checkSigningKey(joseKey, alg, 'sign')
    return joseKey
  })
}

/**
 * Signs `payload` under `protectedHeader` (+ `unprotectedHeader`). Adds `b64` to `crit` when the caller
 * set `b64: false` without it, since RFC 7797 §6 requires it.
 */
export function signParts(
  backend: Backend,
  payload: Uint8Array,
  key: unknown,
  protectedHeader: JWSHeaderParameters | undefined,
  unprotectedHeader: JWSHeaderParameters | undefined,
): MaybePromise<SignedParts> {
  if (!(payload instanceof Uint8Array)) throw new JWSInvalid('the payload must be a Uint8Array')
  if (protectedHeader !== undefined && !isJsonObject(protectedHeader))
    throw new JWSInvalid('the protected header must be an object')
  if (unprotectedHeader !== undefined && !isJsonObject(unprotectedHeader)) {
    throw new JWSInvalid('the unprotected header must be an object')
  }
  let header = protectedHeader
  if (header?.b64 === false && !(Array.isArray(header.crit) && header.crit.includes('b64'))) {
    header = { ...header, crit: [...(Array.isArray(header.crit) ? header.crit : []), 'b64'] }
  }
  const checked = checkJwsHeader(header, unprotectedHeader, undefined)
  const alg = signingAlgorithm(checked.alg)
  const headerSegment = header ? encodeBase64url(JSON.stringify(header)) : ''
  const payloadSegment = checked.b64 ? encodeBase64url(payload) : new TextDecoder().decode(payload)
  const signingInput = checked.b64
    ? `${headerSegment}.${payloadSegment}`
    : concatBytes(asciiBytes(`${headerSegment}.`), payload)
  return chain(signingKey(backend, key, alg), (joseKey) =>
    chain(backend.sign(alg, joseKey, signingInput), (signature) => ({
      protected: headerSegment,
      payload: payloadSegment,
      signature: encodeBase64url(signature),
    })),
  )
}
