/**
 * @module The CORS the SDK needs at the provider, against a real Tessera server: the origin of a public
 * client's redirect URI gets CORS on discovery, the JWKS, /token, /userinfo and /oauth/revoke — without
 * credentials, with `DPoP` allowed and `DPoP-Nonce` / `WWW-Authenticate` exposed — and on nothing else;
 * a confidential client's origin, a look-alike and an unknown origin get none.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { startTestServer, type TestServer } from '../../server/test/helpers/test-server.js'
import { addClient } from '../../server/test/oidc/interop-fixtures.js'

const SPA = 'http://localhost:5173'
const CONFIDENTIAL = 'https://notes.example.com'
const SPA_PATHS = [
  '/.well-known/openid-configuration',
  '/.well-known/jwks.json',
  '/token',
  '/userinfo',
  '/oauth/revoke',
]

let t: TestServer
before(async () => {
  t = await startTestServer()
  await addClient(t, { id: 'cors-spa', type: 'public', redirectUris: [`${SPA}/callback`] })
  await addClient(t, { id: 'cors-notes', redirectUris: [`${CONFIDENTIAL}/callback`] })
})
after(async () => {
  await t?.cleanup()
})

const preflight = (path: string, origin: string) =>
  fetch(t.url + path, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization, dpop, content-type',
    },
  })

test("a public client's origin: preflights answered on the SDK's endpoints, no credentials", async () => {
  for (const path of SPA_PATHS) {
    const answer = await preflight(path, SPA)
    assert.equal(answer.status, 204, path)
    assert.equal(answer.headers.get('access-control-allow-origin'), SPA, path)
    assert.equal(answer.headers.get('access-control-allow-credentials'), null, path)
    assert.match(answer.headers.get('access-control-allow-headers') ?? '', /\bdpop\b/, path)
    assert.match(answer.headers.get('access-control-allow-headers') ?? '', /\bauthorization\b/, path)
    assert.match(answer.headers.get('vary') ?? '', /Origin/, path)
  }
})

test("a public client's origin: real answers expose DPoP-Nonce and WWW-Authenticate", async () => {
  const discovery = await t.get('/.well-known/openid-configuration', { origin: SPA })
  assert.equal(discovery.status, 200)
  assert.equal(discovery.headers.get('access-control-allow-origin'), SPA)
  assert.equal(discovery.headers.get('access-control-expose-headers'), 'DPoP-Nonce, WWW-Authenticate')
  const userinfo = await t.get('/userinfo', { origin: SPA })
  assert.equal(userinfo.status, 401)
  assert.equal(userinfo.headers.get('access-control-allow-origin'), SPA)
})

test('no CORS elsewhere: other endpoints, a confidential client, look-alikes, unknown origins', async () => {
  for (const path of ['/auth/login', '/auth/refresh', '/authorize', '/oauth/introspect', '/me']) {
    const answer = await preflight(path, SPA)
    assert.equal(answer.headers.get('access-control-allow-origin'), null, path)
  }
  for (const origin of [
    CONFIDENTIAL,
    'http://localhost:5174',
    'http://127.0.0.1:5173',
    'null',
    'https://evil.example',
  ]) {
    for (const path of SPA_PATHS) {
      const answer = await preflight(path, origin)
      assert.equal(answer.headers.get('access-control-allow-origin'), null, `${origin} ${path}`)
      assert.notEqual(answer.status, 204, `${origin} ${path}`)
    }
  }
})

test('a removed client loses its CORS at once (clients are read per request)', async () => {
  await addClient(t, { id: 'gone', type: 'public', redirectUris: ['https://gone.example.com/cb'] })
  assert.equal((await preflight('/token', 'https://gone.example.com')).status, 204)
  await t.server.services.clients.remove('gone')
  assert.equal(
    (await preflight('/token', 'https://gone.example.com')).headers.get('access-control-allow-origin'),
    null,
  )
})
