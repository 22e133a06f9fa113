/**
 * @module Bad input gets a specific status and an OAuth-style body whose message names what was wrong and
 * what the endpoint takes, and loses nothing: malformed JSON, wrong media types and charsets, missing or
 * oversized bodies, missing and unknown fields, unknown routes and clients, policy refusals, throttling,
 * and a locked database (503). Bodies the docs call optional may be left out.
 */
import assert from 'node:assert/strict'
import { connect } from 'node:net'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import Database from 'better-sqlite3'
import { register, startTestServer, type TestServer } from '../helpers/test-server.js'
import { testStoreKind } from '../helpers/test-store.js'

let t: TestServer
before(async () => {
  t = await startTestServer({ accountFreeFailures: 2, dbBusyTimeout: 200 })
})
after(async () => {
  await t.cleanup()
})

const expectError = async (response: Response, status: number, error: string, code: string) => {
  assert.equal(response.status, status)
  assert.match(response.headers.get('content-type') ?? '', /application\/json/)
  const body = (await response.json()) as Record<string, string>
  assert.equal(body.error, error)
  assert.equal(body.code, code)
  assert.equal(typeof body.error_description, 'string')
  return body
}

const raw = (path: string, body: string, contentType: string) =>
  fetch(t.url + path, { method: 'POST', headers: { 'content-type': contentType }, body })

test('malformed JSON is 400 invalid_request', async () => {
  await expectError(
    await raw('/auth/login', '{"username":', 'application/json'),
    400,
    'invalid_request',
    'ERR_REQUEST_INVALID',
  )
})

test('a missing field or an unexpected one is 400 invalid_request naming it', async () => {
  const body = await expectError(
    await t.post('/auth/login', { username: 'x' }),
    400,
    'invalid_request',
    'ERR_REQUEST_INVALID',
  )
  assert.match(body.error_description!, /password/)
  await expectError(
    await t.post('/auth/login', { username: 'x', password: 'y', admin: true }),
    400,
    'invalid_request',
    'ERR_REQUEST_INVALID',
  )
})

test('wrong media types are 415: text to a JSON endpoint, JSON to a form endpoint', async () => {
  await expectError(
    await raw('/auth/login', 'username=x', 'application/x-www-form-urlencoded'),
    415,
    'invalid_request',
    'ERR_REQUEST_MEDIA_TYPE',
  )
  await expectError(
    await raw('/auth/login', 'hello', 'text/plain'),
    415,
    'invalid_request',
    'ERR_REQUEST_MEDIA_TYPE',
  )
  await expectError(
    await raw('/oauth/revoke', '{"token":"x"}', 'application/json'),
    415,
    'invalid_request',
    'ERR_REQUEST_MEDIA_TYPE',
  )
})

test('an oversized body is 413, naming the limit and the setting', async () => {
  const big = JSON.stringify({ username: 'x', password: 'y'.repeat(20_000) })
  const body = await expectError(
    await raw('/auth/login', big, 'application/json'),
    413,
    'invalid_request',
    'ERR_REQUEST_TOO_LARGE',
  )
  assert.equal(
    body.error_description,
    "the request body is larger than 16384 bytes (the server's --body-limit)",
  )
})

test('an unknown route is 404 with the same body shape', async () => {
  await expectError(await t.get('/nope'), 404, 'invalid_request', 'ERR_ROUTE_NOT_FOUND')
})

test('an unknown client_id is 400 invalid_client', async () => {
  await expectError(
    await t.post('/auth/login', { username: 'x', password: 'y', client_id: 'evil' }),
    400,
    'invalid_client',
    'ERR_CLIENT_UNKNOWN',
  )
})

