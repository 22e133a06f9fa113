/**
 * @module RFC 7009 revocation of DPoP-bound tokens on a real server. A public (or first-party) client's
 * bound refresh token, or a bound access token, is revoked only with a proof by the key it is bound to:
 * for such a client the token and the key together are the credential (RFC 9449 §5), so a thief holding
 * the token alone cannot end the session either. A confidential client's tokens are revoked on its
 * client authentication, as its refresh tokens are bound to that and not to the key.
 */
import assert from 'node:assert/strict'
import type { KeyObject } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { type Harness, startHarness } from '../oidc/authorize-fixtures.js'
import { addConfidential, basic, issueCode, providerSession } from '../oidc/token-fixtures.js'
import { boundTokens, call, newKey, proof, read } from './fixtures.js'

describe('/oauth/revoke with DPoP-bound tokens', () => {
  let h: Harness
  let key: KeyObject
  let users = 0
  const revokeUrl = () => `${h.t.url}/oauth/revoke`

  before(async () => {
    h = await startHarness()
    key = newKey()
  })
  after(() => h.t.cleanup())

  const revoke = (token: string, dpop?: string, headers: Record<string, string> = {}) =>
    fetch(revokeUrl(), {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(dpop ? { dpop } : {}),
        ...headers,
      },
      body: new URLSearchParams({ token }),
    }).then(read)

  const meStatus = async (accessToken: string) =>
    (
      await call(h.t, 'GET', '/me', {
        token: accessToken,
        dpop: proof(key, 'GET', `${h.t.url}/me`, { accessToken }),
      })
    ).status

  test('a bound refresh token without a proof, or with another key’s, is refused and the session lives', async () => {
    const tokens = await boundTokens(h.t, `revoke-${++users}`, key)
    for (const dpop of [undefined, proof(newKey(), 'POST', revokeUrl())]) {
      const answer = await revoke(tokens.refresh_token, dpop)
      assert.equal(answer.status, 400, JSON.stringify(answer.body))
      assert.equal(answer.body.error, 'invalid_dpop_proof')
    }
    assert.equal(await meStatus(tokens.access_token), 200)
  })

  test('a bound refresh token with a proof by its key is revoked: the session ends', async () => {
    const tokens = await boundTokens(h.t, `revoke-${++users}`, key)
    const answer = await revoke(tokens.refresh_token, proof(key, 'POST', revokeUrl()))
    assert.equal(answer.status, 200, JSON.stringify(answer.body))
    assert.equal(await meStatus(tokens.access_token), 401)
    const refreshed = await fetch(`${h.t.url}/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', dpop: proof(key, 'POST', `${h.t.url}/auth/refresh`) },
      body: JSON.stringify({ refresh_token: tokens.refresh_token }),
    })
    assert.equal(refreshed.status, 400)
  })

  test('a proof for another endpoint is refused', async () => {
    const tokens = await boundTokens(h.t, `revoke-${++users}`, key)
    const answer = await revoke(tokens.refresh_token, proof(key, 'POST', `${h.t.url}/oauth/introspect`))
    assert.equal(answer.status, 400)
    assert.equal(answer.body.error, 'invalid_dpop_proof')
    assert.equal(await meStatus(tokens.access_token), 200)
  })

  test('a bound access token is revoked only with a proof by its key', async () => {
    const tokens = await boundTokens(h.t, `revoke-${++users}`, key)
    const without = await revoke(tokens.access_token)
    assert.equal(without.status, 400)
    assert.equal(without.body.error, 'invalid_dpop_proof')
    assert.equal(await meStatus(tokens.access_token), 200)
    const answer = await revoke(tokens.access_token, proof(key, 'POST', revokeUrl()))
    assert.equal(answer.status, 200, JSON.stringify(answer.body))
    assert.equal(await meStatus(tokens.access_token), 401)
  })

  test('unknown tokens and unbound tokens are revoked as before, with no proof', async () => {
    assert.equal((await revoke('not-a-token')).status, 200)
    const username = `revoke-${++users}`
    const registered = await h.t.post('/auth/register', {
      username,
      password: 'correct horse battery staple',
    })
    const plain = (await registered.json()) as { access_token: string; refresh_token: string }
    assert.equal((await revoke(plain.refresh_token)).status, 200)
    const me = await call(h.t, 'GET', '/me', { token: plain.access_token, scheme: 'Bearer' })
    assert.equal(me.status, 401)
  })

  test('a confidential client revokes its bound access token on client authentication alone', async () => {
    const { client, secret } = await addConfidential(h, 'rp-dpop-revoke')
    const ada = await providerSession(h, `revoke-${++users}`)
    const issued = await issueCode(h, client, ada, { scope: 'openid profile offline_access' })
    const response = await fetch(`${h.t.url}/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        dpop: proof(key, 'POST', `${h.t.url}/token`),
        ...basic(client.id, secret),
      },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: issued.code,
        redirect_uri: issued.redirectUri,
        code_verifier: issued.verifier,
      }),
    }).then(read)
    assert.equal(response.status, 200, JSON.stringify(response.body))
    assert.equal(response.body.token_type, 'DPoP')
    const accessToken = response.body.access_token as string
    const answer = await revoke(accessToken, undefined, basic(client.id, secret))
    assert.equal(answer.status, 200, JSON.stringify(answer.body))
    assert.equal(await meStatus(accessToken), 401)
  })
})
