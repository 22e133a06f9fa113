/**
 * @module Attacks on the proof a token request carries, each at `/auth/login` (the endpoint needs no
 * client credentials, so only the proof can fail): another host, another path, a query, another method,
 * an HMAC `alg`, a private `jwk`, a proof 10 minutes old, one from the future, the same proof twice, two
 * `DPoP` headers, an oversized one. Every refusal is 400 `invalid_dpop_proof` and issues nothing. Behind
 * a proxy (`--issuer` set), `htu` is the configured origin's, never the `Host` header's.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { register, startTestServer, type TestServer } from '../helpers/test-server.js'
import {
  type Answer,
  assertProofRefused,
  handMadeProof,
  hmacProof,
  newKey,
  PASSWORD,
  privateJwkProof,
  proof,
  read,
} from './dpop-fixtures.js'

let t: TestServer
before(async () => {
  t = await startTestServer()
  await register(t, 'target', PASSWORD)
})
after(() => t.cleanup())

const key = newKey()
const login = async (dpop: string | undefined, server = t): Promise<Answer> =>
  read(
    await server.post(
      '/auth/login',
      { username: 'target', password: PASSWORD },
      dpop === undefined ? {} : { dpop },
    ),
  )

describe('a proof for another request is refused', () => {
  test('htu with another host', async () => {
    assertProofRefused(await login(proof(key, 'POST', 'https://attacker.example/auth/login')), /another URL/)
  })
  test('htu with another path', async () => {
    assertProofRefused(await login(proof(key, 'POST', `${t.url}/auth/refresh`)), /another URL/)
  })
  test('htu with a query', async () => {
    // createDPoPProof drops a query itself; a client that puts one in by hand is refused.
    const withQuery = await handMadeProof(key, 'POST', `${t.url}/auth/login?next=/admin`)
    assertProofRefused(await login(withQuery), /query or fragment/)
  })
  test('htm GET for a POST', async () => {
    assertProofRefused(await login(proof(key, 'GET', `${t.url}/auth/login`)), /another method/)
  })
})

describe('a proof no honest client makes is refused', () => {
  test('an HMAC alg (HS256)', async () => {
    assertProofRefused(await login(await hmacProof(key, 'POST', `${t.url}/auth/login`)), /alg/)
  })
  test('a jwk holding the private key (d)', async () => {
    assertProofRefused(await login(await privateJwkProof(key, 'POST', `${t.url}/auth/login`)), /jwk|private/)
  })
  test('a proof 10 minutes old', async () => {
    const iat = Math.floor(Date.now() / 1000) - 600
    assertProofRefused(await login(proof(key, 'POST', `${t.url}/auth/login`, { iat })), /older than/)
  })
  test('a proof from 10 minutes ahead', async () => {
    const iat = Math.floor(Date.now() / 1000) + 600
    assertProofRefused(await login(proof(key, 'POST', `${t.url}/auth/login`, { iat })), /future/)
  })
  test('garbage in the header', async () => {
    assertProofRefused(await login('not-a-jws'), /compact JWS|three parts/)
  })
})

describe('one proof, one request', () => {
  test('the same proof twice: the second is refused as replayed', async () => {
    const once = proof(key, 'POST', `${t.url}/auth/login`)
    assert.equal((await login(once)).status, 200)
    assertProofRefused(await login(once), /already used/)
  })
  test('two DPoP headers are refused', async () => {
    const headers = new Headers({ 'content-type': 'application/json' })
    headers.append('dpop', proof(key, 'POST', `${t.url}/auth/login`))
    headers.append('dpop', proof(key, 'POST', `${t.url}/auth/login`))
    const response = await fetch(`${t.url}/auth/login`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ username: 'target', password: PASSWORD }),
    })
    assertProofRefused(await read(response), /one DPoP header/)
  })
  test('an oversized header is refused before any parsing', async () => {
    assertProofRefused(await login(`${'a'.repeat(9000)}.b.c`), /longer than/)
  })
  test('an empty header is refused, not taken for no proof', async () => {
    assertProofRefused(await login(''), /empty/)
  })
})

describe('behind a proxy (--issuer set)', () => {
  let proxied: TestServer
  before(async () => {
    proxied = await startTestServer({ issuer: 'https://auth.example.test' })
    await register(proxied, 'target', PASSWORD)
  })
  after(() => proxied.cleanup())

  test('htu is checked against the configured origin, never the Host header', async () => {
    const forHost = await login(proof(key, 'POST', `${proxied.url}/auth/login`), proxied)
    assertProofRefused(forHost, /another URL/)
    const forIssuer = await login(proof(key, 'POST', 'https://auth.example.test/auth/login'), proxied)
    assert.equal(forIssuer.status, 200, JSON.stringify(forIssuer.body))
    assert.equal(forIssuer.body.token_type, 'DPoP')
  })
})
