/**
 * @module Server nonces at the protected resources (`--dpop-nonce required`, RFC 9449 §9): a proof
 * without the nonce, or with one this server never handed out, is answered 401 `use_dpop_nonce` with
 * the nonce in `DPoP-Nonce` and the DPoP challenge; the retry with it succeeds, and every DPoP answer
 * hands out the current nonce.
 */
import assert from 'node:assert/strict'
import type { KeyObject } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { register, startTestServer, type TestServer } from '../helpers/test-server.js'
import { call, dpopChallenge, newKey, PASSWORD, proof, read } from './fixtures.js'

describe('DPoP nonces at /me and /userinfo', () => {
  let t: TestServer
  let key: KeyObject
  let accessToken: string
  const me = () => `${t.url}/me`

  before(async () => {
    t = await startTestServer({ dpopNonce: 'required' })
    key = newKey()
    await register(t, 'dpop-nonce', PASSWORD)
    const login = (nonce?: string) =>
      fetch(`${t.url}/auth/login`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          dpop: proof(key, 'POST', `${t.url}/auth/login`, nonce ? { nonce } : {}),
        },
        body: JSON.stringify({ username: 'dpop-nonce', password: PASSWORD }),
      }).then(read)
    const first = await login()
    assert.equal(first.body.error, 'use_dpop_nonce')
    const second = await login(first.headers.get('dpop-nonce')!)
    assert.equal(second.status, 200, JSON.stringify(second.body))
    accessToken = second.body.access_token as string
  })
  after(() => t.cleanup())

  test('without a nonce: 401 use_dpop_nonce with DPoP-Nonce; the retry with it is answered', async () => {
    const challenged = await call(t, 'GET', '/me', {
      token: accessToken,
      dpop: proof(key, 'GET', me(), { accessToken }),
    })
    assert.equal(challenged.status, 401)
    assert.equal(challenged.body.error, 'use_dpop_nonce')
    assert.equal(dpopChallenge(challenged.headers)?.error, 'use_dpop_nonce')
    const nonce = challenged.headers.get('dpop-nonce')
    assert.ok(nonce)
    const answered = await call(t, 'GET', '/me', {
      token: accessToken,
      dpop: proof(key, 'GET', me(), { accessToken, nonce }),
    })
    assert.equal(answered.status, 200, JSON.stringify(answered.body))
    assert.equal(answered.headers.get('dpop-nonce'), nonce)
  })

  test('a nonce this server never handed out is answered like a missing one', async () => {
    const answer = await call(t, 'GET', '/me', {
      token: accessToken,
      dpop: proof(key, 'GET', me(), { accessToken, nonce: 'AAAAAAAAAAAAAAAAAAAAAA' }),
    })
    assert.equal(answer.status, 401)
    assert.equal(dpopChallenge(answer.headers)?.error, 'use_dpop_nonce')
    assert.ok(answer.headers.get('dpop-nonce'))
  })

  test('/userinfo asks for the nonce the same way', async () => {
    const answer = await call(t, 'GET', '/userinfo', {
      token: accessToken,
      dpop: proof(key, 'GET', `${t.url}/userinfo`, { accessToken }),
    })
    assert.equal(answer.status, 401)
    assert.equal(dpopChallenge(answer.headers)?.error, 'use_dpop_nonce')
    assert.ok(answer.headers.get('dpop-nonce'))
  })
})
