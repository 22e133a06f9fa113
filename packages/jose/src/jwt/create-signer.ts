/**
 * @module `createSigner`: a synchronous JWT signer with everything resolved up front — the key imported
 * and checked, the header encoded once — so each call only builds claims, encodes them and signs.
 */
import type { Backend } from '../backend/types.js'
import { JOSEOptionInvalid } from '../errors.js'
import type { JoseKey } from '../jwk/key.js'
import { checkJwsHeader } from '../jws/header.js'
import { signingAlgorithm, signingKey } from '../jws/sign-core.js'
import { encodeBase64url } from '../util/base64url.js'
import { isPromiseLike } from '../util/maybe-promise.js'
import { applyClaimTemplate, compileClaimTemplate, jwtHeader } from './build-claims.js'
import type { JWTPayload, JWTSignOptions } from './types.js'

export interface SignerOptions extends Omit<JWTSignOptions, 'currentDate'> {
  /** The signing key, in any accepted form that imports synchronously (a JWK, a KeyObject, bytes, a JoseKey). */
  key: unknown
  /** Milliseconds since the epoch, for `iat` / `exp` / `nbf` (default Date.now). Tests move it. */
  clock?: () => number
}

export type Signer = (claims: JWTPayload) => string

export function createSignerWith(backend: Backend, options: SignerOptions): Signer {
  const header = jwtHeader(options)
  checkJwsHeader(header, undefined, undefined)
  const alg = signingAlgorithm(header.alg)
  const template = compileClaimTemplate(options)
  const key = signingKey(backend, options.key, alg)
  if (isPromiseLike(key)) {
    throw new JOSEOptionInvalid(
      'createSigner needs a key this runtime imports synchronously (on Node: any key form)',
    )
  }
  const clock = options.clock ?? Date.now
  if (typeof clock !== 'function')
    throw new JOSEOptionInvalid('clock must be a function returning milliseconds')
  const prefix = `${encodeBase64url(JSON.stringify(header))}.`
  const fast = backend.signToBase64url
  const signKey: JoseKey = key
  return (claims) => {
    const payload = applyClaimTemplate(claims, template, Math.floor(clock() / 1000), backend.randomBytes)
    const signingInput = prefix + encodeBase64url(JSON.stringify(payload))
    if (fast) return `${signingInput}.${fast(alg, signKey, signingInput)}`
    return `${signingInput}.${encodeBase64url(backend.sign(alg, signKey, signingInput) as Uint8Array)}`
  }
}
