/**
 * @module Redis going away under load, on a private redis-server (never the shared one): with `--redis`,
 * token verification keeps working, session requests answer 503 `temporarily_unavailable` quickly (no
 * hang, no 500), and once Redis is back everything recovers by itself — sessions written before the stop
 * included. PostgreSQL is the SQL store; the test fails in CI when it or `redis-server` is missing.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { after, before, describe, test } from 'node:test'
import { freshDatabase, servicesMissing, skipLoudly } from '../helpers/services.js'
import { bearer, register, startTestServer, type TestServer } from '../helpers/test-server.js'
import { type PrivateRedis, startPrivateRedis } from './private-redis.js'

/** Longer than any answer may take while Redis is away: a request still open then is a hang. */
const HANG_MS = 5000
const PASSWORD = 'correct horse battery staple'

interface Outcome {
  status: number | 'hang' | 'network'
  code?: string
  error?: string
}

async function call(url: string, headers: Record<string, string>): Promise<Outcome> {
  try {
    const response = await fetch(url, { headers, signal: AbortSignal.timeout(HANG_MS) })
    const text = await response.text()
    const body = text ? (JSON.parse(text) as { code?: string; error?: string }) : {}
    return {
      status: response.status,
      ...(body.code ? { code: body.code } : {}),
      ...(body.error ? { error: body.error } : {}),
    }
  } catch (error) {
    return { status: (error as Error).name === 'TimeoutError' ? 'hang' : 'network' }
  }
}

/** Calls `probe` until it passes or the deadline comes; returns the last outcome. */
async function until(
  probe: () => Promise<Outcome>,
  pass: (o: Outcome) => boolean,
  ms: number,
): Promise<Outcome> {
  const deadline = Date.now() + ms
  for (;;) {
    const outcome = await probe()
    if (pass(outcome) || Date.now() > deadline) return outcome
    await new Promise((r) => setTimeout(r, 100))
  }
}

const redisServerMissing =
  spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0
    ? undefined
    : 'redis-server is not installed (apt-get install redis-server)'
if (redisServerMissing && process.env.TESSERA_REQUIRE_SERVICES === '1')
  throw new Error(`TESSERA_REQUIRE_SERVICES=1 but ${redisServerMissing}`)
const missing = redisServerMissing ?? (await servicesMissing())

if (missing) skipLoudly('Redis outage under load', missing)
else {
  describe('Redis going away under load (PostgreSQL + a private Redis)', () => {
    let redis: PrivateRedis
    let db: ReturnType<typeof freshDatabase>
    let t: TestServer
    let accessToken: string
    let cookie: string

    before(async () => {
      redis = await startPrivateRedis()
      db = freshDatabase('redis_outage')
      t = await startTestServer({ database: db.url, redis: redis.url })
      accessToken = (await register(t, 'rita')).access_token
      const login = await t.post('/session/login', { username: 'rita', password: PASSWORD })
      assert.equal(login.status, 200, await login.clone().text())
      cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!
    })
    after(async () => {
      await t?.cleanup()
      await redis?.dispose()
      await db?.drop()
    })

    const me = () => call(`${t.url}/me`, bearer(accessToken))
    const sessionMe = () => call(`${t.url}/session/me`, { cookie })

    test('before the stop: both the token and the session answer 200', async () => {
      assert.equal((await me()).status, 200)
      assert.equal((await sessionMe()).status, 200)
    })

    test('while Redis is stopped under load: tokens 200, sessions 503 temporarily_unavailable, never a hang or a 500', async () => {
      // Load runs across the stop: 4 workers, each alternating the two routes, bounded by count.
      const outcomes: { route: string; outcome: Outcome }[] = []
      let stopping = false
      const worker = async () => {
        for (let i = 0; i < 60 && !stopping; i++) {
          outcomes.push({ route: '/me', outcome: await me() })
          outcomes.push({ route: '/session/me', outcome: await sessionMe() })
        }
      }
      const load = Promise.all([worker(), worker(), worker(), worker()])
      await redis.stop()
      // After the stop, the session route must settle on 503 (ioredis notices the closed socket).
      const during = await until(sessionMe, (o) => o.status === 503, HANG_MS)
      stopping = true
      await load
      assert.equal(during.status, 503, `session route during the outage: ${JSON.stringify(during)}`)
      assert.equal(during.error, 'temporarily_unavailable')
      assert.equal(typeof during.code, 'string')

      const tokenDuring = await me()
      assert.equal(tokenDuring.status, 200, `token route during the outage: ${JSON.stringify(tokenDuring)}`)

      for (const { route, outcome } of outcomes) {
        assert.notEqual(outcome.status, 'hang', `${route} hung for ${HANG_MS} ms`)
        assert.notEqual(outcome.status, 'network', `${route} dropped the connection`)
        assert.ok(
          outcome.status === 200 || outcome.status === 503,
          `${route} answered ${JSON.stringify(outcome)}`,
        )
        if (route === '/me') assert.equal(outcome.status, 200, `/me answered ${JSON.stringify(outcome)}`)
      }
      // Ten more session calls while it is down: each a prompt 503, none a 500.
      for (let i = 0; i < 10; i++) assert.equal((await sessionMe()).status, 503)
    })

    test('Redis back: everything recovers by itself, and the session written before the stop still works', async () => {
      await redis.start()
      const session = await until(sessionMe, (o) => o.status === 200, 15_000)
      assert.equal(session.status, 200, `session after Redis came back: ${JSON.stringify(session)}`)
      assert.equal((await me()).status, 200)
      // New writes work again too: a fresh session login.
      const login = await t.post('/session/login', { username: 'rita', password: PASSWORD })
      assert.equal(login.status, 200)
    })
  })
}
