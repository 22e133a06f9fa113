/**
 * @module `/userinfo` on a real server: GET and POST with a Bearer access token, claims by scope (`sub`
 * always; `profile` → preferred_username, name, updated_at; `email` → email, email_verified), and the
 * refusals with their RFC 6750 challenges: no token, an ID token presented as an access token, a token
 * without `openid`, a token in the query string.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { type Harness, startHarness } from './authorize-fixtures.js'
import { issueCode, type ProviderSession, providerSession, redeem, userinfo } from './token-fixtures.js'

let h: Harness
let ada: ProviderSession
const client = { id: 'rp-info', redirectUris: ['https://rp-info.example/callback'] }

before(async () => {
  h = await startHarness()
  ada = await providerSession(h, 'ada')
  await h.t.server.services.store.users.setProfile(
    ada.userId,
    { name: 'Ada Lovelace', email: 'ada@example.com', emailVerified: true },
    h.now(),
  )
  await h.addClient('rp-info', { scope: 'openid profile email offline_access api' })
})
after(() => h.t.cleanup())

const tokensFor = async (scope: string) =>
  (await redeem(h, 'rp-info', await issueCode(h, client, ada, { scope }))).body

test('GET and POST answer the claims the scopes allow', async () => {
  const all = await tokensFor('openid profile email')
  for (const method of ['GET', 'POST'] as const) {
    const { status, body, headers } = await userinfo(h, all.access_token as string, method)
    assert.equal(status, 200, method)
    assert.equal(headers.get('cache-control'), 'no-store')
    assert.equal(body.sub, ada.userId)
    assert.equal(body.preferred_username, 'ada')
    assert.equal(body.name, 'Ada Lovelace')
    assert.equal(typeof body.updated_at, 'number')
    assert.equal(body.email, 'ada@example.com')
    assert.equal(body.email_verified, true)
  }
  const onlyOpenid = await tokensFor('openid')
  const { body } = await userinfo(h, onlyOpenid.access_token as string)
  assert.deepEqual(Object.keys(body), ['sub'])
  const profile = await tokensFor('openid profile')
  const p = await userinfo(h, profile.access_token as string)
  assert.equal(p.body.email, undefined)
  assert.equal(p.body.name, 'Ada Lovelace')
})

test('an ID token presented as an access token is 401 invalid_token', async () => {
  const { id_token } = await tokensFor('openid profile')
  const { status, body, headers } = await userinfo(h, id_token as string)
  assert.equal(status, 401)
  assert.equal(body.error, 'invalid_token')
  assert.match(headers.get('www-authenticate') ?? '', /^Bearer realm="tessera", error="invalid_token"/)
})

test('no token is 401 with a bare challenge; a token without openid is 403 insufficient_scope', async () => {
  const none = await fetch(`${h.t.url}/userinfo`)
  assert.equal(none.status, 401)
  assert.equal(none.headers.get('www-authenticate'), 'Bearer realm="tessera"')
  const api = await tokensFor('api')
  const { status, headers } = await userinfo(h, api.access_token as string)
  assert.equal(status, 403)
  assert.match(headers.get('www-authenticate') ?? '', /insufficient_scope/)
  const inQuery = await fetch(`${h.t.url}/userinfo?access_token=${api.access_token}`)
  assert.equal(inQuery.status, 401)
})
