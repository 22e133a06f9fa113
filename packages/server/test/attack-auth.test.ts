/**
 * @module Red-team: password guessing and client authentication. Concurrent guesses cannot outrun the
 * throttle, X-Forwarded-For does not move the per-address counter when trustProxy is off, argon2 never
 * sees more than the policy's maximum, and introspection refuses every malformed or wrong credential.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { manualClock } from '../src/index.js'
import { INTROSPECTION, register, startTestServer, type TestServer } from './helpers/test-server.js'

const PASSWORD = 'correct horse battery staple'

let t: TestServer
before(async () => {
  // Production-like defaults for the throttle: 5 free failures per account, 50 per address. The clock
  // stands still, so no back-off ever runs out during a test: every password check counted is a leak.
  t = await startTestServer({ accountFreeFailures: 5, ipMaxFailures: 50 }, { clock: manualClock(Date.now()) })
})
after(async () => {
  await t.cleanup()
})

const statuses = (responses: Response[]) => {
  const counts: Record<number, number> = {}
  for (const r of responses) counts[r.status] = (counts[r.status] ?? 0) + 1
  return counts
}

test('100 parallel guesses at one account get at most the 5 free password checks; the rest are 429', async () => {
  await register(t, 'target')
  const responses = await Promise.all(
    Array.from({ length: 100 }, (_, i) =>
      t.post('/auth/login', { username: 'target', password: `guess ${i} xx` }),
    ),
  )
  const counts = statuses(responses)
  // Before the fix, 136 of 200 parallel guesses reached argon2 (the check read the counter before any
  // failure was stored).
  assert.ok((counts[401] ?? 0) <= 5, `password checks: ${JSON.stringify(counts)}`)
  assert.equal((counts[401] ?? 0) + (counts[429] ?? 0), 100)
  for (const r of responses.filter((r) => r.status === 429)) {
    assert.match(r.headers.get('retry-after') ?? '', /^[1-9]\d*$/)
    assert.equal(((await r.json()) as { code: string }).code, 'ERR_AUTH_THROTTLED')
  }
  const stored = await t.server.services.store.throttle.get('user:target')
  assert.ok(stored && stored.count <= 5)
})

test('parallel guesses spread over many accounts from one address stop at --ip-max-failures', async () => {
  const s = await startTestServer(
    { accountFreeFailures: 5, ipMaxFailures: 10 },
    { clock: manualClock(Date.now()) },
  )
  try {
    const responses = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        s.post('/auth/login', { username: `someone${i}`, password: 'guess guess' }),
      ),
    )
    const counts = statuses(responses)
    assert.ok((counts[401] ?? 0) <= 10, JSON.stringify(counts))
    assert.equal((counts[401] ?? 0) + (counts[429] ?? 0), 60)
  } finally {
    await s.cleanup()
  }
})

test('25 parallel logins with the right password all succeed: the in-flight accounting queues them, never 429', async () => {
  await register(t, 'tabs')
  const responses = await Promise.all(
    Array.from({ length: 25 }, () => t.post('/auth/login', { username: 'tabs', password: PASSWORD })),
  )
  assert.deepEqual(statuses(responses), { 200: 25 })
})

test('trustProxy off: X-Forwarded-For / Forwarded do not give each guess a fresh address', async () => {
  const s = await startTestServer({ accountFreeFailures: 100, ipMaxFailures: 3 })
  try {
    const seen: number[] = []
    for (let i = 0; i < 6; i++) {
      const response = await s.post(
        '/auth/login',
        { username: `spray${i}`, password: 'guess guess' },
        {
          'x-forwarded-for': `203.0.113.${i}`,
          forwarded: `for=198.51.100.${i}`,
          'x-real-ip': `192.0.2.${i}`,
        },
      )
      seen.push(response.status)
    }
    assert.deepEqual(seen, [401, 401, 401, 429, 429, 429])
    assert.equal((await s.server.services.store.throttle.get('ip:127.0.0.1'))?.count, 3)
    assert.equal(await s.server.services.store.throttle.get('ip:203.0.113.0'), undefined)
  } finally {
    await s.cleanup()
  }
})

test('argon2 never hashes more than 128 code points, whatever the login or registration sends (no hashing DoS)', async () => {
  const s = await startTestServer({ accountFreeFailures: 1000, ipMaxFailures: 1000 })
  try {
    await register(s, 'hashme')
    // Wrap the real hasher to record what reaches argon2 (burn() goes through verify()).
    const hasher = s.server.services.users.hasher
    const lengths: number[] = []
    const verify = hasher.verify.bind(hasher)
    const hash = hasher.hash.bind(hasher)
    hasher.verify = (stored, password) => {
      lengths.push([...password].length)
      return verify(stored, password)
    }
    hasher.hash = (password) => {
      lengths.push([...password].length)
      return hash(password)
    }
    const long = 'x'.repeat(1024)
    const expands = '\uFDFA'.repeat(1024) // 18 characters each after NFKC: 18,432
    for (const username of ['hashme', 'nobody-here']) {
      for (const password of [long, expands]) {
        const r = await s.post('/auth/login', { username, password })
        assert.equal(r.status, 401)
      }
    }
    for (const password of [long, expands]) {
      assert.equal((await s.post('/auth/register', { username: 'newbie', password })).status, 400)
    }
    assert.ok(lengths.length >= 4, 'each login did one argon2 verification (same cost either way)')
    assert.ok(Math.max(...lengths) <= 128, `longest input to argon2: ${Math.max(...lengths)}`)
  } finally {
    await s.cleanup()
  }
})

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`

test('introspection refuses every wrong or malformed client credential with 401 invalid_client', async () => {
  const tokens = await register(t, 'introspected')
  const attempts: (string | undefined)[] = [
    undefined,
    basic(INTROSPECTION.id, 'wrong-secret-0123456789'),
    basic(INTROSPECTION.id, `${INTROSPECTION.secret}x`),
    basic(INTROSPECTION.id, INTROSPECTION.secret.slice(0, -1)),
    basic(INTROSPECTION.id, ''),
    basic('someone-else', INTROSPECTION.secret),
    basic(INTROSPECTION.secret, INTROSPECTION.id),
    `Basic ${Buffer.from(`${INTROSPECTION.id}${INTROSPECTION.secret}`).toString('base64')}`,
    'Basic !!!not-base64!!!',
    `Basic ${Buffer.from(`${INTROSPECTION.id}:%E0%A4%A`).toString('base64')}`,
    `Bearer ${tokens.access_token}`,
    `Basic  ${Buffer.from(`${INTROSPECTION.id}:${INTROSPECTION.secret}`).toString('base64')}x`,
  ]
  for (const authorization of attempts) {
    const response = await t.form(
      '/oauth/introspect',
      { token: tokens.access_token },
      authorization === undefined ? {} : { authorization },
    )
    assert.equal(response.status, 401, String(authorization))
    assert.equal(response.headers.get('www-authenticate'), 'Basic realm="tessera"')
    const body = (await response.json()) as Record<string, unknown>
    assert.equal(body.error, 'invalid_client')
    assert.equal(body.code, 'ERR_CLIENT_AUTH_FAILED')
    assert.equal(body.active, undefined, 'nothing about the token is said to an unauthenticated caller')
  }
  // RFC 6749 §2.3.1: the id and secret are form-urlencoded before Basic encoding; that form is accepted.
  const ok = await t.form(
    '/oauth/introspect',
    { token: tokens.access_token },
    { authorization: basic(encodeURIComponent(INTROSPECTION.id), encodeURIComponent(INTROSPECTION.secret)) },
  )
  assert.equal(ok.status, 200)
  assert.equal(((await ok.json()) as { active: boolean }).active, true)
})

test('with no --introspection-client configured, introspection is refused even with a guessed credential', async () => {
  const s = await startTestServer({ introspectionClients: [] })
  try {
    const tokens = await register(s, 'nointro')
    const response = await s.form(
      '/oauth/introspect',
      { token: tokens.access_token },
      { authorization: basic(INTROSPECTION.id, INTROSPECTION.secret) },
    )
    assert.equal(response.status, 401)
    assert.equal(((await response.json()) as { code: string }).code, 'ERR_CLIENT_AUTH_FAILED')
  } finally {
    await s.cleanup()
  }
})

test('one address registers at most --registrations-per-ip accounts per --ip-window (each costs an argon2id hash)', async () => {
  let now = Date.now()
  const s = await startTestServer({ registrationsPerIp: 10, ipWindow: 900 }, { clock: () => now })
  try {
    const responses = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        s.post('/auth/register', { username: `newcomer${i}`, password: PASSWORD }),
      ),
    )
    const counts = statuses(responses)
    assert.equal(counts[201], 10, `registrations: ${JSON.stringify(counts)}`)
    assert.equal((counts[201] ?? 0) + (counts[429] ?? 0), 30)
    const refused = responses.find((r) => r.status === 429)!
    assert.match(refused.headers.get('retry-after') ?? '', /^[1-9]\d*$/)
    assert.equal(((await refused.json()) as { code: string }).code, 'ERR_AUTH_THROTTLED')
    // A weak password is refused before it counts or costs a hash.
    assert.equal((await s.post('/auth/register', { username: 'weakling', password: 'password' })).status, 400)
    now += 901_000
    assert.equal((await s.post('/auth/register', { username: 'later', password: PASSWORD })).status, 201)
  } finally {
    await s.cleanup()
  }
})

test('every answer carries X-Content-Type-Options: nosniff', async () => {
  for (const path of ['/.well-known/jwks.json', '/me', '/no/such/route']) {
    const response = await fetch(`${t.url}${path}`)
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff', path)
  }
})
