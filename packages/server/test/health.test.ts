/**
 * @module `GET /healthz` and `GET /readyz`: liveness answers with no store call (it still answers with
 * the store closed under it), readiness names the part that is down — the store, Redis (a private
 * redis-server this test stops and starts, never the shared one), the revocation channel — and is
 * ready again once they are back.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { buildApp, loadConfig, openSqlStore } from '../src/index.js'
import { type PrivateRedis, startPrivateRedis } from './faults/private-redis.js'
import { startTestServer, TEST_SECRET, type TestServer, tempDir } from './helpers/test-server.js'

interface Ready {
  status: string
  down?: string[]
  checks: {
    store: { ok: boolean }
    redis?: { ok: boolean }
    revocations: { ok: boolean; state: string; channel: string; channel_losses: number }
  }
}

async function until<T>(probe: () => Promise<T>, pass: (value: T) => boolean, ms: number): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const value = await probe()
    if (pass(value) || Date.now() > deadline) return value
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

describe('/healthz and /readyz on a running server', () => {
  let t: TestServer
  before(async () => {
    t = await startTestServer()
  })
  after(async () => {
    await t?.cleanup()
  })

  test('/healthz: 200, a tiny JSON body, not cached', async () => {
    const response = await t.get('/healthz')
    assert.equal(response.status, 200)
    assert.equal(response.headers.get('cache-control'), 'no-store')
    assert.deepEqual(await response.json(), { status: 'ok' })
  })

  test('/readyz: 200 with each check, the revocation set in sync', async () => {
    const response = await t.get('/readyz')
    assert.equal(response.status, 200)
    const body = (await response.json()) as Ready
    assert.equal(body.status, 'ready')
    assert.equal(body.down, undefined)
    assert.equal(body.checks.store.ok, true)
    assert.equal(body.checks.revocations.ok, true)
    assert.equal(body.checks.revocations.state, 'in_sync')
  })
})

test('with the store closed under it: /healthz still 200 (no store call), /readyz 503 naming the store', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-health-'))
  const config = loadConfig({
    database: `sqlite:${join(dir, 'h.db')}`,
    secret: TEST_SECRET,
    logLevel: 'silent',
    demoUser: false,
  })
  const store = await openSqlStore(config.database)
  const built = await buildApp(config, { store })
  try {
    await store.close()
    const live = await built.app.inject({ method: 'GET', url: '/healthz' })
    assert.equal(live.statusCode, 200)
    const ready = await built.app.inject({ method: 'GET', url: '/readyz' })
    assert.equal(ready.statusCode, 503)
    const body = ready.json() as Ready
    assert.equal(body.status, 'unavailable')
    assert.deepEqual(body.down, ['store'])
    assert.equal(body.checks.store.ok, false)
  } finally {
    await built.close()
    rmSync(dir, { recursive: true, force: true })
  }
})

const redisServerMissing =
  spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0
    ? undefined
    : 'redis-server is not installed (apt-get install redis-server)'
if (redisServerMissing && process.env.TESSERA_REQUIRE_SERVICES === '1')
  throw new Error(`TESSERA_REQUIRE_SERVICES=1 but ${redisServerMissing}`)

describe('/readyz with a private Redis that stops and starts (SQLite + --redis)', {
  skip: redisServerMissing,
}, () => {
  let redis: PrivateRedis
  let t: TestServer
  const ready = async () => {
    const response = await t.get('/readyz')
    return { status: response.status, body: (await response.json()) as Ready }
  }
  before(async () => {
    redis = await startPrivateRedis()
    // SQLite so the shared PostgreSQL is not needed; Redis is then the only revocation channel.
    const dir = tempDir()
    t = await startTestServer({ database: `sqlite:${join(dir, 'r.db')}`, redis: redis.url }, { dir })
  })
  after(async () => {
    await t?.cleanup()
    await redis?.dispose()
  })

  test('up: 200, Redis checked', async () => {
    const { status, body } = await ready()
    assert.equal(status, 200, JSON.stringify(body))
    assert.equal(body.checks.redis?.ok, true)
    assert.equal(body.checks.revocations.channel, 'redis')
  })

  test('stopped: 503 naming redis and the revocation channel, and a log line says so', async () => {
    await redis.stop()
    const { status, body } = await until(
      ready,
      (r) => r.status === 503 && (r.body.down?.length ?? 0) >= 2,
      10_000,
    )
    assert.equal(status, 503, JSON.stringify(body))
    assert.deepEqual(body.down, ['redis', 'revocations'])
    assert.equal(body.checks.redis?.ok, false)
    assert.equal(body.checks.revocations.state, 'down')
    assert.ok(body.checks.revocations.channel_losses >= 1)
    assert.ok(t.logs.some((line) => line.includes('revocation channel lost')))
  })

  test('started again: ready again by itself', async () => {
    await redis.start()
    const { status, body } = await until(ready, (r) => r.status === 200, 15_000)
    assert.equal(status, 200, JSON.stringify(body))
    assert.equal(body.checks.revocations.state, 'in_sync')
    assert.ok(t.logs.some((line) => line.includes('revocation channel in sync again')))
  })
})
