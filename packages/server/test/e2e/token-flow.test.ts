/**
 * @module The full token-mode flow of issue 6 against a real server on loopback: register → login →
 * /me → refresh → reuse of the old refresh token → family revoked (both refresh tokens refused, access
 * tokens inactive at introspection and refused by /me) → login again → logout.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import {
  bearer,
  login,
  register,
  startTestServer,
  type TestServer,
  type Tokens,
} from '../helpers/test-server.js'

let t: TestServer
before(async () => {
  t = await startTestServer()
})
after(async () => {
  await t.cleanup()
})

test('the first log line says where the server listens, and the issuer follows the real port', async () => {
  const first = JSON.parse(t.logs[0]!) as { msg: string }
  assert.equal(first.msg, `tessera listening on ${t.url}`)
  assert.match(t.url, /^http:\/\/127\.0\.0\.1:\d+$/)
  assert.notEqual(t.server.port, 0)
  const metadata = (await (await t.get('/.well-known/oauth-authorization-server')).json()) as Record<
    string,
    string
  >
  assert.equal(metadata.issuer, t.url)
  assert.equal(metadata.jwks_uri, `${t.url}/.well-known/jwks.json`)
  assert.equal(metadata.introspection_endpoint, `${t.url}/oauth/introspect`)
  assert.equal(metadata.revocation_endpoint, `${t.url}/oauth/revoke`)
})

test('register → login → /me → refresh → reuse revokes the family → login again → logout', async () => {
  const registered = await register(t, 'alice')
  assert.equal(registered.token_type, 'Bearer')
  assert.equal(registered.expires_in, 900)
  assert.match(registered.refresh_token, /^[A-Za-z0-9_-]{43}$/)

  const first: Tokens = await login(t, 'Alice')
  let me = await t.get('/me', bearer(first.access_token))
  assert.equal(me.status, 200)
  assert.equal(me.headers.get('cache-control'), 'no-store')
  const profile = (await me.json()) as Record<string, unknown>
  assert.equal(profile.username, 'alice')
  assert.equal(profile.client_id, 'tessera-web')

  // Refresh: a new pair, the old refresh token consumed.
  let response = await t.post('/auth/refresh', { refresh_token: first.refresh_token })
  assert.equal(response.status, 200)
  const second = (await response.json()) as Tokens
  assert.notEqual(second.refresh_token, first.refresh_token)
  assert.notEqual(second.access_token, first.access_token)
  assert.equal((await t.get('/me', bearer(second.access_token))).status, 200)
  assert.equal((await t.introspect(second.refresh_token)).active, true)
  assert.equal((await t.introspect(first.refresh_token)).active, false)

  // Reuse: after one more rotation, the first token is two generations old — not the immediately
  // previous one, so no grace applies (grace-window timing itself is in concurrent-refresh.test.ts).
  response = await t.post('/auth/refresh', { refresh_token: second.refresh_token })
  const third = (await response.json()) as Tokens
  assert.equal(response.status, 200)
  response = await t.post('/auth/refresh', { refresh_token: first.refresh_token })
  assert.equal(response.status, 400)
  const reuse = (await response.json()) as Record<string, string>
  assert.equal(reuse.error, 'invalid_grant')
  assert.equal(reuse.code, 'ERR_REFRESH_TOKEN_REUSED')

  // The whole family is gone: every refresh token refused, every access token inactive and refused.
  for (const token of [first.refresh_token, second.refresh_token, third.refresh_token]) {
    const r = await t.post('/auth/refresh', { refresh_token: token })
    assert.equal(r.status, 400)
    assert.equal(((await r.json()) as { code: string }).code, 'ERR_REFRESH_TOKEN_INVALID')
    assert.equal((await t.introspect(token)).active, false)
  }
  for (const token of [first.access_token, second.access_token, third.access_token]) {
    assert.deepEqual(await t.introspect(token), { active: false })
    me = await t.get('/me', bearer(token))
    assert.equal(me.status, 401)
    assert.match(me.headers.get('www-authenticate') ?? '', /error="invalid_token"/)
    assert.equal(((await me.json()) as { code: string }).code, 'ERR_ACCESS_TOKEN_INVALID')
  }

  // The user logs in again: a new family, unaffected by the revoked one.
  const again = await login(t, 'alice')
  assert.equal((await t.get('/me', bearer(again.access_token))).status, 200)
  const introspected = await t.introspect(again.access_token)
  assert.equal(introspected.active, true)
  assert.equal(introspected.username, 'alice')
  // RFC 7662 §2.2: token_type is the type as in RFC 6749 §7.1.
  assert.equal(introspected.token_type, 'Bearer')

  // Logout with the refresh token ends that family.
  response = await t.post('/auth/logout', { refresh_token: again.refresh_token })
  assert.equal(response.status, 204)
  assert.equal((await t.get('/me', bearer(again.access_token))).status, 401)
  assert.equal((await t.post('/auth/refresh', { refresh_token: again.refresh_token })).status, 400)
})

test('logout by the access token (sid) ends its family', async () => {
  await register(t, 'bob')
  const tokens = await login(t, 'bob')
  const response = await fetch(`${t.url}/auth/logout`, {
    method: 'POST',
    headers: bearer(tokens.access_token),
  })
  assert.equal(response.status, 204)
  assert.equal((await t.introspect(tokens.refresh_token)).active, false)
  assert.equal((await t.get('/me', bearer(tokens.access_token))).status, 401)
})

test('RFC 7009 revocation of a refresh token ends the family, and unknown tokens still answer 200', async () => {
  await register(t, 'carol')
  const tokens = await login(t, 'carol')
  let response = await t.form('/oauth/revoke', {
    token: tokens.refresh_token,
    token_type_hint: 'refresh_token',
  })
  assert.equal(response.status, 200)
  assert.equal((await t.introspect(tokens.access_token)).active, false)
  response = await t.form('/oauth/revoke', { token: 'not-a-token-we-know' })
  assert.equal(response.status, 200)
})

test('introspection refuses callers without the resource-server credential', async () => {
  const tokens = await login(t, 'alice')
  let response = await t.form('/oauth/introspect', { token: tokens.access_token })
  assert.equal(response.status, 401)
  assert.equal(((await response.json()) as { error: string }).error, 'invalid_client')
  assert.match(response.headers.get('www-authenticate') ?? '', /^Basic/)
  response = await t.form(
    '/oauth/introspect',
    { token: tokens.access_token },
    { authorization: `Basic ${Buffer.from('resource-server:wrong-secret-000000').toString('base64')}` },
  )
  assert.equal(response.status, 401)
})

test('an access token whose exp was pushed out by hand fails its signature: /me 401, introspection inactive', async () => {
  const tokens = await login(t, 'alice')
  const [h, p, s] = tokens.access_token.split('.')
  const claims = JSON.parse(Buffer.from(p!, 'base64url').toString()) as Record<string, unknown>
  claims.exp = 4102444800
  const forged = `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`
  const response = await t.get('/me', bearer(forged))
  assert.equal(response.status, 401)
  assert.equal((await t.introspect(forged)).active, false)
})

test('no token, password or secret ever reaches the logs', async () => {
  const tokens = await login(t, 'alice')
  await t.get('/me', bearer(tokens.access_token))
  await t.post('/auth/refresh', { refresh_token: tokens.refresh_token })
  const all = t.logs.join('\n')
  for (const secret of [
    tokens.access_token,
    tokens.refresh_token,
    'correct horse battery staple',
    'rs-secret-0123456789',
  ]) {
    assert.equal(all.includes(secret), false)
  }
  assert.equal(all.includes('test-secret-0123456789'), false)
})
