/**
 * @module `jose` (panva), the reference JOSE library: WebCrypto on Node, so every call is asynchronous.
 * Keys imported once with `importJWK`. jose has no DPoP helper: its DPoP rows do by hand what RFC 9449 asks
 * (dpop-by-hand.ts).
 */
import * as jose from 'jose'
import {
  AUDIENCE,
  CLAIMS,
  ISSUER,
  JWE_PLAINTEXT,
  type JweCase,
  type JwsAlg,
  LIFETIME_SECONDS,
} from '../fixtures.js'
import { dpopByHand } from './dpop-by-hand.js'
import type { Library } from './types.js'

type JoseKey = Awaited<ReturnType<typeof jose.importJWK>>

export const library: Library = {
  name: 'jose',
  async setup(fixtures) {
    const keys = {} as Record<JwsAlg, { privateKey: JoseKey; publicKey: JoseKey }>
    for (const [alg, material] of Object.entries(fixtures.jws) as [JwsAlg, (typeof fixtures.jws)[JwsAlg]][]) {
      keys[alg] = {
        privateKey: await jose.importJWK(material.privateJwk as jose.JWK, alg),
        publicKey: await jose.importJWK(material.publicJwk as jose.JWK, alg),
      }
    }
    const jweKeys: Record<string, { privateKey: JoseKey; publicKey: JoseKey }> = {}
    for (const [name, material] of Object.entries(fixtures.jwe)) {
      const alg = name === 'dir+A256GCM' ? 'dir' : name.slice(0, name.lastIndexOf('+'))
      jweKeys[name] = {
        privateKey: await jose.importJWK(material.privateJwk as jose.JWK, alg),
        publicKey: await jose.importJWK(material.publicJwk as jose.JWK, alg),
      }
    }
    const plaintext = Buffer.from(JWE_PLAINTEXT)
    const dpop = await dpopByHand(fixtures)
    return {
      ...dpop,
      sign(alg) {
        const key = keys[alg].privateKey
        return () =>
          new jose.SignJWT(CLAIMS)
            .setProtectedHeader({ alg, typ: 'JWT' })
            .setIssuedAt()
            .setIssuer(ISSUER)
            .setAudience(AUDIENCE)
            .setExpirationTime(`${LIFETIME_SECONDS}s`)
            .sign(key)
      },
      verify(alg) {
        const key = keys[alg].publicKey
        const options = { algorithms: [alg], issuer: ISSUER, audience: AUDIENCE }
        return async (token) => (await jose.jwtVerify(token, key, options)).payload
      },
      decode: () => (token) => jose.decodeJwt(token),
      encrypt(c: JweCase) {
        const key = jweKeys[c.name]!.publicKey
        return () =>
          new jose.CompactEncrypt(plaintext).setProtectedHeader({ alg: c.alg, enc: c.enc }).encrypt(key)
      },
      decrypt(c: JweCase) {
        const key = jweKeys[c.name]!.privateKey
        const options = { keyManagementAlgorithms: [c.alg], contentEncryptionAlgorithms: [c.enc] }
        return async (token) => (await jose.compactDecrypt(token, key, options)).plaintext
      },
    }
  },
}
