/**
 * @module Red-team: information leaks. The JWKS publishes public members only (every key state, both
 * algorithms); discovery URLs follow the real listening address; error bodies, challenge headers and log
 * lines — JSON and the pretty development format alike — never carry a token, password or secret, even
 * when a client puts one where it should not (a query string, a cookie, a CSRF header); unknown routes and
 * methods answer the OAuth-style JSON body.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import {
  INTROSPECTION,
  register,
  startTestServer,
  TEST_SECRET,
  type TestServer,
  type Tokens,
} from './helpers/test-server.js'

const PASSWORD = 'correct horse battery staple'
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k', 'priv']

let t: TestServer
let carol: Tokens
before(async () => {
  t = await startTestServer({ ipMaxFailures: 1000, accountFreeFailures: 1000 })
  carol = await register(t, 'carol')
})
after(async () => {
  await t.cleanup()
})

const jwksKeys = async (s: TestServer) =>
  ((await (await s.get('/.well-known/jwks.json')).json()) as { keys: Record<string, unknown>[] }).keys

test('the JWKS holds public members only, for signing, pending and retired keys, ES256, EdDSA and RS256', async () => {
  for (const signingAlg of ['ES256', 'EdDSA'] as const) {
    const s = await startTestServer({ signingAlg })
    try {
      await s.server.services.keys.rotate() // a pending key beside the signing one
      await s.server.services.keys.rotate({ immediate: true }) // and one retired, still published
      const keys = await jwksKeys(s)
      // Three of each algorithm the ring keeps: the access tokens' and the ID tokens' (RS256, ES256, EdDSA).
      assert.equal(keys.length, 9)
      assert.equal(keys.filter((key) => key.alg === signingAlg).length, 3)
      for (const key of keys) {
        for (const member of PRIVATE_MEMBERS)
          assert.equal(key[member], undefined, `${signingAlg}: "${member}"`)
        assert.deepEqual(
          Object.keys(key).filter(
            (k) => !['kty', 'crv', 'x', 'y', 'n', 'e', 'kid', 'alg', 'use'].includes(k),
          ),
          [],
        )
        assert.equal(key.use, 'sig')
        assert.ok(['ES256', 'EdDSA', 'RS256'].includes(String(key.alg)), String(key.alg))
      }
    } finally {
      await s.cleanup()
    }
  }
})

test('discovery follows the real listening address (port 0), and a fixed --issuer when one is given', async () => {
  const meta = (await (await t.get('/.well-known/oauth-authorization-server')).json()) as Record<
    string,
    unknown
  >
  assert.equal(meta.issuer, t.url)
  assert.match(t.url, /^http:\/\/127\.0\.0\.1:[1-9]\d*$/)
  for (const [name, value] of Object.entries(meta)) {
    if (name.endsWith('_endpoint') || name === 'jwks_uri') {
      assert.ok(String(value).startsWith(`${t.url}/`), `${name}: ${value}`)
      // Every advertised endpoint exists (a POST-only one answers something other than 404 to POST).
      const path = new URL(String(value)).pathname
      const method = path.startsWith('/.well-known') || path === '/me' ? 'GET' : 'POST'
      assert.notEqual((await fetch(t.url + path, { method })).status, 404, path)
    }
  }
  // A Host header cannot move the issuer (no host-header poisoning of the metadata).
  const poisoned = await fetch(`${t.url}/.well-known/oauth-authorization-server`, {
    headers: { host: 'evil.example', 'x-forwarded-host': 'evil.example' },
  })
  assert.equal(((await poisoned.json()) as { issuer: string }).issuer, t.url)
  const fixed = await startTestServer({ issuer: 'https://auth.example.com' })
  try {
    const m = (await (await fixed.get('/.well-known/oauth-authorization-server')).json()) as Record<
      string,
      string
    >
    assert.equal(m.issuer, 'https://auth.example.com')
    assert.equal(m.jwks_uri, 'https://auth.example.com/.well-known/jwks.json')
  } finally {
    await fixed.cleanup()
  }
})

/** Sends requests that fail while carrying secrets, and returns every byte of every answer. */
const hostileRequests = async (s: TestServer = t, tokens: Tokens = carol): Promise<string> => {
  const answers: Response[] = []
  const refresh = tokens.refresh_token
  const access = tokens.access_token
  const t = s
  answers.push(await t.post('/auth/login', { username: 'carol', password: `${PASSWORD}!` }))
  answers.push(await t.post('/auth/login', { username: 'carol', password: PASSWORD, client_id: 'nope' }))
  answers.push(await t.post('/auth/login', { username: PASSWORD, password: PASSWORD }))
  answers.push(await t.post('/auth/register', { username: 'carol', password: PASSWORD }))
  answers.push(await t.post('/auth/register', { username: 'dave', password: 'dave-dave-dave-dave' }))
  answers.push(await t.post('/auth/refresh', { refresh_token: `${refresh}x` }))
  answers.push(await t.post('/auth/refresh', { refresh_token: refresh, client_id: 'tessera-cli' }))
  answers.push(await t.post('/auth/refresh', { refresh_token: refresh, extra: access }))
  answers.push(await t.get('/me', { authorization: `Bearer ${access}x` }))
  answers.push(await t.get('/me', { authorization: `Token ${access}` }))
  answers.push(await t.get(`/me?access_token=${access}`))
  answers.push(await t.get(`/nope?refresh_token=${refresh}&password=${encodeURIComponent(PASSWORD)}`))
  answers.push(
    await t.form(
      '/oauth/introspect',
      { token: access },
      {
        authorization: `Basic ${Buffer.from(`${INTROSPECTION.id}:${INTROSPECTION.secret}x`).toString('base64')}`,
      },
    ),
  )
  answers.push(await t.form('/oauth/revoke', { token: `${access}.x`, token_type_hint: refresh }))
  // Credentials in headers a log line could carry: a session cookie, a CSRF token, Basic credentials.
  answers.push(
    await t.post('/session/logout', {}, { cookie: `tessera-session=${refresh}`, 'x-csrf-token': access }),
  )
  answers.push(await t.get('/session/me', { cookie: `tessera-refresh=${refresh}; other=${access}` }))
  let all = ''
  for (const response of answers) {
    assert.ok(response.status >= 400 || response.status === 200, String(response.status))
    response.headers.forEach((value, name) => {
      all += `${name}: ${value}\n`
    })
    all += `${response.status} ${await response.text()}\n`
  }
  return all
}

