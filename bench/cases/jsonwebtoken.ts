/**
 * @module `jsonwebtoken` 9: synchronous sign/verify on node:crypto, given KeyObjects (a PEM string would be
 * re-parsed on every call). It has no EdDSA and no JWE.
 */
import jwt from 'jsonwebtoken'
import { AUDIENCE, CLAIMS, ISSUER, type JwsAlg, keyObjects, LIFETIME_SECONDS } from '../fixtures.js'
import type { Library } from './types.js'

type Supported = Exclude<JwsAlg, 'EdDSA'>

export const library: Library = {
  name: 'jsonwebtoken',
  async setup(fixtures) {
    const supported = (alg: JwsAlg): alg is Supported => alg !== 'EdDSA'
    return {
      sign(alg) {
        if (!supported(alg)) return undefined
        const { privateKey } = keyObjects(fixtures.jws[alg])
        const options: jwt.SignOptions = {
          algorithm: alg,
          issuer: ISSUER,
          audience: AUDIENCE,
          expiresIn: LIFETIME_SECONDS,
        }
        return () => jwt.sign(CLAIMS, privateKey, options)
      },
      verify(alg) {
        if (!supported(alg)) return undefined
        const { publicKey } = keyObjects(fixtures.jws[alg])
        const options: jwt.VerifyOptions = { algorithms: [alg], issuer: ISSUER, audience: AUDIENCE }
        return (token) => jwt.verify(token, publicKey, options)
      },
      decode: () => (token) => jwt.decode(token),
    }
  },
}
