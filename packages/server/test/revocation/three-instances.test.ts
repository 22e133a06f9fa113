/**
 * @module Three server processes on one PostgreSQL schema and one Redis: a logout on A is refused by B
 * and C, which had already verified (and cached) the token, within a bounded delay; reuse detection on
 * B likewise on A and C. The delay from A's answer to the first refusal on each other instance is
 * measured over 20 logouts and printed (median, max); the test asserts correctness and only a generous
 * bound (5 s) — the timing target lives in the benchmark.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { type Instance, startInstance } from '../helpers/instances.js'
import { dropSchema, freshDatabase, REDIS_URL, servicesMissing, skipLoudly } from '../helpers/services.js'
import { INTROSPECTION, TEST_SECRET } from '../helpers/test-server.js'

interface Tokens {
  access_token: string
  refresh_token: string
}

const PASSWORD = 'correct horse battery staple'
const ROUNDS = 20
const BOUND_MS = 5000

const post = (i: Instance, path: string, body: unknown) =>
  fetch(i.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
const meStatus = async (i: Instance, access: string) =>
  (await fetch(`${i.url}/me`, { headers: { authorization: `Bearer ${access}` } })).status

let probes = 0

/** Milliseconds from `t0` until `i` refuses `access` (401); fails past the bound. */
async function refusalDelay(i: Instance, access: string, t0: number): Promise<number> {
  for (;;) {
    probes++
    const status = await meStatus(i, access)
    const elapsed = performance.now() - t0
    if (status === 401) return elapsed
    assert.equal(status, 200, `${i.name} answered ${status}`)
    assert.ok(
      elapsed < BOUND_MS,
      `${i.name} still accepted the token ${elapsed.toFixed(0)} ms after the logout`,
    )
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((x, y) => x - y)
  const mid = sorted.length / 2
  return sorted.length % 2 ? sorted[Math.floor(mid)]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

const missing = await servicesMissing({ redis: true })
if (missing) skipLoudly('revocation across three instances on PostgreSQL + Redis', missing)
else {
  describe('revocation pushed to three instances (PostgreSQL + Redis)', () => {
    const db = freshDatabase('rev3')
    let a: Instance
    let b: Instance
    let c: Instance
    const login = async (on: Instance): Promise<Tokens> => {
      const response = await post(on, '/auth/login', { username: 'ada', password: PASSWORD })
      assert.equal(response.status, 200)
      return (await response.json()) as Tokens
    }

    before(async () => {
      const settings = {
        database: db.url,
        redis: REDIS_URL,
        secret: TEST_SECRET,
        issuer: 'https://auth.tessera.test',
        introspectionClients: [INTROSPECTION],
        logLevel: 'info',
      }
      // One after another: each start has 20 s, which a loaded machine can need for three at once.
      a = await startInstance('A', settings)
      b = await startInstance('B', settings)
      c = await startInstance('C', settings)
      assert.equal((await post(a, '/auth/register', { username: 'ada', password: PASSWORD })).status, 201)
    })
    after(async () => {
      await Promise.all([a, b, c].map((i) => i?.stop()))
      await dropSchema(db.schema)
    })

    test(`logout on A is refused by B and C: ${ROUNDS} logouts, delay measured`, async (t) => {
      const delays: number[] = []
      probes = 0
      for (let round = 0; round < ROUNDS; round++) {
        const tokens = await login(a)
        // B and C verify first, so the token sits in their verifier caches when the logout lands.
        for (const i of [b, c]) assert.equal(await meStatus(i, tokens.access_token), 200)
        assert.equal((await post(a, '/auth/logout', { refresh_token: tokens.refresh_token })).status, 204)
        assert.equal(await meStatus(a, tokens.access_token), 401)
        delays.push(
          ...(await Promise.all([b, c].map((i) => refusalDelay(i, tokens.access_token, performance.now())))),
        )
      }
      // A probe is one /me round trip; a refusal on the first probe means the notice beat the request.
      t.diagnostic(
        `logout on A → refused on B and C: median ${median(delays).toFixed(1)} ms, max ${Math.max(...delays).toFixed(1)} ms over ${delays.length} refusals (${ROUNDS} logouts, ${probes} probes)`,
      )
      assert.ok(Math.max(...delays) < BOUND_MS)
    })

    test('reuse detected on B: A and C refuse every token of the family', async () => {
      const first = await login(a)
      const r1 = await post(c, '/auth/refresh', { refresh_token: first.refresh_token })
      const second = (await r1.json()) as Tokens
      const r2 = await post(a, '/auth/refresh', { refresh_token: second.refresh_token })
      const third = (await r2.json()) as Tokens
      for (const i of [a, c]) assert.equal(await meStatus(i, third.access_token), 200)
      const reuse = await post(b, '/auth/refresh', { refresh_token: first.refresh_token })
      assert.equal(((await reuse.json()) as { code: string }).code, 'ERR_REFRESH_TOKEN_REUSED')
      const t0 = performance.now()
      for (const i of [a, c]) {
        await refusalDelay(i, third.access_token, t0)
        for (const token of [first, second, third]) assert.equal(await meStatus(i, token.access_token), 401)
      }
    })
  })
}
