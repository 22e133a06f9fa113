/**
 * @module DPoP (RFC 9449) done by hand with `jose`, which has no DPoP helper: what a jose user writes. Creating:
 * SignJWT with the public JWK in the header, a random jti and ath = SHA-256 of the token. Verifying: the header
 * checks, jwtVerify over the embedded key (EmbeddedJWK), then htm, htu (normalized with URL), ath and the
 * key's thumbprint against the token's cnf.jkt.
 */
import { createHash, randomBytes } from 'node:crypto'
import * as jose from 'jose'
import type { Fixtures } from '../fixtures.js'
import {
  DPOP_ACCESS_TOKEN,
  DPOP_MAX_AGE_SECONDS,
  DPOP_REQUEST,
  dpopKey,
  publicMembers,
} from './dpop-request.js'
import type { LibraryOps } from './types.js'

const ALGORITHMS = ['ES256', 'ES384', 'ES512', 'RS256', 'PS256', 'EdDSA']
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k']

const accessTokenHash = (token: string): string => createHash('sha256').update(token).digest('base64url')
const htuOf = (value: unknown): string => {
  const url = new URL(String(value))
  return `${url.origin}${url.pathname}`
}

export async function dpopByHand(fixtures: Fixtures): Promise<Pick<LibraryOps, 'dpopCreate' | 'dpopVerify'>> {
  const material = dpopKey(fixtures)
  const privateKey = await jose.importJWK(material.privateJwk as jose.JWK, 'ES256')
  const jwk = publicMembers(material.publicJwk)
  const jkt = await jose.calculateJwkThumbprint(jwk)
  return {
    dpopCreate() {
      return () =>
        new jose.SignJWT({ ...DPOP_REQUEST, ath: accessTokenHash(DPOP_ACCESS_TOKEN) })
          .setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk })
          .setJti(randomBytes(16).toString('base64url'))
          .setIssuedAt()
          .sign(privateKey)
    },
    dpopVerify() {
      return async (proof) => {
        const header = jose.decodeProtectedHeader(proof)
        if (header.typ !== 'dpop+jwt') throw new Error('typ')
        if (!header.jwk || PRIVATE_MEMBERS.some((member) => member in header.jwk!)) throw new Error('jwk')
        const { payload } = await jose.jwtVerify(proof, jose.EmbeddedJWK, {
          typ: 'dpop+jwt',
          algorithms: ALGORITHMS,
          maxTokenAge: DPOP_MAX_AGE_SECONDS,
          clockTolerance: 5,
          requiredClaims: ['jti', 'htm', 'htu', 'iat'],
        })
        if (payload.htm !== DPOP_REQUEST.htm) throw new Error('htm')
        if (htuOf(payload.htu) !== DPOP_REQUEST.htu) throw new Error('htu')
        if (payload.ath !== accessTokenHash(DPOP_ACCESS_TOKEN)) throw new Error('ath')
        if ((await jose.calculateJwkThumbprint(header.jwk)) !== jkt) throw new Error('jkt')
        return payload
      }
    },
  }
}