test('registration: a weak password is refused with the reason, a taken name is 409, nothing is half-created', async () => {
  let body = await expectError(
    await t.post('/auth/register', { username: 'pat', password: 'short' }),
    400,
    'invalid_request',
    'ERR_PASSWORD_REJECTED',
  )
  assert.match(body.error_description!, /at least 12/)
  body = await expectError(
    await t.post('/auth/register', { username: 'pat', password: 'QWERTY123456' }),
    400,
    'invalid_request',
    'ERR_PASSWORD_REJECTED',
  )
  await register(t, 'pat')
  await expectError(
    await t.post('/auth/register', { username: 'PAT', password: 'correct horse battery staple' }),
    409,
    'invalid_request',
    'ERR_USER_EXISTS',
  )
  assert.equal((await t.server.services.users.list()).filter((u) => u.username === 'pat').length, 1)
})

test('registration can be turned off: 403 access_denied', async () => {
  const closed = await startTestServer({ registration: false })
  try {
    await expectError(
      await closed.post('/auth/register', { username: 'quinn', password: 'correct horse battery staple' }),
      403,
      'access_denied',
      'ERR_AUTH_REGISTRATION_DISABLED',
    )
  } finally {
    await closed.cleanup()
  }
})

test('repeated failed logins for one account get 429 with Retry-After', async () => {
  await register(t, 'rosa')
  for (let i = 0; i < 2; i++) {
    await expectError(
      await t.post('/auth/login', { username: 'rosa', password: 'wrong wrong wrong' }),
      401,
      'invalid_grant',
      'ERR_AUTH_CREDENTIALS_INVALID',
    )
  }
  const response = await t.post('/auth/login', { username: 'rosa', password: 'correct horse battery staple' })
  assert.equal(response.headers.get('retry-after'), '1')
  await expectError(response, 429, 'slow_down', 'ERR_AUTH_THROTTLED')
})

const sqliteOnly =
  testStoreKind() === 'sqlite'
    ? false
    : 'SQLite file lock; the PostgreSQL outage is tested in test/faults/postgres-outage.test.ts'

test('a locked database answers 503 temporarily_unavailable with Retry-After, and recovers', {
  skip: sqliteOnly,
}, async () => {
  const tokens = await register(t, 'sam')
  const blocker = new Database(join(t.dir, 'tessera.db'))
  blocker.exec('BEGIN EXCLUSIVE')
  try {
    const response = await t.post('/auth/refresh', { refresh_token: tokens.refresh_token })
    assert.equal(response.headers.get('retry-after'), '1')
    await expectError(response, 503, 'temporarily_unavailable', 'ERR_STORE_UNAVAILABLE')
  } finally {
    blocker.exec('ROLLBACK')
    blocker.close()
  }
  // Nothing was consumed by the failed attempt: the same token still rotates.
  const response = await t.post('/auth/refresh', { refresh_token: tokens.refresh_token })
  assert.equal(response.status, 200)
})

