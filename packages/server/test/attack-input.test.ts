/**
 * @module Red-team: hostile request bodies and media types against a real server. Each gets a specific
 * 4xx with the OAuth-style body, and none of them creates, changes or half-writes anything.
 */
import assert from 'node:assert/strict'
import { connect } from 'node:net'
import { after, before, test } from 'node:test'
import { register, startTestServer, type TestServer } from './helpers/test-server.js'

let t: TestServer
before(async () => {
  // Throttling out of the way: these tests send many failing logins on purpose.
  t = await startTestServer({ ipMaxFailures: 10_000, accountFreeFailures: 10_000 })
  await register(t, 'victim')
})
after(async () => {
  await t.cleanup()
})

const PASSWORD = 'correct horse battery staple'

const raw = (path: string, body: string, contentType?: string) =>
  fetch(t.url + path, {
    method: 'POST',
    headers: contentType === undefined ? {} : { 'content-type': contentType },
    body,
  })

const expectError = async (response: Response, status: number, error: string, code: string) => {
  assert.equal(response.status, status)
  assert.match(response.headers.get('content-type') ?? '', /^application\/json/)
  const body = (await response.json()) as Record<string, string>
  assert.deepEqual(Object.keys(body).sort(), ['code', 'error', 'error_description'])
  assert.equal(body.error, error)
  assert.equal(body.code, code)
  return body
}

const usernames = async () => (await t.server.services.users.list()).map((u) => u.username).sort()

test('prototype-pollution keys (__proto__, constructor.prototype) in a JSON body are 400, and pollute nothing', async () => {
  const before = await usernames()
  for (const body of [
    `{"username":"pp1","password":"${PASSWORD}","__proto__":{"polluted":true}}`,
    `{"username":"pp2","password":"${PASSWORD}","constructor":{"prototype":{"polluted":true}}}`,
    `{"__proto__":{"username":"pp3","password":"${PASSWORD}"}}`,
  ]) {
    await expectError(
      await raw('/auth/register', body, 'application/json'),
      400,
      'invalid_request',
      'ERR_REQUEST_INVALID',
    )
  }
  assert.equal(({} as Record<string, unknown>).polluted, undefined)
  assert.deepEqual(await usernames(), before)
})

test('deeply nested JSON (7,000 levels inside the body limit) is a fast 400, not a stack overflow or a 500', async () => {
  const arrays = '['.repeat(7000) + ']'.repeat(7000)
  await expectError(
    await raw('/auth/login', arrays, 'application/json'),
    400,
    'invalid_request',
    'ERR_REQUEST_INVALID',
  )
  const inField = `{"username":${'['.repeat(5000)}${']'.repeat(5000)},"password":"x"}`
  await expectError(
    await raw('/auth/login', inField, 'application/json'),
    400,
    'invalid_request',
    'ERR_REQUEST_INVALID',
  )
  // The server is still fine afterwards.
  assert.equal((await t.post('/auth/login', { username: 'victim', password: PASSWORD })).status, 200)
})

