/**
 * @module PostgreSQL going away under two server processes (A and C, as behind a load balancer), on a
 * private PostgreSQL cluster the test made itself — never the shared one: while it is stopped, refresh and
 * login answer a clear 503 `temporarily_unavailable` (`ERR_STORE_UNAVAILABLE`, `retry-after: 1`) and the
 * JWKS is still served; once it is started again both instances recover without a restart. The shared
 * Redis is only read and written. The test fails in CI when the PostgreSQL binaries are missing or the
 * shared services do not answer (helpers/services.ts).
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { type Instance, loginOn, postJson, startInstance } from '../helpers/instances.js'
import { freshDatabase, REDIS_URL, servicesMissing, skipLoudly } from '../helpers/services.js'
import { INTROSPECTION, TEST_SECRET, type Tokens } from '../helpers/test-server.js'
import { type PrivatePostgres, privatePostgresMissing, startPrivatePostgres } from './private-postgres.js'

const PASSWORD = 'correct horse battery staple'
/** Longer than any answer may take while PostgreSQL is away: a request still open then is a hang. */
const HANG_MS = 10_000

const post = (i: Instance, path: string, body: unknown) =>
  postJson(i, path, body, AbortSignal.timeout(HANG_MS))
const refresh = (i: Instance, token: string) => post(i, '/auth/refresh', { refresh_token: token })

const binariesMissing = privatePostgresMissing()
if (binariesMissing && process.env.TESSERA_REQUIRE_SERVICES === '1')
  throw new Error(`TESSERA_REQUIRE_SERVICES=1 but ${binariesMissing}`)
const missing = binariesMissing ?? (await servicesMissing({ redis: true }))

if (missing) skipLoudly('PostgreSQL outage under two instances', missing)
else {
  describe('PostgreSQL going away under two instances (a private PostgreSQL + the shared Redis)', () => {
    let postgres: PrivatePostgres
    // Names the schema and the shared Redis keys; drop() clears those keys afterwards.
    const db = freshDatabase('pg_outage')
    let a: Instance
    let c: Instance
    let session: Tokens

    const login = (on: Instance) => loginOn(on, 'ada', PASSWORD, AbortSignal.timeout(HANG_MS))

    before(async () => {
      postgres = await startPrivatePostgres()
      const settings = {
        database: `${postgres.url}?schema=${db.schema}`,
        redis: REDIS_URL,
        secret: TEST_SECRET,
        issuer: 'https://auth.tessera.test',
        introspectionClients: [INTROSPECTION],
        logLevel: 'info',
      }
      ;[a, c] = await Promise.all([startInstance('A', settings), startInstance('C', settings)])
      const registered = await post(a, '/auth/register', { username: 'ada', password: PASSWORD })
      assert.equal(registered.status, 201)
      session = await login(c)
    })

    after(async () => {
      try {
        await Promise.all([a, c].map((i) => i?.stop()))
      } finally {
        // Always, also when a test failed: the private cluster goes, then the shared Redis keys.
        await postgres?.destroy()
        await db.drop()
      }
    })

    test('PostgreSQL stopped: clear 503s on A and C, JWKS still served', async () => {
      await postgres.stop()
      for (const i of [a, c]) {
        const response = await refresh(i, session.refresh_token)
        assert.equal(response.status, 503, `refresh on ${i.name}`)
        assert.equal(response.headers.get('retry-after'), '1')
        const body = (await response.json()) as Record<string, string>
        assert.equal(body.error, 'temporarily_unavailable')
        assert.equal(body.code, 'ERR_STORE_UNAVAILABLE')
        assert.match(body.error_description!, /PostgreSQL database is unreachable.*retry shortly/)
        const login503 = await post(i, '/auth/login', { username: 'ada', password: PASSWORD })
        assert.equal(login503.status, 503, `login on ${i.name}`)
        // Signing keys live in memory: resource servers can still fetch the JWKS.
        const jwks = await fetch(`${i.url}/.well-known/jwks.json`, { signal: AbortSignal.timeout(HANG_MS) })
        assert.equal(jwks.status, 200, `JWKS on ${i.name}`)
      }
    })

    test('PostgreSQL started again: A and C recover without a restart within 15 s', async () => {
      await postgres.start()
      const deadline = Date.now() + 15_000
      let token = session.refresh_token
      for (const i of [a, c]) {
        for (;;) {
          const response = await refresh(i, token)
          if (response.status === 200) {
            token = ((await response.json()) as Tokens).refresh_token
            break
          }
          assert.equal(response.status, 503, `refresh on ${i.name}: ${await response.text()}`)
          assert.ok(Date.now() < deadline, `${i.name} did not recover within 15 s`)
          await sleep(200)
        }
      }
      const fresh = await login(a)
      const me = await fetch(`${c.url}/me`, {
        headers: { authorization: `Bearer ${fresh.access_token}` },
        signal: AbortSignal.timeout(HANG_MS),
      })
      assert.equal(me.status, 200)
    })
  })
}