test('every kind of schema refusal names the field by its path and says what it must be', async () => {
  const cases: [unknown, RegExp][] = [
    [
      { username: 'x', password: 'y', admin: true },
      /^body\/admin is not a field this endpoint takes \(it takes: username, password, client_id, refresh_token_delivery\)$/,
    ],
    [{ username: 'x' }, /^body\/password is required$/],
    [{ username: 1, password: 'y' }, /^body\/username must be a string, not a number$/],
    [{ username: '', password: 'y' }, /^body\/username must be at least 1 character long$/],
    [{ username: 'x', password: 'y'.repeat(1025) }, /^body\/password must be at most 1024 characters long$/],
    [
      { username: 'x', password: 'y', refresh_token_delivery: 'fax' },
      /^body\/refresh_token_delivery must be one of: "body", "cookie"$/,
    ],
    [[], /^body must be an object, not an array$/],
    [null, /^body must be an object, not null$/],
  ]
  for (const [body, message] of cases) {
    const refused = await expectError(
      await t.post('/auth/login', body),
      400,
      'invalid_request',
      'ERR_REQUEST_INVALID',
    )
    assert.match(refused.error_description!, message, JSON.stringify(body).slice(0, 60))
  }
  // An invented field name is quoted and cut short, never repeated in full.
  const long = `x"${'z'.repeat(300)}`
  const refused = await expectError(
    await t.post('/auth/refresh', { [long]: 1 }),
    400,
    'invalid_request',
    'ERR_REQUEST_INVALID',
  )
  assert.match(refused.error_description!, /^body\/"x\\"z+…" is not a field this endpoint takes/)
  assert.ok(refused.error_description!.length < 200)
  // An endpoint that takes no fields says so.
  const session = await t.post('/session/login', { username: 'x', password: 'y', remember: true })
  assert.match(
    (await session.json()).error_description,
    /^body\/remember is not a field this endpoint takes \(it takes: username, password\)$/,
  )
  // A form parameter sent twice arrives as a list: the message hints at it.
  const twice = await raw('/oauth/revoke', 'token=a&token=b', 'application/x-www-form-urlencoded')
  assert.match(
    (await twice.json()).error_description,
    /^body\/token must be a string, not an array \(is it sent twice\?\)$/,
  )
})

test('a request with no body where one is needed says so and what to send', async () => {
  const login = await expectError(
    await fetch(`${t.url}/auth/login`, { method: 'POST' }),
    400,
    'invalid_request',
    'ERR_REQUEST_INVALID',
  )
  assert.equal(
    login.error_description,
    'the request has no body: send a body (Content-Type: application/json) with username, password',
  )
  const revoke = await expectError(
    await fetch(`${t.url}/oauth/revoke`, { method: 'POST' }),
    400,
    'invalid_request',
    'ERR_REQUEST_INVALID',
  )
  assert.equal(
    revoke.error_description,
    'the request has no body: send a body (Content-Type: application/x-www-form-urlencoded) with token',
  )
  // An empty JSON body is no body, too.
  const empty = await expectError(
    await raw('/auth/login', '', 'application/json'),
    400,
    'invalid_request',
    'ERR_REQUEST_INVALID',
  )
  assert.match(empty.error_description!, /^the request has no body/)
})

test('a 415 names the media type the endpoint accepts', async () => {
  const json = await expectError(
    await raw('/auth/login', 'username=x', 'application/x-www-form-urlencoded'),
    415,
    'invalid_request',
    'ERR_REQUEST_MEDIA_TYPE',
  )
  assert.equal(
    json.error_description,
    'Content-Type "application/x-www-form-urlencoded" is not accepted here: send Content-Type: application/json',
  )
  const form = await expectError(
    await raw('/oauth/introspect', '{"token":"x"}', 'application/json'),
    415,
    'invalid_request',
    'ERR_REQUEST_MEDIA_TYPE',
  )
  assert.equal(
    form.error_description,
    'Content-Type "application/json" is not accepted here: send Content-Type: application/x-www-form-urlencoded',
  )
  const session = await expectError(
    await raw('/session/login', 'x', 'text/plain'),
    415,
    'invalid_request',
    'ERR_REQUEST_MEDIA_TYPE',
  )
  assert.match(session.error_description!, /send Content-Type: application\/json$/)
})

test('a charset other than UTF-8 is refused with 415, not misread as UTF-8', async () => {
  const utf16 = Buffer.from('\ufeff{"username":"x","password":"y"}', 'utf16le')
  for (const [path, type, body] of [
    ['/auth/login', 'application/json; charset=utf-16', utf16],
    ['/auth/login', 'application/json; charset="UTF-16LE"', utf16],
    ['/auth/login', 'application/json;charset=iso-8859-1', Buffer.from('{"username":"x","password":"y"}')],
    ['/oauth/revoke', 'application/x-www-form-urlencoded; charset=utf-16', Buffer.from('token=x', 'utf16le')],
  ] as const) {
    const refused = await expectError(
      await fetch(t.url + path, { method: 'POST', headers: { 'content-type': type }, body }),
      415,
      'invalid_request',
      'ERR_REQUEST_MEDIA_TYPE',
    )
    assert.match(
      refused.error_description!,
      /^bodies are read as UTF-8 only, not charset "[^"]+": send Content-Type: application\/(json|x-www-form-urlencoded) with charset=utf-8 or no charset$/,
    )
  }
  // UTF-8, named in any case or quoted, is read.
  for (const type of ['application/json; charset=utf-8', 'application/json; charset="UTF-8"']) {
    const response = await raw('/auth/login', '{"username":"nobody","password":"y"}', type)
    await expectError(response, 401, 'invalid_grant', 'ERR_AUTH_CREDENTIALS_INVALID')
  }
})

