/**
 * @module @tessera/jose's asynchronous public API on Node (`signJWT` / `verifyJWT`, and JWE's
 * `compactEncrypt` / `compactDecrypt` once they are exported): options given on every call, as most
 * callers use it, keys imported once. DPoP has no asynchronous form on Node (it is synchronous there), so its
 * rows here are the WebCrypto build (`@tessera/jose/webcrypto`) run on Node: the same primitives jose uses.
 */
import * as tessera from '../../packages/jose/src/node.js'
import * as webcrypto from '../../packages/jose/src/webcrypto.js'
import {
  AUDIENCE,
  CLAIMS,
  ISSUER,
  JWE_PLAINTEXT,
  type JweCase,
  type JwsAlg,
  LIFETIME_SECONDS,
} from '../fixtures.js'
import { ourDPoPOps } from './dpop-ours.js'
import type { Library, LibraryOps } from './types.js'

type CompactEncrypt = (
  plaintext: Uint8Array,
  key: unknown,
  options: { alg: string; enc: string },
) => Promise<string>
type CompactDecrypt = (
  jwe: string,
  key: unknown,
  options: { keyManagementAlgorithms: string[]; contentEncryptionAlgorithms: string[] },
) => Promise<{ plaintext: Uint8Array }>

/** JWE lands separately (issue 3): its rows appear once src/node.ts exports it. */
export function jweApi(): { compactEncrypt: CompactEncrypt; compactDecrypt: CompactDecrypt } | undefined {
  const api = tessera as unknown as { compactEncrypt?: CompactEncrypt; compactDecrypt?: CompactDecrypt }
  if (typeof api.compactEncrypt !== 'function' || typeof api.compactDecrypt !== 'function') return undefined
  return { compactEncrypt: api.compactEncrypt, compactDecrypt: api.compactDecrypt }
}

export const library: Library = {
  name: 'ours async',
  async setup(fixtures) {
    const keys = {} as Record<JwsAlg, { privateKey: tessera.JoseKey; publicKey: tessera.JoseKey }>
    for (const [alg, material] of Object.entries(fixtures.jws) as [JwsAlg, (typeof fixtures.jws)[JwsAlg]][]) {
      keys[alg] = {
        privateKey: await tessera.importJWK(material.privateJwk as tessera.JWK, alg),
        publicKey: await tessera.importJWK(material.publicJwk as tessera.JWK, alg),
      }
    }
    const jwe = jweApi()
    const jweKeys: Record<string, { privateKey: tessera.JoseKey; publicKey: tessera.JoseKey }> = {}
    if (jwe) {
      for (const [name, material] of Object.entries(fixtures.jwe)) {
        // Not bound to an alg: the JWE key-management names are checked by the JWE code itself.
        jweKeys[name] = {
          privateKey: await tessera.importJWK(material.privateJwk as tessera.JWK),
          publicKey: await tessera.importJWK(material.publicJwk as tessera.JWK),
        }
      }
    }
    const plaintext = Buffer.from(JWE_PLAINTEXT)
    const dpop = await ourDPoPOps(webcrypto, fixtures)
    const ops: LibraryOps = {
      ...dpop,
      sign(alg) {
        const key = keys[alg].privateKey
        return () =>
          tessera.signJWT(CLAIMS, key, {
            alg,
            typ: 'JWT',
            issuer: ISSUER,
            audience: AUDIENCE,
            expiresIn: LIFETIME_SECONDS,
          })
      },
      verify(alg) {
        const key = keys[alg].publicKey
        return async (token) =>
          (await tessera.verifyJWT(token, key, { algorithms: [alg], issuer: ISSUER, audience: AUDIENCE }))
            .payload
      },
    }
    if (jwe) {
      ops.encrypt = (c: JweCase) => {
        const key = jweKeys[c.name]!.publicKey
        return () => jwe.compactEncrypt(plaintext, key, { alg: c.alg, enc: c.enc })
      }
      ops.decrypt = (c: JweCase) => {
        const key = jweKeys[c.name]!.privateKey
        const options = { keyManagementAlgorithms: [c.alg], contentEncryptionAlgorithms: [c.enc] }
        return async (token) => (await jwe.compactDecrypt(token, key, options)).plaintext
      }
    }
    return ops
  },
}
