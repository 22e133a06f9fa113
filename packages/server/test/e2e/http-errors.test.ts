/**
 * @module Bad input gets a specific status and an OAuth-style body, and loses nothing: malformed JSON,
 * wrong media types, oversized bodies, missing fields, unknown routes and clients, policy refusals,
 * throttling, and a locked database (503).
 */
import assert from 'node:assert/strict'
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

test('an oversized body is 413', async () => {
  const big = JSON.stringify({ username: 'x', password: 'y'.repeat(20_000) })
  await expectError(
    await raw('/auth/login', big, 'application/json'),
    413,
    'invalid_request',
    'ERR_REQUEST_TOO_LARGE',
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
    : 'SQLite file lock; the PostgreSQL outage is tested in test/scale/multi-instance.test.ts'

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