test('POST /auth/logout with only Authorization: Bearer and a JSON content type, no body, ends the session (204)', async () => {
  const tokens = await register(t, 'lou')
  const response = await fetch(`${t.url}/auth/logout`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.access_token}` },
  })
  assert.equal(response.status, 204)
  assert.equal(await response.text(), '')
  assert.equal((await t.introspect(tokens.refresh_token)).active, false)
})

test('POST /oauth/revoke answers 200 with an empty body (RFC 7009 §2.2), for known and unknown tokens', async () => {
  const tokens = await register(t, 'rae')
  for (const token of [tokens.refresh_token, 'not-a-token']) {
    const response = await t.form('/oauth/revoke', { token })
    assert.equal(response.status, 200)
    assert.equal(response.headers.get('content-length'), '0')
    assert.equal(response.headers.get('content-type'), null)
    assert.equal(await response.text(), '')
  }
  assert.equal((await t.introspect(tokens.refresh_token)).active, false)
})

test('a URL that does not decode gets the OAuth-style body, not the router’s own', async () => {
  const body = await expectError(await t.get('/auth/%zz'), 400, 'invalid_request', 'ERR_REQUEST_INVALID')
  assert.match(body.error_description!, /%-escapes/)
})

test('a path that looks like a route pattern (*, :name) is a plain 404, not a 500 — fuzz finding', async () => {
  for (const path of ['/*/', '/auth/*/x', '/:id', '/auth/:login']) {
    const response = await fetch(t.url + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    })
    await expectError(response, 404, 'invalid_request', 'ERR_ROUTE_NOT_FOUND')
  }
})

test('bytes after a request that said Connection: close get no second answer — fuzz finding', async () => {
  const { port } = new URL(t.url)
  for (const method of ['GET', 'HEAD']) {
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () =>
        socket.write(`${method} /.well-known/jwks.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n{}`),
      )
      let data = ''
      socket.on('data', (chunk) => {
        data += chunk.toString('latin1')
      })
      socket.on('close', () => resolve(data))
      socket.on('error', reject)
    })
    assert.equal(answer.match(/^HTTP\/1\.1 /gm)?.length, 1, answer.slice(0, 300))
    assert.match(answer, /^HTTP\/1\.1 200 OK/)
    if (method === 'HEAD') assert.ok(answer.endsWith('\r\n\r\n'), 'an answer to HEAD has no body')
  }
})

test('every endpoint whose body is optional takes a JSON content type with no body', async () => {
  await register(t, 'opal')
  const login = await t.post('/session/login', { username: 'opal', password: 'correct horse battery staple' })
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!
  const bare = (path: string) =>
    fetch(t.url + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'sec-fetch-site': 'same-origin' },
    })
  assert.equal((await bare('/session/rotate')).status, 200)
  const rotated = await t.post('/session/login', {
    username: 'opal',
    password: 'correct horse battery staple',
  })
  const second = rotated.headers.get('set-cookie')!.split(';')[0]!
  const logout = await fetch(`${t.url}/session/logout`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: second, 'sec-fetch-site': 'same-origin' },
  })
  assert.equal(logout.status, 204)
  // /auth/refresh with no body and no cookie: the refusal says what to send, not "the JSON body is empty".
  const refresh = await expectError(
    await fetch(`${t.url}/auth/refresh`, { method: 'POST', headers: { 'content-type': 'application/json' } }),
    400,
    'invalid_request',
    'ERR_REQUEST_INVALID',
  )
  assert.match(refresh.error_description!, /refresh_token/)
})
