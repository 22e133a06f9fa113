/**
 * @module `GET /me` with DPoP-bound tokens on a real server: the token under the DPoP scheme with a fresh
 * proof is answered; every way around the binding is refused with 401 and a `WWW-Authenticate: DPoP`
 * challenge — the bound token sent as Bearer, a Bearer token sent as DPoP, no proof, a proof by another
 * key, an `ath` for another token or none, a proof for another URL, host or method, a replayed proof,
 * a proof 10 minutes old, a token whose session was ended. Bearer tokens keep the Bearer challenge.
 */
import assert from 'node:assert/strict'
import type { KeyObject } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { parseServerTiming } from '../../src/compare/timing.js'
import { TIMING_PARTS } from '../../src/http/server-timing.js'
import { login, startTestServer, type TestServer, type Tokens } from '../helpers/test-server.js'
import { boundTokens, call, dpopChallenge, newKey, proof } from './fixtures.js'

describe('GET /me with DPoP', () => {
  let t: TestServer
  let key: KeyObject
  let bound: Tokens
  const me = () => `${t.url}/me`

  before(async () => {
    t = await startTestServer()
    key = newKey()
    bound = await boundTokens(t, 'dpop-me', key)
  })
  after(() => t.cleanup())

  /** Asserts a 401 under the DPoP challenge with `error`, and that no token or proof is echoed back. */
  function refused(answer: Awaited<ReturnType<typeof call>>, error: string, description?: RegExp) {
    assert.equal(answer.status, 401, JSON.stringify(answer.body))
    assert.equal(answer.body.error, error)
    const challenge = dpopChallenge(answer.headers)
    assert.ok(challenge, `a DPoP challenge, not ${answer.headers.get('www-authenticate')}`)
    assert.equal(challenge.error, error)
    assert.match(challenge.algs ?? '', /\bES256\b/)
    // The header holds the body's description as a quoted-string: printable ASCII, `"` and `\` as `'`.
    const quoted = String(answer.body.error_description)
      .replace(/["\\]/g, "'")
      .replace(/[^\x20-\x7e]/g, '?')
    assert.equal(challenge.error_description, quoted)
    if (description) assert.match(String(answer.body.error_description), description)
    assert.doesNotMatch(JSON.stringify(answer.body), new RegExp(bound.access_token.slice(-20)))
  }

  test('login with a proof gives a DPoP token; with its proof it reads /me', async () => {
    assert.equal(bound.token_type, 'DPoP')
    const answer = await call(t, 'GET', '/me', {
      token: bound.access_token,
      dpop: proof(key, 'GET', me(), { accessToken: bound.access_token }),
    })
    assert.equal(answer.status, 200, JSON.stringify(answer.body))
    assert.equal(answer.body.username, 'dpop-me')
    assert.equal(answer.headers.get('cache-control'), 'no-store')
    // A second request with a new proof (the user is now in the name cache: the other branch).
    const again = await call(t, 'GET', '/me', {
      token: bound.access_token,
      dpop: proof(key, 'GET', me(), { accessToken: bound.access_token }),
    })
    assert.equal(again.status, 200)
    // Server-Timing names the proof check beside the signature and revocation parts, within the total.
    const entries = parseServerTiming(again.headers.get('server-timing') ?? '')
    assert.deepEqual(
      entries.map((e) => e.name),
      ['signature', 'revocation', 'dpop', 'total'],
    )
    assert.equal(entries[2]!.description, TIMING_PARTS.dpop)
    const parts = entries.slice(0, -1).reduce((sum, e) => sum + e.ms, 0)
    assert.ok(parts <= entries[3]!.ms + 1e-9, `parts ${parts} ms ≤ total ${entries[3]!.ms} ms`)
  })

  test('the bound token sent as Bearer is refused, with or without a proof', async () => {
    const plain = await call(t, 'GET', '/me', { token: bound.access_token, scheme: 'Bearer' })
    refused(plain, 'invalid_token', /DPoP-bound: send it as DPoP with a proof/)
    const withProof = await call(t, 'GET', '/me', {
      token: bound.access_token,
      scheme: 'Bearer',
      dpop: proof(key, 'GET', me(), { accessToken: bound.access_token }),
    })
    refused(withProof, 'invalid_token', /DPoP-bound/)
  })

  test('a Bearer token sent under the DPoP scheme is refused; as Bearer it keeps the Bearer challenge', async () => {
    const plain = await login(t, 'dpop-me')
    assert.equal(plain.token_type, 'Bearer')
    const asDPoP = await call(t, 'GET', '/me', {
      token: plain.access_token,
      dpop: proof(key, 'GET', me(), { accessToken: plain.access_token }),
    })
    refused(asDPoP, 'invalid_token', /not DPoP-bound/)
    const ok = await call(t, 'GET', '/me', { token: plain.access_token, scheme: 'Bearer' })
    assert.equal(ok.status, 200)
    const forged = await call(t, 'GET', '/me', { token: `${plain.access_token}x`, scheme: 'Bearer' })
    assert.equal(forged.status, 401)
    assert.match(
      forged.headers.get('www-authenticate') ?? '',
      /^Bearer realm="tessera", error="invalid_token"/,
    )
  })

  test('the DPoP scheme without a proof is refused', async () => {
    refused(await call(t, 'GET', '/me', { token: bound.access_token }), 'invalid_dpop_proof')
  })

  test('a proof by another key is refused', async () => {
    const answer = await call(t, 'GET', '/me', {
      token: bound.access_token,
      dpop: proof(newKey(), 'GET', me(), { accessToken: bound.access_token }),
    })
    refused(answer, 'invalid_dpop_proof')
  })

  test('a proof whose ath is for another token, or that has no ath, is refused', async () => {
    const other = await login(t, 'dpop-me')
    const forOther = await call(t, 'GET', '/me', {
      token: bound.access_token,
      dpop: proof(key, 'GET', me(), { accessToken: other.access_token }),
    })
    refused(forOther, 'invalid_dpop_proof')
    const noAth = await call(t, 'GET', '/me', { token: bound.access_token, dpop: proof(key, 'GET', me()) })
    refused(noAth, 'invalid_dpop_proof')
  })

  test('a proof for another path, host or method is refused', async () => {
    const accessToken = bound.access_token
    const port = new URL(t.url).port
    for (const [htm, htu] of [
      ['GET', `${t.url}/userinfo`],
      ['GET', `http://localhost:${port}/me`],
      ['GET', `https://127.0.0.1:${port}/me`],
      ['POST', me()],
    ] as const) {
      const answer = await call(t, 'GET', '/me', {
        token: accessToken,
        dpop: proof(key, htm, htu, { accessToken }),
      })
      refused(answer, 'invalid_dpop_proof')
    }
  })

  test('a proof is accepted once: the same proof again is refused', async () => {
    const once = proof(key, 'GET', me(), { accessToken: bound.access_token })
    assert.equal((await call(t, 'GET', '/me', { token: bound.access_token, dpop: once })).status, 200)
    refused(await call(t, 'GET', '/me', { token: bound.access_token, dpop: once }), 'invalid_dpop_proof')
  })

  test('a proof made 10 minutes ago is refused', async () => {
    const stale = proof(key, 'GET', me(), {
      accessToken: bound.access_token,
      iat: Math.floor(Date.now() / 1000) - 600,
    })
    refused(await call(t, 'GET', '/me', { token: bound.access_token, dpop: stale }), 'invalid_dpop_proof')
  })

  test('two DPoP headers are refused', async () => {
    const response = await fetch(me(), {
      headers: [
        ['authorization', `DPoP ${bound.access_token}`],
        ['dpop', proof(key, 'GET', me(), { accessToken: bound.access_token })],
        ['dpop', proof(key, 'GET', me(), { accessToken: bound.access_token })],
      ],
    })
    assert.equal(response.status, 401)
    assert.equal(dpopChallenge(response.headers)?.error, 'invalid_dpop_proof')
  })

  test('after logout the bound token is refused under the DPoP challenge', async () => {
    const ended = await boundTokens(t, 'dpop-me-logout', key)
    const logout = await fetch(`${t.url}/auth/logout`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `DPoP ${ended.access_token}`,
        dpop: proof(key, 'POST', `${t.url}/auth/logout`, { accessToken: ended.access_token }),
      },
      body: JSON.stringify({ refresh_token: ended.refresh_token }),
    })
    assert.ok(logout.ok, `logout answered ${logout.status}`)
    const answer = await call(t, 'GET', '/me', {
      token: ended.access_token,
      dpop: proof(key, 'GET', me(), { accessToken: ended.access_token }),
    })
    refused(answer, 'invalid_token')
  })
})
