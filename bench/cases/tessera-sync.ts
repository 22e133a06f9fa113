/**
 * @module @tessera/jose's synchronous factories, `createSigner` / `createVerifier` (and its opt-in token
 * cache), from the working tree's source: key imported and options compiled once, each call synchronous.
 * DPoP: `createDPoPProof` / `verifyDPoPProof`, synchronous on Node.
 */
import * as tessera from '../../packages/jose/src/node.js'
import { AUDIENCE, CLAIMS, ISSUER, type JwsAlg, LIFETIME_SECONDS } from '../fixtures.js'
import { ourDPoPOps } from './dpop-ours.js'
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
    const dpop = await ourDPoPOps(tessera, fixtures)
    const verifierOptions = (alg: JwsAlg) => ({
      key: keys[alg].publicKey,
      algorithms: [alg],
      issuer: ISSUER,
      audience: AUDIENCE,
    })
    return {
      ...dpop,
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
    }
  },
}
