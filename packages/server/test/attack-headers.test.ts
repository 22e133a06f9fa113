/**
 * @module Red-team: what a hostile web page can do with the browser's help. CORS answers only the
 * allow-listed origin (exact match, never `*`); the refresh cookie's attributes keep it out of scripts and
 * other sites; cookie-authenticated refresh and logout refuse look-alike, `null`, sibling and missing
 * origins without touching the cookie; token responses are never cacheable.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { bearer, register, startTestServer, type TestServer } from './helpers/test-server.js'

const APP = 'https://app.example.com'
const PASSWORD = 'correct horse battery staple'
let t: TestServer
before(async () => {
  t = await startTestServer({ allowedOrigins: [APP] })
  await register(t, 'bea')
})
after(async () => {
  await t.cleanup()
})

const CORS_HEADERS = [
  'access-control-allow-origin',
  'access-control-allow-credentials',
  'access-control-allow-methods',
  'access-control-allow-headers',
]
const noCors = (response: Response, label: string) => {
  for (const header of CORS_HEADERS) assert.equal(response.headers.get(header), null, `${label}: ${header}`)
}

const LOOKALIKES = [
  'https://evil.example',
  'null',
  'https://app.example.com.evil.net',
  'https://evilapp.example.com',
  'http://app.example.com',
  'https://app.example.com:8443',
  'https://APP.example.com',
  `${APP}/`,
  `${APP}, https://evil.example`,
]

test('CORS: look-alike, null and downgraded origins get no CORS headers, on preflights and on real requests', async () => {
  for (const origin of LOOKALIKES) {
    const preflight = await fetch(`${t.url}/auth/refresh`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    })
    noCors(preflight, `preflight ${origin}`)
    assert.notEqual(preflight.status, 204, origin)
    const login = await t.post('/auth/login', { username: 'bea', password: PASSWORD }, { origin })
    noCors(login, `login ${origin}`)
  }
})

test('CORS: the allowed origin is echoed exactly, with credentials and Vary: Origin, never *', async () => {
  const response = await t.post('/auth/login', { username: 'bea', password: PASSWORD }, { origin: APP })
  assert.equal(response.headers.get('access-control-allow-origin'), APP)
  assert.equal(response.headers.get('access-control-allow-credentials'), 'true')
  assert.match(response.headers.get('vary') ?? '', /Origin/i)
})

test('CORS: the allowed origin may send DPoP proofs and read DPoP-Nonce and WWW-Authenticate', async () => {
  const preflight = await fetch(`${t.url}/me`, {
    method: 'OPTIONS',
    headers: {
      origin: APP,
      'access-control-request-method': 'GET',
      'access-control-request-headers': 'authorization, dpop',
    },
  })
  assert.equal(preflight.status, 204)
  assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /\bdpop\b/)
  const refused = await fetch(`${t.url}/me`, { headers: { origin: APP } })
  assert.equal(refused.status, 401)
  assert.equal(refused.headers.get('access-control-expose-headers'), 'DPoP-Nonce, WWW-Authenticate')
})

test('CORS: without --allowed-origins no origin at all gets CORS headers (not even the issuer itself)', async () => {
  const s = await startTestServer()
  try {
    for (const origin of [APP, s.url, 'null']) {
      noCors(
        await fetch(`${s.url}/auth/login`, {
          method: 'OPTIONS',
          headers: { origin, 'access-control-request-method': 'POST' },
        }),
        origin,
      )
    }
  } finally {
    await s.cleanup()
  }
})

const cookieLogin = async () => {
  const response = await t.post('/auth/login', {
    username: 'bea',
    password: PASSWORD,
    refresh_token_delivery: 'cookie',
  })
  assert.equal(response.status, 200)
  return response.headers.get('set-cookie') ?? ''
}

test('the refresh cookie: __Secure- prefix, HttpOnly, Secure, SameSite=Strict, Path=/auth, no Domain, bounded Max-Age', async () => {
  const setCookie = await cookieLogin()
  assert.match(setCookie, /^__Secure-tessera-refresh=[A-Za-z0-9_-]{43};/)
  const attributes = setCookie
    .split(';')
    .slice(1)
    .map((a) => a.trim().toLowerCase())
  for (const attribute of ['httponly', 'secure', 'samesite=strict', 'path=/auth']) {
    assert.ok(attributes.includes(attribute), `${attribute} in ${setCookie}`)
  }
  assert.equal(
    attributes.some((a) => a.startsWith('domain=')),
    false,
    'no Domain: sibling subdomains never receive it',
  )
  const maxAge = Number(attributes.find((a) => a.startsWith('max-age='))?.slice(8))
  assert.ok(maxAge > 0 && maxAge <= t.config.refreshTtl)
})

test('CSRF on cookie refresh and logout: look-alike, null, same-site sibling or missing origins are 403 and the cookie survives', async () => {
  const cookie = (await cookieLogin()).split(';')[0]!
  const hostile: Record<string, string>[] = [
    {},
    { origin: 'null' },
    { origin: 'https://app.example.com.evil.net' },
    { origin: 'http://app.example.com' },
    { 'sec-fetch-site': 'same-site' },
    { 'sec-fetch-site': 'cross-site' },
    { 'sec-fetch-site': 'none' },
    { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
    { referer: `${t.url}/` },
  ]
  for (const headers of hostile) {
    for (const path of ['/auth/refresh', '/auth/logout']) {
      const response = await t.post(path, {}, { cookie, ...headers })
      assert.equal(response.status, 403, `${path} ${JSON.stringify(headers)}`)
      assert.equal(((await response.json()) as { code: string }).code, 'ERR_CSRF_REJECTED')
      assert.equal(
        response.headers.get('set-cookie'),
        null,
        'a refused request neither rotates nor clears the cookie',
      )
    }
  }
  // A form post (what a hostile page can send without CORS) never reaches the handler.
  const form = await fetch(`${t.url}/auth/refresh`, {
    method: 'POST',
    headers: { cookie, origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
    body: 'refresh_token=x',
  })
  assert.equal(form.status, 415)
  // After all that, the cookie still refreshes from our own origin: nothing was consumed or revoked.
  const ok = await t.post('/auth/refresh', {}, { cookie, 'sec-fetch-site': 'same-origin' })
  assert.equal(ok.status, 200)
})

test('token, introspection and /me responses are never cacheable (RFC 6749 §5.1, RFC 7662 §2.2)', async () => {
  const login = await t.post('/auth/login', { username: 'bea', password: PASSWORD })
  assert.equal(login.headers.get('cache-control'), 'no-store')
  assert.equal(login.headers.get('pragma'), 'no-cache')
  const tokens = (await login.json()) as { access_token: string; refresh_token: string }
  const refresh = await t.post('/auth/refresh', { refresh_token: tokens.refresh_token })
  assert.equal(refresh.headers.get('cache-control'), 'no-store')
  const registered = await t.post('/auth/register', { username: 'cache-check', password: PASSWORD })
  assert.equal(registered.status, 201)
  assert.equal(registered.headers.get('cache-control'), 'no-store')
  const me = await t.get('/me', bearer(tokens.access_token))
  assert.equal(me.headers.get('cache-control'), 'no-store')
})
