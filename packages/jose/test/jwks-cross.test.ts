/**
 * @module Cross-checks with `jose` (issue 4, "Must show"): its createRemoteJWKSet verifies tokens signed with
 * our key ring's keys, served by a loopback server; ours verifies tokens from a JWKS `jose` produced.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import * as jose from 'jose'
import { createKeyRing, createLocalJWKSet, createRemoteJWKSet, createVerifier, signJWT } from '../src/node.ts'
import { type JwksServer, startJwksServer } from './support/jwks-server.ts'
import { expectCode } from './support/vectors.ts'

let server: JwksServer
before(async () => {
  server = await startJwksServer()
})
after(() => server.close())

const ALGS = ['ES256', 'RS256', 'PS256', 'EdDSA', 'ES384']

describe('jose verifies tokens signed with our key ring', () => {
  for (const alg of ALGS) {
    test(`${alg}: before and after a rotation (no refetch needed), through jose's createRemoteJWKSet`, async () => {
      let now = Date.now()
      const ring = await createKeyRing({ alg, clock: () => now, iterations: 10_000 })
      server.behaviour.body = ring.jwks()
      const JWKS = jose.createRemoteJWKSet(new URL(server.url))
      const sign = () => {
        const { key, kid } = ring.signingKey()
        return signJWT({ sub: 'alice' }, key, { alg, kid, issuer: 'https://issuer.test', expiresIn: '5m' })
      }
      const first = await sign()
      const { payload, protectedHeader } = await jose.jwtVerify(first, JWKS, {
        issuer: 'https://issuer.test',
      })
      assert.equal(payload.sub, 'alice')
      assert.equal(protectedHeader.kid, ring.signingKey().kid)
      now += 600_000
      await ring.rotate()
      server.behaviour.body = ring.jwks()
      const requests = server.requests
      assert.equal((await jose.jwtVerify(await sign(), JWKS)).payload.sub, 'alice')
      assert.equal((await jose.jwtVerify(first, JWKS)).payload.sub, 'alice')
      assert.equal(server.requests, requests, 'the new signing key was published ahead: jose already had it')
    })
  }
})

describe('we verify tokens from a JWKS jose produced', () => {
  for (const alg of ALGS) {
    test(`${alg}: remote set with kid, local set without kid`, async () => {
      const pairs = await Promise.all([jose.generateKeyPair(alg), jose.generateKeyPair(alg)])
      const keys = await Promise.all(
        pairs.map(async ({ publicKey }) => {
          const jwk = await jose.exportJWK(publicKey)
          return { ...jwk, kid: await jose.calculateJwkThumbprint(jwk), alg, use: 'sig' }
        }),
      )
      server.behaviour.body = { keys }
      const withKid = await new jose.SignJWT({ sub: 'bob' })
        .setProtectedHeader({ alg, kid: keys[1]!.kid })
        .setExpirationTime('5m')
        .sign(pairs[1]!.privateKey)
      const remote = createVerifier({ key: createRemoteJWKSet(server.url), algorithms: [alg] })
      const result = await remote(withKid)
      assert.equal(result.payload.sub, 'bob')
      assert.equal(result.key.kid, keys[1]!.kid)

      const noKid = await new jose.SignJWT({ sub: 'carol' })
        .setProtectedHeader({ alg })
        .setExpirationTime('5m')
        .sign(pairs[1]!.privateKey)
      const local = createVerifier({ key: createLocalJWKSet({ keys }), algorithms: [alg] })
      assert.equal(local(noKid).key.kid, keys[1]!.kid)

      const other = await jose.generateKeyPair(alg)
      const stranger = await new jose.SignJWT({ sub: 'mallory' })
        .setProtectedHeader({ alg, kid: keys[0]!.kid })
        .sign(other.privateKey)
      await expectCode(() => remote(stranger), 'ERR_JWS_SIGNATURE_INVALID')
    })
  }
})
