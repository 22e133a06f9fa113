/**
 * @module One proof sent to several instances at the same moment is accepted exactly once: on one SQLite
 * file and on PostgreSQL (the SQL `replay_ids` table, one upsert), and on PostgreSQL + Redis (one Redis
 * Lua step), where the entry's recorded expiry is checked to be exactly `iat` + `--dpop-proof-max-age` +
 * `--clock-skew`. The PostgreSQL parts skip loudly without the services (fail
 * with TESSERA_REQUIRE_SERVICES=1).
 */
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { Redis } from 'ioredis'
import { freshDatabase, REDIS_URL, servicesMissing, skipLoudly } from '../helpers/services.js'
import { register, startTestServer, type TestServer, tempDir } from '../helpers/test-server.js'
import { claimsOf, newKey, PASSWORD, proof, read, thumbprint } from './dpop-fixtures.js'

const ISSUER = 'https://auth.example.test'
const PROOFS = 20

/** Sends each of `PROOFS` proofs to every server at once; answers how many logins each proof got. */
async function race(servers: TestServer[], username: string): Promise<number[]> {
  const key = newKey()
  const proofs = Array.from({ length: PROOFS }, () => proof(key, 'POST', `${ISSUER}/auth/login`))
  const answers = await Promise.all(
    proofs.flatMap((dpop) =>
      servers.map(async (server) =>
        read(await server.post('/auth/login', { username, password: PASSWORD }, { dpop })),
      ),
    ),
  )
  for (const answer of answers)
    if (answer.status !== 200) {
      assert.equal(answer.status, 400, JSON.stringify(answer.body))
      assert.match(String(answer.body.error_description), /already used/)
    }
  return proofs.map(
    (_, i) =>
      answers.slice(i * servers.length, (i + 1) * servers.length).filter((a) => a.status === 200).length,
  )
}

// Asked before any server starts: under load, a check racing the SQLite instances' start can time out.
const noPostgres = await servicesMissing()
const missing = noPostgres ?? (await servicesMissing({ redis: true }))

describe('two instances on one SQLite file', () => {
  const dir = tempDir()
  let servers: TestServer[] = []
  before(async () => {
    const first = await startTestServer({ issuer: ISSUER }, { dir })
    servers = [first, await startTestServer({ issuer: ISSUER }, { dir })]
    await register(first, 'racer', PASSWORD)
  })
  after(async () => {
    await servers[1]?.stop()
    await servers[0]?.cleanup()
  })

  test('each proof sent to both at once is accepted exactly once', async () => {
    assert.deepEqual(await race(servers, 'racer'), Array(PROOFS).fill(1))
  })
})

if (noPostgres) {
  skipLoudly('DPoP replay across instances on PostgreSQL', noPostgres)
} else {
  describe('two instances on PostgreSQL, no Redis', () => {
    const db = freshDatabase('dpop_replay_sql')
    let servers: TestServer[] = []
    before(async () => {
      const first = await startTestServer({ issuer: ISSUER, database: db.url })
      servers = [first, await startTestServer({ issuer: ISSUER, database: db.url })]
      await register(first, 'racer', PASSWORD)
    })
    after(async () => {
      for (const s of servers) await s.cleanup()
      await db.drop()
    })

    test('each proof sent to both at once is accepted exactly once', async () => {
      assert.deepEqual(await race(servers, 'racer'), Array(PROOFS).fill(1))
    })
  })
}

if (missing) {
  skipLoudly('DPoP replay across instances on PostgreSQL + Redis', missing)
} else {
  describe('three instances on PostgreSQL + Redis', () => {
    const db = freshDatabase('dpop_replay')
    let servers: TestServer[] = []
    const redis = new Redis(REDIS_URL)
    before(async () => {
      const settings = { issuer: ISSUER, database: db.url, redis: REDIS_URL }
      const first = await startTestServer(settings)
      servers = [first, ...(await Promise.all([1, 2].map(() => startTestServer(settings))))]
      await register(first, 'racer', PASSWORD)
    })
    after(async () => {
      for (const s of servers) await s.cleanup()
      await db.drop()
      redis.disconnect()
    })

    test('each proof sent to all three at once is accepted exactly once', async () => {
      assert.deepEqual(await race(servers, 'racer'), Array(PROOFS).fill(1))
    })

    test('the replay entry in Redis records exactly iat + max age + skew, and Redis drops it then', async () => {
      const key = newKey()
      const dpop = proof(key, 'POST', `${ISSUER}/auth/login`)
      const answer = await read(
        await servers[0]!.post('/auth/login', { username: 'racer', password: PASSWORD }, { dpop }),
      )
      assert.equal(answer.status, 200, JSON.stringify(answer.body))
      const { jti, iat } = claimsOf(dpop) as { jti: string; iat: number }
      const id = createHash('sha256')
        .update(`${await thumbprint(key)}.${jti}`)
        .digest('base64url')
      const entry = `tessera:${db.schema}:replay:dpop:${id}`
      const { dpopProofMaxAge, clockSkew } = servers[0]!.config
      const expiresAt = (iat + dpopProofMaxAge + clockSkew) * 1000
      assert.equal(Number(await redis.get(entry)), expiresAt)
      // The TTL is computed from the server's clock at the request: within the test's run of that instant.
      const dropsAt = await redis.pexpiretime(entry)
      assert.ok(Math.abs(dropsAt - expiresAt) < 5000, `Redis drops it at ${dropsAt}, not ${expiresAt}`)
    })
  })
}