const SECRETS = (tokens: Tokens = carol) => [
  tokens.access_token,
  tokens.access_token.split('.')[2]!,
  tokens.refresh_token,
  PASSWORD,
  encodeURIComponent(PASSWORD),
  'dave-dave-dave-dave',
  INTROSPECTION.secret,
  TEST_SECRET,
]

test('error bodies and headers never echo a token, password or secret', async () => {
  const answers = await hostileRequests()
  for (const secret of SECRETS())
    assert.equal(answers.includes(secret), false, `echoed: ${secret.slice(0, 12)}…`)
})

test('log lines never contain a token, password or secret, not even from a query string', async () => {
  t.logs.length = 0
  await hostileRequests()
  const refreshed = (await (
    await t.post('/auth/refresh', { refresh_token: carol.refresh_token })
  ).json()) as Tokens
  const all = t.logs.join('')
  assert.ok(t.logs.length > 10, 'requests were logged')
  for (const secret of [...SECRETS(), refreshed.access_token, refreshed.refresh_token]) {
    assert.equal(all.includes(secret), false, `logged: ${secret.slice(0, 12)}…`)
  }
  // The request line is still there, without its query.
  assert.ok(all.includes('"url":"/me?[redacted]"'))
})

test('the pretty development log keeps the same secrets out, and redacts the query string too', async () => {
  const s = await startTestServer(
    { ipMaxFailures: 1000, accountFreeFailures: 1000, logLevel: 'debug' },
    { logFormat: 'pretty' },
  )
  try {
    const tokens = await register(s, 'carol')
    s.logs.length = 0
    await hostileRequests(s, tokens)
    const all = s.logs.join('')
    assert.ok(s.logs.length > 10, 'requests were logged')
    assert.doesNotMatch(all, /^\{"level"/m, 'pretty, not JSON')
    for (const secret of SECRETS(tokens)) {
      assert.equal(all.includes(secret), false, `logged: ${secret.slice(0, 12)}…`)
    }
    assert.match(all, /GET \/me\?\[redacted\] → 401/)
  } finally {
    await s.cleanup()
  }
})

test('unknown routes and wrong methods answer the OAuth-style JSON body, never HTML or Fastify’s shape', async () => {
  for (const [method, path] of [
    ['GET', '/nope'],
    ['GET', '/auth/login'],
    ['PUT', '/auth/refresh'],
    ['DELETE', '/.well-known/jwks.json'],
    ['PATCH', '/me'],
    ['GET', '/oauth/introspect'],
    ['GET', '/%2e%2e/%2e%2e/etc/passwd'],
  ] as const) {
    const response = await fetch(t.url + path, { method })
    const known = path !== '/nope' && !path.includes('%2e')
    assert.equal(response.status, known ? 405 : 404, `${method} ${path}`)
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/)
    const body = (await response.json()) as Record<string, string>
    assert.deepEqual(Object.keys(body).sort(), ['code', 'error', 'error_description'])
    assert.equal(body.error, 'invalid_request')
    assert.equal(body.code, known ? 'ERR_METHOD_NOT_ALLOWED' : 'ERR_ROUTE_NOT_FOUND')
    if (known) assert.ok(response.headers.get('allow'), `${method} ${path} names the methods it has`)
  }
})
