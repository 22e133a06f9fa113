/**
 * @module The revocation channel lost: the issuer fails closed (`/me` answers 503
 * ERR_REVOCATIONS_UNAVAILABLE, counted in `/readyz`) until the channel is back and the set reloaded from
 * the store, which then refuses a session ended meanwhile by a writer whose notice never arrived (the
 * test revokes it on a store of its own, which publishes nothing). Redis: a private redis-server stopped
 * and started. PostgreSQL: this server's LISTEN backend terminated (pg_terminate_backend) until the test
 * lets it reconnect — the shared services are never stopped.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import pg from 'pg'
import { openSqlStore, type SqlStore } from '../../src/index.js'
import { type PrivateRedis, startPrivateRedis } from '../faults/private-redis.js'
import { freshDatabase, PG_BASE, servicesMissing, skipLoudly } from '../helpers/services.js'
import { bearer, register, startTestServer, type TestServer, tempDir } from '../helpers/test-server.js'

interface Answer {
  status: number
  code?: string
  retryAfter?: string | null
}

async function me(t: TestServer, token: string): Promise<Answer> {
  const response = await t.get('/me', bearer(token))
  const body = (await response.json()) as { code?: string }
  return {
    status: response.status,
    ...(body.code ? { code: body.code } : {}),
    retryAfter: response.headers.get('retry-after'),
  }
}

async function until<T>(probe: () => Promise<T>, pass: (value: T) => boolean, ms: number): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const value = await probe()
    if (pass(value) || Date.now() > deadline) return value
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

const sidOf = (jwt: string) =>
  (JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as { sid: string }).sid

async function refusedWhileDown(t: TestServer): Promise<number> {
  const body = (await (await t.get('/readyz')).json()) as {
    checks: { revocations: { refused_while_down: number } }
  }
  return body.checks.revocations.refused_while_down
}

const redisServerMissing =
  spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0
    ? undefined
    : 'redis-server is not installed (apt-get install redis-server)'
if (redisServerMissing && process.env.TESSERA_REQUIRE_SERVICES === '1')
  throw new Error(`TESSERA_REQUIRE_SERVICES=1 but ${redisServerMissing}`)

describe('Redis pub/sub lost (SQLite + a private Redis)', { skip: redisServerMissing }, () => {
  let redis: PrivateRedis
  let t: TestServer
  let other: SqlStore
  before(async () => {
    redis = await startPrivateRedis()
    const dir = tempDir()
    const database = `sqlite:${join(dir, 'o.db')}`
    t = await startTestServer({ database, redis: redis.url }, { dir })
    other = await openSqlStore(database)
  })
  after(async () => {
    await other?.close()
    await t?.cleanup()
    await redis?.dispose()
  })

  test('down: 503 with Retry-After, counted; back: reloaded, and a session ended meanwhile is refused', async () => {
    const ended = await register(t, 'rosa')
    const live = (await t
      .post('/auth/login', { username: 'rosa', password: 'correct horse battery staple' })
      .then((r) => r.json())) as { access_token: string }
    assert.equal((await me(t, ended.access_token)).status, 200)

    await redis.stop()
    const during = await until(
      () => me(t, ended.access_token),
      (a) => a.status === 503,
      10_000,
    )
    assert.deepEqual(during, { status: 503, code: 'ERR_REVOCATIONS_UNAVAILABLE', retryAfter: '1' })
    assert.ok((await refusedWhileDown(t)) >= 1)
    // Another writer ends the session; its notice is lost with the channel.
    assert.equal(await other.refresh.revokeFamily(sidOf(ended.access_token), 'logout', Date.now()), true)

    await redis.start()
    const back = await until(
      () => me(t, ended.access_token),
      (a) => a.status !== 503,
      15_000,
    )
    assert.equal(back.status, 401, JSON.stringify(back))
    assert.equal(back.code, 'ERR_ACCESS_TOKEN_INVALID')
    assert.equal((await me(t, live.access_token)).status, 200)
  })
})

const missing = await servicesMissing()
if (missing) skipLoudly('revocation channel on PostgreSQL: LISTEN backend terminated', missing)
else {
  describe('PostgreSQL LISTEN lost (its backend terminated)', () => {
    const db = freshDatabase('revlisten')
    let t: TestServer
    let other: SqlStore
    let admin: pg.Client
    before(async () => {
      t = await startTestServer({ database: db.url })
      other = await openSqlStore(db.url)
      admin = new pg.Client({ connectionString: PG_BASE })
      admin.on('error', () => {})
      await admin.connect()
    })
    after(async () => {
      await admin?.end().catch(() => {})
      await other?.close()
      await t?.cleanup()
      await db.drop()
    })

    test('terminated: 503 while it is kept away; let back: reloaded, and a session ended meanwhile is refused', async () => {
      const ended = await register(t, 'lena')
      assert.equal((await me(t, ended.access_token)).status, 200)
      assert.equal((await t.get('/readyz')).status, 200)

      // This server's listener only (named after its schema): other test files' listeners are untouched.
      const name = `tessera-revocations ${db.schema}`
      let killing = true
      let killed = 0
      const killer = (async () => {
        while (killing) {
          const result = await admin.query(
            'SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = $1',
            [name],
          )
          killed += result.rows.filter((row) => row.ok).length
          await new Promise((resolve) => setTimeout(resolve, 20))
        }
      })()
      try {
        const during = await until(
          () => me(t, ended.access_token),
          (a) => a.status === 503,
          10_000,
        )
        assert.deepEqual(during, { status: 503, code: 'ERR_REVOCATIONS_UNAVAILABLE', retryAfter: '1' })
        const ready = await t.get('/readyz')
        assert.equal(ready.status, 503)
        assert.deepEqual(((await ready.json()) as { down: string[] }).down, ['revocations'])
        assert.equal(await other.refresh.revokeFamily(sidOf(ended.access_token), 'logout', Date.now()), true)
      } finally {
        killing = false
        await killer
      }
      assert.ok(killed >= 1)
      const back = await until(
        () => me(t, ended.access_token),
        (a) => a.status !== 503,
        15_000,
      )
      assert.equal(back.status, 401, JSON.stringify(back))
      assert.ok((await refusedWhileDown(t)) >= 1)
      assert.equal((await t.get('/readyz')).status, 200)
    })
  })
}