test('a body over the limit is 413 however it arrives: one long field, or a chunked stream without a length', async () => {
  await expectError(
    await t.post('/auth/register', { username: 'big', password: 'x'.repeat(100_000) }),
    413,
    'invalid_request',
    'ERR_REQUEST_TOO_LARGE',
  )
  // Chunked (no Content-Length): the limit still applies while reading.
  const stream = new ReadableStream({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(`{"username":"big","password":"${'y'.repeat(40_000)}"}`))
      controller.close()
    },
  })
  const response = await fetch(`${t.url}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: stream,
    duplex: 'half',
  } as RequestInit)
  await expectError(response, 413, 'invalid_request', 'ERR_REQUEST_TOO_LARGE')
  assert.deepEqual(
    (await usernames()).filter((u) => u === 'big'),
    [],
  )
})

test('JSON endpoints take application/json only: none, form, multipart, text, +json suffixes are 415', async () => {
  const body = JSON.stringify({ username: 'victim', password: PASSWORD })
  for (const type of [
    undefined,
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'text/plain',
    'application/vnd.api+json',
    'application/jsonx',
  ]) {
    const response = await raw('/auth/login', body, type)
    await expectError(response, 415, 'invalid_request', 'ERR_REQUEST_MEDIA_TYPE')
  }
  // A form body with the right field names is still not a login (no CSRF through HTML forms).
  await expectError(
    await raw(
      '/auth/login',
      `username=victim&password=${encodeURIComponent(PASSWORD)}`,
      'application/x-www-form-urlencoded',
    ),
    415,
    'invalid_request',
    'ERR_REQUEST_MEDIA_TYPE',
  )
})

test('OAuth endpoints take form bodies only: JSON, none and multipart are 415; a repeated parameter is 400', async () => {
  const tokens = await register(t, 'formcase')
  for (const path of ['/oauth/revoke', '/oauth/introspect']) {
    await expectError(
      await raw(path, JSON.stringify({ token: tokens.refresh_token }), 'application/json'),
      415,
      'invalid_request',
      'ERR_REQUEST_MEDIA_TYPE',
    )
    await expectError(
      await raw(path, `token=${tokens.refresh_token}`),
      415,
      'invalid_request',
      'ERR_REQUEST_MEDIA_TYPE',
    )
  }
  // RFC 6749 §3.2: parameters must not be included more than once.
  await expectError(
    await raw(
      '/oauth/revoke',
      `token=${tokens.refresh_token}&token=other`,
      'application/x-www-form-urlencoded',
    ),
    400,
    'invalid_request',
    'ERR_REQUEST_INVALID',
  )
  // None of that revoked anything.
  assert.equal((await t.introspect(tokens.refresh_token)).active, true)
})

test('wrong JSON types are 400 and never coerced: a number password, an array username, null, [] bodies', async () => {
  for (const body of [
    { username: 'victim', password: 12345 },
    { username: ['victim'], password: PASSWORD },
    { username: 'victim', password: [PASSWORD] },
    { username: 'victim', password: { toString: PASSWORD } },
  ]) {
    await expectError(await t.post('/auth/login', body), 400, 'invalid_request', 'ERR_REQUEST_INVALID')
  }
  await expectError(
    await raw('/auth/login', 'null', 'application/json'),
    400,
    'invalid_request',
    'ERR_REQUEST_INVALID',
  )
  await expectError(
    await raw('/auth/login', '[]', 'application/json'),
    400,
    'invalid_request',
    'ERR_REQUEST_INVALID',
  )
  await expectError(
    await raw('/auth/login', '"x"', 'application/json'),
    400,
    'invalid_request',
    'ERR_REQUEST_INVALID',
  )
})

test('usernames: case, NFKC (fullwidth, Kelvin sign) and padding fold onto one account; confusables are refused', async () => {
  const before = await usernames()
  for (const variant of ['VICTIM', 'Victim', 'ＶＩＣＴＩＭ', ' victim ']) {
    const body = await expectError(
      await t.post('/auth/register', { username: variant, password: PASSWORD }),
      409,
      'invalid_request',
      'ERR_USER_EXISTS',
    )
    assert.match(body.error_description!, /"victim"/)
    // … and each logs into the same account.
    assert.equal((await t.post('/auth/login', { username: variant, password: PASSWORD })).status, 200)
  }
  await register(t, 'kate')
  // U+212A KELVIN SIGN is NFKC-equal to K.
  await expectError(
    await t.post('/auth/register', { username: '\u212Aate', password: PASSWORD }),
    409,
    'invalid_request',
    'ERR_USER_EXISTS',
  )
  // Look-alikes from other scripts and invisible characters are not folded: they are refused outright,
  // so "vіctim" (Cyrillic і) can never become a second account that looks like "victim".
  for (const confusable of ['v\u0456ctim', 'vic\u200Btim', 'victim\u0307', 'İvictim', 'vıctim']) {
    await expectError(
      await t.post('/auth/register', { username: confusable, password: PASSWORD }),
      400,
      'invalid_request',
      'ERR_REQUEST_INVALID',
    )
  }
  assert.deepEqual(await usernames(), [...before, 'kate'].sort())
})

test('header injection through the username: CR/LF names are refused and no header is ever set from them', async () => {
  const response = await t.post('/auth/register', {
    username: 'eve\r\nSet-Cookie: pwned=1',
    password: PASSWORD,
  })
  assert.equal(response.headers.get('set-cookie'), null)
  await expectError(response, 400, 'invalid_request', 'ERR_REQUEST_INVALID')
  const login = await t.post('/auth/login', { username: 'victim\r\nX-Injected: 1', password: PASSWORD })
  assert.equal(login.headers.get('x-injected'), null)
  await expectError(login, 401, 'invalid_grant', 'ERR_AUTH_CREDENTIALS_INVALID')
})

test('passwords: over 128 code points (counted after NFKC) is refused at registration; over 1024 characters is a schema 400', async () => {
  await expectError(
    await t.post('/auth/register', { username: 'longpw', password: 'a'.repeat(129) }),
    400,
    'invalid_request',
    'ERR_PASSWORD_REJECTED',
  )
  // NFKC can multiply length (U+FDFA becomes 18 characters): the limit is checked after normalising.
  await expectError(
    await t.post('/auth/register', { username: 'longpw', password: '\uFDFA'.repeat(12) }),
    400,
    'invalid_request',
    'ERR_PASSWORD_REJECTED',
  )
  await expectError(
    await t.post('/auth/login', { username: 'victim', password: 'a'.repeat(1025) }),
    400,
    'invalid_request',
    'ERR_REQUEST_INVALID',
  )
  assert.deepEqual(
    (await usernames()).filter((u) => u === 'longpw'),
    [],
  )
})

test('a request that is not HTTP, or whose headers exceed 16 KiB, gets the OAuth-style body too', async () => {
  const big = await fetch(`${t.url}/me`, { headers: { authorization: `Bearer ${'a'.repeat(70_000)}` } })
  await expectError(big, 431, 'invalid_request', 'ERR_REQUEST_INVALID')
  const { port } = new URL(t.url)
  const answer = await new Promise<string>((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => socket.write('HELLO / NOT-HTTP\r\n\r\n'))
    let data = ''
    socket.on('data', (chunk) => {
      data += chunk.toString()
    })
    socket.on('end', () => resolve(data))
    socket.on('close', () => resolve(data))
    socket.on('error', reject)
  })
  assert.match(answer, /^HTTP\/1\.1 400 /)
  const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as Record<string, string>
  assert.equal(body.error, 'invalid_request')
  assert.equal(body.code, 'ERR_REQUEST_INVALID')
})
