/**
 * @module Browser clients: the refresh token as an HttpOnly cookie (exact attributes), refresh and logout
 * by cookie, and CSRF protection on them (Fetch Metadata, Origin allow-list, refusal without either).
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { register, startTestServer, type TestServer } from '../helpers/test-server.js'

const APP = 'https://app.example.com'
let t: TestServer
before(async () => {
  t = await startTestServer({ allowedOrigins: [APP] })
  await register(t, 'uma')
})
after(async () => {
  await t.cleanup()
})

const cookieLogin = async () => {
  const response = await t.post('/auth/login', {
    username: 'uma',
    password: 'correct horse battery staple',
    refresh_token_delivery: 'cookie',
  })
  assert.equal(response.status, 200)
  const body = (await response.json()) as Record<string, unknown>
  return { body, setCookie: response.headers.get('set-cookie') ?? '' }
}

const cookieOf = (setCookie: string) => setCookie.split(';')[0]!

test('cookie mode: no refresh_token in the body; the cookie is HttpOnly, Secure, SameSite=Strict, Path=/auth', async () => {
  const { body, setCookie } = await cookieLogin()
  assert.equal(body.refresh_token, undefined)
  assert.equal(typeof body.access_token, 'string')
  assert.match(setCookie, /^__Secure-tessera-refresh=[A-Za-z0-9_-]{43};/)
  assert.match(setCookie, /; HttpOnly/)
  assert.match(setCookie, /; Secure/)
  assert.match(setCookie, /; SameSite=Strict/)
  assert.match(setCookie, /; Path=\/auth/)
  assert.match(setCookie, /; Max-Age=\d+/)
  assert.doesNotMatch(setCookie, /Domain=/i)
})

test('refresh by cookie from our own origin (Sec-Fetch-Site: same-origin) rotates the cookie', async () => {
  const { setCookie } = await cookieLogin()
  const response = await fetch(`${t.url}/auth/refresh`, {
    method: 'POST',
    headers: { cookie: cookieOf(setCookie), 'sec-fetch-site': 'same-origin' },
  })
  assert.equal(response.status, 200)
  const next = response.headers.get('set-cookie') ?? ''
  assert.notEqual(cookieOf(next), cookieOf(setCookie))
  assert.equal(((await response.json()) as Record<string, unknown>).refresh_token, undefined)
})

test('refresh by cookie from an allowed origin is accepted', async () => {
  const { setCookie } = await cookieLogin()
  const response = await fetch(`${t.url}/auth/refresh`, {
    method: 'POST',
    headers: { cookie: cookieOf(setCookie), origin: APP, 'sec-fetch-site': 'cross-site' },
  })
  assert.equal(response.status, 200)
})

test('CSRF: a cross-site request, an unknown origin, or no origin information at all is refused', async () => {
  const { setCookie } = await cookieLogin()
  for (const headers of [
    { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
    { 'sec-fetch-site': 'same-site' },
    { origin: 'https://evil.example' },
    {},
  ] as Record<string, string>[]) {
    const response = await fetch(`${t.url}/auth/refresh`, {
      method: 'POST',
      headers: { cookie: cookieOf(setCookie), ...headers },
    })
    assert.equal(response.status, 403)
    assert.equal(((await response.json()) as { code: string }).code, 'ERR_CSRF_REJECTED')
  }
  // None of the refused attempts consumed the token.
  const ok = await fetch(`${t.url}/auth/refresh`, {
    method: 'POST',
    headers: { cookie: cookieOf(setCookie), 'sec-fetch-site': 'same-origin' },
  })
  assert.equal(ok.status, 200)
})

test('a cookie-bound refresh token is refused when sent in the body', async () => {
  const { setCookie } = await cookieLogin()
  const token = cookieOf(setCookie).split('=')[1]!
  const response = await t.post('/auth/refresh', { refresh_token: token })
  assert.equal(response.status, 400)
  assert.equal(((await response.json()) as { code: string }).code, 'ERR_REFRESH_TOKEN_INVALID')
})

test('logout by cookie ends the family and clears the cookie', async () => {
  const { setCookie, body } = await cookieLogin()
  const response = await fetch(`${t.url}/auth/logout`, {
    method: 'POST',
    headers: { cookie: cookieOf(setCookie), 'sec-fetch-site': 'same-origin' },
  })
  assert.equal(response.status, 204)
  assert.match(
    response.headers.get('set-cookie') ?? '',
    /^__Secure-tessera-refresh=;.*(Max-Age=0|Expires=Thu, 01 Jan 1970)/,
  )
  assert.equal((await t.introspect(body.access_token as string)).active, false)
})

test('CORS: an allowed origin gets a credentialed preflight answer; any other origin gets no CORS headers', async () => {
  const preflight = (origin: string) =>
    fetch(`${t.url}/auth/refresh`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    })
  let response = await preflight(APP)
  assert.equal(response.status, 204)
  assert.equal(response.headers.get('access-control-allow-origin'), APP)
  assert.equal(response.headers.get('access-control-allow-credentials'), 'true')
  assert.match(response.headers.get('access-control-allow-methods') ?? '', /POST/)
  response = await preflight('https://evil.example')
  assert.equal(response.headers.get('access-control-allow-origin'), null)
  const jwks = await fetch(`${t.url}/.well-known/jwks.json`, { headers: { origin: APP } })
  assert.equal(jwks.headers.get('access-control-allow-origin'), APP)
})
