/**
 * @module `fast-jwt`: synchronous signer/verifier factories on node:crypto, PEM keys (it caches the
 * KeyObject itself). Cache off by default; `verifyCached` turns on its LRU of verified tokens (keyed by a
 * hash of the token).
 */
import { createDecoder, createSigner, createVerifier } from 'fast-jwt'
import { AUDIENCE, CLAIMS, ISSUER, type JwsAlg, type KeyMaterial, LIFETIME_SECONDS } from '../fixtures.js'
import { CACHE_MAX } from './tessera-sync.js'
import type { Library } from './types.js'

function keys(material: KeyMaterial): { privateKey: string | Buffer; publicKey: string | Buffer } {
  if (material.secret !== undefined) {
    const secret = Buffer.from(material.secret, 'base64url')
    return { privateKey: secret, publicKey: secret }
  }
  return { privateKey: material.privatePem!, publicKey: material.publicPem! }
}

export const library: Library = {
  name: 'fast-jwt',
  async setup(fixtures) {
    const verifierOptions = (alg: JwsAlg) => ({
      key: keys(fixtures.jws[alg]).publicKey,
      algorithms: [alg],
      allowedIss: ISSUER,
      allowedAud: AUDIENCE,
      // Without this fast-jwt accepts a token that has no iss/aud at all (the bench's refusal check caught
      // it): allowedIss/allowedAud only constrain the claims when present.
      requiredClaims: ['iss', 'aud'],
    })
    return {
      sign(alg) {
        const signer = createSigner({
          key: keys(fixtures.jws[alg]).privateKey,
          algorithm: alg,
          iss: ISSUER,
          aud: AUDIENCE,
          expiresIn: LIFETIME_SECONDS * 1000,
        })
        return () => signer(CLAIMS)
      },
      verify(alg) {
        const verifier = createVerifier(verifierOptions(alg))
        return (token) => verifier(token)
      },
      verifyCached(alg) {
        const verifier = createVerifier({ ...verifierOptions(alg), cache: CACHE_MAX })
        return (token) => verifier(token)
      },
      decode() {
        const decoder = createDecoder()
        return (token) => decoder(token)
      },
    }
  },
}
