/**
 * @module `/userinfo` (GET and POST) with DPoP-bound tokens from the code grant on a real server: the token
 * under the DPoP scheme with its proof is answered; the proof's `ath` is always checked (Keycloak #38333
 * ignored it at userinfo), and the bound token is refused as Bearer, in the form body, or with a proof
 * by another key or for the other method.
 */
import assert from 'node:assert/strict'
import type { KeyObject } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { type Harness, startHarness } from '../oidc/authorize-fixtures.js'
import { issueCode, type ProviderSession, providerSession } from '../oidc/token-fixtures.js'
import { boundTokens, call, dpopChallenge, newKey, proof } from './fixtures.js'

describe('/userinfo with DPoP', () => {
  let h: Harness
  let ada: ProviderSession
  let key: KeyObject
  const client = { id: 'rp-dpop-info', redirectUris: ['https://rp-dpop-info.example/callback'] }
  const userinfo = () => `${h.t.url}/userinfo`

  before(async () => {
    h = await startHarness()
    ada = await providerSession(h, 'ada-dpop')
    await h.addClient(client.id, { scope: 'openid profile email offline_access' })
    key = newKey()
  })
  after(() => h.t.cleanup())

  /** A code redeemed at /token with a proof by `key`: a DPoP-bound access token with `openid profile`. */
  async function redeemBound(): Promise<string> {
    const issued = await issueCode(h, client, ada, { scope: 'openid profile' })
    const response = await fetch(`${h.t.url}/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        dpop: proof(key, 'POST', `${h.t.url}/token`),
      },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: issued.code,
        redirect_uri: issued.redirectUri,
        code_verifier: issued.verifier,
        client_id: client.id,
      }),
    })
    const body = (await response.json()) as Record<string, unknown>
    assert.equal(response.status, 200, JSON.stringify(body))
    assert.equal(body.token_type, 'DPoP')
    return body.access_token as string
  }

  test('GET and POST answer the token with its proof under the DPoP scheme', async () => {
    const accessToken = await redeemBound()
    for (const method of ['GET', 'POST']) {
      const answer = await call(h.t, method, '/userinfo', {
        token: accessToken,
        dpop: proof(key, method, userinfo(), { accessToken }),
      })
      assert.equal(answer.status, 200, `${method}: ${JSON.stringify(answer.body)}`)
      assert.equal(answer.body.sub, ada.userId)
      assert.equal(answer.body.preferred_username, 'ada-dpop')
      assert.equal(answer.headers.get('cache-control'), 'no-store')
    }
  })

  test('the ath is checked: a proof for another token, or with none, is refused (GET and POST)', async () => {
    const accessToken = await redeemBound()
    const other = await redeemBound()
    for (const method of ['GET', 'POST']) {
      for (const dpop of [
        proof(key, method, userinfo(), { accessToken: other }),
        proof(key, method, userinfo()),
      ]) {
        const answer = await call(h.t, method, '/userinfo', { token: accessToken, dpop })
        assert.equal(answer.status, 401, method)
        assert.equal(answer.body.error, 'invalid_dpop_proof')
        assert.equal(dpopChallenge(answer.headers)?.error, 'invalid_dpop_proof')
      }
    }
  })

  test('a proof by another key or for the other method is refused', async () => {
    const accessToken = await redeemBound()
    for (const dpop of [
      proof(newKey(), 'GET', userinfo(), { accessToken }),
      proof(key, 'POST', userinfo(), { accessToken }),
    ]) {
      const answer = await call(h.t, 'GET', '/userinfo', { token: accessToken, dpop })
      assert.equal(answer.status, 401)
      assert.equal(dpopChallenge(answer.headers)?.error, 'invalid_dpop_proof')
    }
  })

  test('the bound token as Bearer, or in the form body, is refused with the DPoP challenge', async () => {
    const accessToken = await redeemBound()
    const asBearer = await call(h.t, 'GET', '/userinfo', { token: accessToken, scheme: 'Bearer' })
    assert.equal(asBearer.status, 401)
    assert.equal(asBearer.body.error, 'invalid_token')
    assert.match(String(asBearer.body.error_description), /DPoP-bound/)
    assert.equal(dpopChallenge(asBearer.headers)?.error, 'invalid_token')
    const inBody = await fetch(userinfo(), {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        dpop: proof(key, 'POST', userinfo(), { accessToken }),
      },
      body: new URLSearchParams({ access_token: accessToken }),
    })
    assert.equal(inBody.status, 401)
    assert.equal(dpopChallenge(inBody.headers)?.error, 'invalid_token')
  })

  test('the DPoP scheme with the token in the body too is refused as sent twice', async () => {
    const accessToken = await redeemBound()
    const answer = await call(
      h.t,
      'POST',
      '/userinfo',
      { token: accessToken, dpop: proof(key, 'POST', userinfo(), { accessToken }) },
      { form: { access_token: accessToken } },
    )
    assert.equal(answer.status, 400)
    assert.equal(answer.body.error, 'invalid_request')
  })

  test('a bound token without openid is 403 insufficient_scope under the DPoP challenge', async () => {
    const { access_token: accessToken } = await boundTokens(h.t, 'api-only-dpop', key)
    const answer = await call(h.t, 'GET', '/userinfo', {
      token: accessToken,
      dpop: proof(key, 'GET', userinfo(), { accessToken }),
    })
    assert.equal(answer.status, 403)
    assert.equal(answer.body.error, 'insufficient_scope')
    const challenge = dpopChallenge(answer.headers)
    assert.equal(challenge?.error, 'insufficient_scope')
    assert.equal(challenge?.scope, 'openid')
  })
})
