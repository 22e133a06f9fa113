/**
 * @module @tessera/jose's synchronous factories, `createSigner` / `createVerifier` (and its opt-in token
 * cache), from the working tree's source: key imported and options compiled once, each call synchronous.
 * DPoP: `createDPoPProof` / `verifyDPoPProof`, synchronous on Node.
 */
import * as tessera from '../../packages/jose/src/node.js'
import { AUDIENCE, CLAIMS, ISSUER, type JwsAlg, LIFETIME_SECONDS } from '../fixtures.js'
import { DPOP_ACCESS_TOKEN, DPOP_MAX_AGE_SECONDS, DPOP_REQUEST, dpopKey } from './dpop-request.js'
import type { Library } from './types.js'

/** Entries a cached verifier holds: plenty for one token, small enough to be realistic. */
export const CACHE_MAX = 1000

export const library: Library = {
  name: 'ours sync',
  async setup(fixtures) {
    const keys = {} as Record<JwsAlg, { privateKey: tessera.JoseKey; publicKey: tessera.JoseKey }>
    for (const [alg, material] of Object.entries(fixtures.jws) as [JwsAlg, (typeof fixtures.jws)[JwsAlg]][]) {
      keys[alg] = {
        privateKey: await tessera.importJWK(material.privateJwk as tessera.JWK, alg),
        publicKey: await tessera.importJWK(material.publicJwk as tessera.JWK, alg),
      }
    }
    const dpopClient = await tessera.importJWK(dpopKey(fixtures).privateJwk as tessera.JWK)
    const dpopJkt = await tessera.calculateJwkThumbprint(dpopKey(fixtures).publicJwk as tessera.JWK)
    const verifierOptions = (alg: JwsAlg) => ({
      key: keys[alg].publicKey,
      algorithms: [alg],
      issuer: ISSUER,
      audience: AUDIENCE,
    })
    return {
      sign(alg) {
        const signer = tessera.createSigner({
          key: keys[alg].privateKey,
          alg,
          typ: 'JWT',
          issuer: ISSUER,
          audience: AUDIENCE,
          expiresIn: LIFETIME_SECONDS,
        })
        return () => signer(CLAIMS)
      },
      verify(alg) {
        const verifier = tessera.createVerifier(verifierOptions(alg))
        return (token) => verifier(token).payload
      },
      verifyCached(alg) {
        const verifier = tessera.createVerifier({ ...verifierOptions(alg), cache: { max: CACHE_MAX } })
        return (token) => verifier(token).payload
      },
      decode: () => (token) => tessera.decodeJWT(token),
      dpopCreate() {
        return () =>
          tessera.createDPoPProof({ key: dpopClient, ...DPOP_REQUEST, accessToken: DPOP_ACCESS_TOKEN })
      },
      dpopVerify() {
        const options = {
          ...DPOP_REQUEST,
          accessToken: DPOP_ACCESS_TOKEN,
          jkt: dpopJkt,
          maxAge: DPOP_MAX_AGE_SECONDS,
        }
        return (proof) => tessera.verifyDPoPProof(proof, options).claims
      },
    }
  },
}
