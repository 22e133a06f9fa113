/**
 * @module A resource server's `verifyRequest` over a fixed key set, with no auth server running: the claim
 * checks it gets from @tessera/jose, here an `iat` in the future, which it refuses although it sets no
 * maxTokenAge (a forged or badly clocked token would otherwise live longer than its issuer meant).
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createSigner, exportJWK, generateKeyPair } from '@tessera/jose'
import { createRequestVerifier, manualClock } from '../src/index.js'

const ISSUER = 'https://id.example'
const clock = manualClock(Date.UTC(2026, 11, 3, 12))
const { publicKey, privateKey } = await generateKeyPair('ES256')
const publicJwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' }
const verifyRequest = createRequestVerifier({
  issuer: ISSUER,
  audience: 'api',
  keys: { keys: [publicJwk] },
  clock,
})
const sign = createSigner({
  key: privateKey,
  alg: 'ES256',
  kid: 'k1',
  typ: 'at+jwt',
  issuer: ISSUER,
  audience: 'api',
  jti: true,
  iat: false,
  clock,
})
const now = () => Math.floor(clock() / 1000)
const request = (token: string) => ({ headers: { authorization: `Bearer ${token}` } })
const accessToken = (iat: number) => sign({ sub: 'u1', client_id: 'c1', iat, exp: now() + 7200 })

test('verifyRequest accepts an access token issued now (control)', async () => {
  const { claims } = await verifyRequest(request(accessToken(now())))
  assert.equal(claims.sub, 'u1')
})

test('verifyRequest refuses a token with iat an hour ahead although no maxTokenAge is set (claim iat)', async () => {
  await assert.rejects(
    verifyRequest(request(accessToken(now() + 3600))),
    (error: { code?: string; status?: number; cause?: { code?: string; claim?: string } }) => {
      assert.equal(error.code, 'ERR_ACCESS_TOKEN_INVALID')
      assert.equal(error.status, 401)
      assert.equal(error.cause?.code, 'ERR_JWT_CLAIM_INVALID')
      assert.equal(error.cause?.claim, 'iat')
      return true
    },
  )
})

test('clockTolerance lets a slightly fast issuer clock through, and no further', async () => {
  const tolerant = createRequestVerifier({
    issuer: ISSUER,
    audience: 'api',
    keys: { keys: [publicJwk] },
    clockTolerance: 30,
    clock,
  })
  assert.equal((await tolerant(request(accessToken(now() + 30)))).claims.sub, 'u1')
  await assert.rejects(tolerant(request(accessToken(now() + 31))), { code: 'ERR_ACCESS_TOKEN_INVALID' })
})
