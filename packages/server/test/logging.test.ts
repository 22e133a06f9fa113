/**
 * @module The log a person reads and the log a machine reads: pretty lines only in development on a
 * terminal, JSON everywhere else; one line per request at a level set by its status (debug below 400,
 * info for 4xx, error for 5xx), carrying the error code and never the query string.
 */
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import Database from 'better-sqlite3'
import { levelForStatus } from '../src/http/request-log.js'
import { chooseLogFormat } from '../src/logger.js'
import { bearer, register, startTestServer, type TestServer } from './helpers/test-server.js'
import { testStoreKind } from './helpers/test-store.js'

interface Line {
  level: number
  msg: string
  code?: string
  req?: { method: string; url: string }
  res?: { statusCode: number }
  err?: { message: string }
}

const parsed = (s: TestServer) => s.logs.map((line) => JSON.parse(line) as Line)
const requestLines = (s: TestServer) => parsed(s).filter((line) => line.msg === 'request completed')

test('pretty only in development with a terminal on stdout; production and pipes get JSON', () => {
  assert.equal(chooseLogFormat(false, true), 'pretty')
  assert.equal(chooseLogFormat(true, true), 'json')
  assert.equal(chooseLogFormat(false, false), 'json')
  assert.equal(chooseLogFormat(false, undefined), 'json')
})

test('request levels: debug below 400, info for 4xx, error for 5xx', () => {
  assert.deepEqual([200, 204, 304, 400, 404, 429, 500, 503].map(levelForStatus), [
    'debug',
    'debug',
    'debug',
    'info',
    'info',
    'info',
    'error',
    'error',
  ])
})

let t: TestServer
before(async () => {
  t = await startTestServer({ dbBusyTimeout: 200 })
})
after(async () => {
  await t.cleanup()
})

test('at info, routine answers are not logged; a 4xx is, once, with its code and without its query', async () => {
  t.logs.length = 0
  assert.equal((await t.get('/.well-known/jwks.json')).status, 200)
  assert.equal((await t.get('/me?access_token=abc')).status, 401)
  const lines = requestLines(t)
  assert.equal(lines.length, 1, JSON.stringify(lines))
  assert.equal(lines[0]!.level, 30)
  assert.equal(lines[0]!.code, 'ERR_ACCESS_TOKEN_INVALID')
  assert.deepEqual(
    { method: lines[0]!.req!.method, url: lines[0]!.req!.url, status: lines[0]!.res!.statusCode },
    { method: 'GET', url: '/me?[redacted]', status: 401 },
  )
  // Fastify's own "incoming request" and not-found lines (the latter kept the query) are gone.
  assert.equal(
    parsed(t).filter((line) => line.msg !== 'request completed').length,
    0,
    JSON.stringify(parsed(t)),
  )
})

test('at debug, every request is logged: its arrival and its answer', async () => {
  const s = await startTestServer({ logLevel: 'debug' })
  try {
    s.logs.length = 0
    assert.equal((await s.get('/.well-known/jwks.json')).status, 200)
    const lines = parsed(s)
    assert.deepEqual(
      lines.map((line) => [line.level, line.msg]),
      [
        [20, 'incoming request'],
        [20, 'request completed'],
      ],
    )
  } finally {
    await s.cleanup()
  }
})

test('a 5xx is logged at error with its error', {
  skip: testStoreKind() !== 'sqlite' && 'SQLite lock',
}, async () => {
  const tokens = await register(t, 'lena')
  t.logs.length = 0
  const blocker = new Database(join(t.dir, 'tessera.db'))
  blocker.exec('BEGIN EXCLUSIVE')
  try {
    assert.equal((await t.post('/auth/refresh', { refresh_token: tokens.refresh_token })).status, 503)
  } finally {
    blocker.exec('ROLLBACK')
    blocker.close()
  }
  const [line] = requestLines(t)
  assert.equal(line?.level, 50)
  assert.equal(line?.code, 'ERR_STORE_UNAVAILABLE')
  assert.equal(typeof line?.err?.message, 'string')
})

test('the pretty log is readable lines, not JSON, and keeps every secret out', async () => {
  const s = await startTestServer({}, { logFormat: 'pretty' })
  try {
    const tokens = await register(s, 'pat')
    await s.get('/me', bearer(tokens.access_token))
    await s.get(`/me?access_token=${tokens.access_token}`, {
      cookie: `tessera-session=${tokens.refresh_token}`,
    })
    await s.post('/auth/login', { username: 'pat', password: 'wrong but secret' })
    const all = s.logs.join('')
    assert.doesNotMatch(all, /^\{"level"/m)
    assert.match(all, /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: tessera listening on http:\/\/127\.0\.0\.1:\d+$/m)
    assert.match(all, /INFO: GET \/me\?\[redacted\] → 401 ERR_ACCESS_TOKEN_INVALID \(\d+\.\d ms\)$/m)
    assert.match(all, /INFO: POST \/auth\/login → 401 ERR_AUTH_CREDENTIALS_INVALID \(\d+\.\d ms\)$/m)
    // The settings on a few key=value lines, the secret masked.
    assert.match(all, /^ {4}config: host=127\.0\.0\.1 {2}port=0 {2}database=/m)
    assert.match(all, / secret=\[redacted\]\s/)
    // No colour codes when the destination is not a terminal.
    assert.equal(all.includes(`${String.fromCharCode(27)}[`), false)
    for (const secret of [tokens.access_token, tokens.refresh_token, 'wrong but secret'])
      assert.equal(all.includes(secret), false, `logged: ${secret.slice(0, 12)}…`)
  } finally {
    await s.cleanup()
  }
})
