/**
 * @module Three server processes on loopback sharing one PostgreSQL schema and one Redis, as behind a
 * load balancer: any instance verifies, refreshes and revokes what another issued; racing refreshes
 * leave one successor chain; a key rotated on one instance is used by all within a second; killing an
 * instance mid-storm corrupts no family. (Registered by on-postgres.test.ts. The PostgreSQL outage is
 * faults/postgres-outage.test.ts, on a private cluster.)
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import pg from 'pg'
import { type Instance, startInstance } from '../helpers/instances.js'
import { dropSchema, freshDatabase, REDIS_URL } from '../helpers/services.js'
import { INTROSPECTION, TEST_SECRET } from '../helpers/test-server.js'

interface Tokens {
  access_token: string
  refresh_token: string
}

const PASSWORD = 'correct horse battery staple'
const ISSUER = 'https://auth.tessera.test'

const post = (i: Instance, path: string, body: unknown) =>
  fetch(i.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
const me = (i: Instance, access: string) =>
  fetch(`${i.url}/me`, { headers: { authorization: `Bearer ${access}` } })
const refresh = (i: Instance, token: string) => post(i, '/auth/refresh', { refresh_token: token })
const introspect = async (i: Instance, token: string) => {
  const response = await fetch(`${i.url}/oauth/introspect`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${INTROSPECTION.id}:${INTROSPECTION.secret}`).toString('base64')}`,
    },
    body: new URLSearchParams({ token }),
  })
  return ((await response.json()) as { active: boolean }).active
}
const kidOf = (jwt: string) =>
  (JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString()) as { kid: string }).kid

export function multiInstanceSuite(): void {
  describe('three instances sharing PostgreSQL and Redis', () => {
    const db = freshDatabase('multi')
    let sql: pg.Pool
    let a: Instance
    let b: Instance
    let c: Instance

    /** Every token row of a family, oldest first, read straight from the shared database. */
    const familyRows = async (familyId: string) =>
      (
        await sql.query(
          `SELECT hash, generation, state, successor_hash FROM ${db.schema}.refresh_tokens
           WHERE family_id = $1 ORDER BY generation`,
          [familyId],
        )
      ).rows as { hash: string; generation: number; state: string; successor_hash: string | null }[]
    const sidOf = (access: string) =>
      (JSON.parse(Buffer.from(access.split('.')[1]!, 'base64url').toString()) as { sid: string }).sid

    before(async () => {
      const settings = {
        database: db.url,
        redis: REDIS_URL,
        secret: TEST_SECRET,
        issuer: ISSUER,
        introspectionClients: [INTROSPECTION],
        logLevel: 'info',
      }
      // Started together: they race to create the schema and migrate it (the advisory lock decides).
      ;[a, b, c] = await Promise.all([
        startInstance('A', settings),
        startInstance('B', settings),
        startInstance('C', settings),
      ])
      sql = new pg.Pool({ connectionString: db.url.replace(/\?.*$/, ''), max: 2 })
      sql.on('error', () => {})
      const response = await post(a, '/auth/register', { username: 'ada', password: PASSWORD })
      assert.equal(response.status, 201)
    })

    after(async () => {
      await Promise.all([a, b, c].map((i) => i?.stop()))
      await sql?.end()
      await dropSchema(db.schema)
    })

    const login = async (on: Instance): Promise<Tokens> => {
      const response = await post(on, '/auth/login', { username: 'ada', password: PASSWORD })
      assert.equal(response.status, 200)
      return (await response.json()) as Tokens
    }

    test('started together on an empty schema, all three publish the same JWKS', async () => {
      // Each may have made a first key; the key notices make every ring load all of them, so the three
      // agree on the set and on which key signs.
      const sets = await Promise.all(
        [a, b, c].map(async (i) => (await fetch(`${i.url}/.well-known/jwks.json`)).json()),
      )
      assert.deepEqual(sets[1], sets[0])
      assert.deepEqual(sets[2], sets[0])
    })

    test('log in on A, /me on B, refresh on C; reusing an old token on A revokes the family on every instance', async () => {
      const first = await login(a)
      assert.equal((await me(b, first.access_token)).status, 200)
      const r1 = await refresh(c, first.refresh_token)
      assert.equal(r1.status, 200)
      const second = (await r1.json()) as Tokens
      const r2 = await refresh(b, second.refresh_token)
      assert.equal(r2.status, 200)
      const third = (await r2.json()) as Tokens

      // The first token's successor is no longer the live one, so even inside the grace window this is theft.
      const reuse = await refresh(a, first.refresh_token)
      assert.equal(reuse.status, 400)
      assert.equal(((await reuse.json()) as { code: string }).code, 'ERR_REFRESH_TOKEN_REUSED')

      for (const i of [a, b, c]) {
        const again = await refresh(i, third.refresh_token)
        assert.equal(again.status, 400, `refresh on ${i.name}`)
        assert.equal(((await again.json()) as { code: string }).code, 'ERR_REFRESH_TOKEN_INVALID')
        for (const access of [first.access_token, second.access_token, third.access_token]) {
          assert.equal((await me(i, access)).status, 401, `/me on ${i.name}`)
          assert.equal(await introspect(i, access), false, `introspection on ${i.name}`)
        }
      }
    })

    test('session mode: a cookie session made on A is seen on B and ended on C, for all three', async () => {
      // Fetch Metadata as a browser sends it for a same-origin request (the CSRF check wants it).
      const sameSite = { 'content-type': 'application/json', 'sec-fetch-site': 'same-origin' }
      const created = await fetch(`${a.url}/session/login`, {
        method: 'POST',
        headers: sameSite,
        body: JSON.stringify({ username: 'ada', password: PASSWORD }),
      })
      assert.equal(created.status, 200)
      const cookie = created.headers.get('set-cookie')!.split(';')[0]!
      assert.equal((await fetch(`${b.url}/session/me`, { headers: { cookie } })).status, 200)
      const ended = await fetch(`${c.url}/session/logout`, {
        method: 'POST',
        headers: { ...sameSite, cookie },
        body: '{}',
      })
      assert.ok(ended.status === 200 || ended.status === 204, `logout on C answered ${ended.status}`)
      for (const i of [a, b, c]) {
        assert.equal(
          (await fetch(`${i.url}/session/me`, { headers: { cookie } })).status,
          401,
          `/session/me on ${i.name}`,
        )
      }
    })

    test('100 concurrent refreshes of one token over three instances: one successor, handed to all 100', async () => {
      const tokens = await login(b)
      const instances = [a, b, c]
      const responses = await Promise.all(
        Array.from({ length: 100 }, (_, n) => refresh(instances[n % 3]!, tokens.refresh_token)),
      )
      const bodies = (await Promise.all(responses.map((r) => r.json()))) as Tokens[]
      assert.deepEqual(
        responses.map((r) => r.status),
        Array(100).fill(200),
      )
      const successors = new Set(bodies.map((body) => body.refresh_token))
      assert.equal(successors.size, 1, 'every grace replay returns the same successor')
      const rows = await familyRows(sidOf(tokens.access_token))
      assert.deepEqual(
        rows.map((r) => [r.generation, r.state]),
        [
          [0, 'rotated'],
          [1, 'active'],
        ],
      )
      assert.equal(rows[0]!.successor_hash, rows[1]!.hash)
      // And the chain goes on from any instance.
      assert.equal((await refresh(c, [...successors][0]!)).status, 200)
    })

    test('a key rotated on B signs on A and C within a second, and all three publish it', async () => {
      const session = await login(a)
      let token = session.refresh_token
      const oldKid = kidOf(session.access_token)
      const newKid = await b.rotate()
      assert.notEqual(newKid, oldKid)
      const rotatedAt = Date.now()
      for (const i of [a, c]) {
        for (;;) {
          const response = await refresh(i, token)
          assert.equal(response.status, 200)
          const body = (await response.json()) as Tokens
          token = body.refresh_token
          if (kidOf(body.access_token) === newKid) break
          assert.ok(Date.now() - rotatedAt < 1000, `${i.name} still signs with the old key after 1 s`)
          await sleep(25)
        }
      }
      const jwks = await Promise.all(
        [a, b, c].map(
          async (i) =>
            (await (await fetch(`${i.url}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] },
        ),
      )
      for (const set of jwks) {
        assert.deepEqual(set, jwks[0])
        assert.ok(set.keys.some((k) => k.kid === newKid))
        assert.ok(
          set.keys.some((k) => k.kid === oldKid),
          'the retired key stays published',
        )
      }
    })

    test('SIGKILL of B in a refresh storm: every family keeps exactly one live token; A and C never fail', async () => {
      const sessions = await Promise.all(Array.from({ length: 8 }, (_, n) => login([a, c][n % 2]!)))
      const failuresOnSurvivors: string[] = []
      let stop = false
      let killed = false
      const chains = sessions.map(async (session, n) => {
        let token = session.refresh_token
        let rounds = 0
        let rotationsAfterKill = 0
        // Until the storm ends and, however slow the machine, each chain went on past the kill.
        while (!stop || rotationsAfterKill < 3) {
          const target = [a, b, c][(n + rounds++) % 3]!
          if (target === b && killed) continue
          let response: Response
          try {
            response = await refresh(target, token)
          } catch (error) {
            // B died with this request in flight: it may or may not have rotated. Present the same
            // token to a survivor — a committed rotation comes back as its grace replay.
            if (target !== b) failuresOnSurvivors.push(`${target.name}: ${(error as Error).message}`)
            continue
          }
          if (response.status !== 200) {
            failuresOnSurvivors.push(`${target.name} answered ${response.status}: ${await response.text()}`)
            return
          }
          token = ((await response.json()) as Tokens).refresh_token
          if (killed) rotationsAfterKill++
        }
        return token
      })
      await sleep(400)
      b.kill()
      killed = true
      await sleep(600)
      stop = true
      const finalTokens = await Promise.all(chains)
      assert.deepEqual(failuresOnSurvivors, [])

      for (const [n, session] of sessions.entries()) {
        const rows = await familyRows(sidOf(session.access_token))
        assert.equal(rows.filter((r) => r.state === 'active').length, 1, `family ${n}: one live token`)
        assert.ok(rows.length > 3, `family ${n} rotated during the storm`)
        // A single chain: each rotated token's successor is the next generation.
        for (let g = 0; g < rows.length - 1; g++) assert.equal(rows[g]!.successor_hash, rows[g + 1]!.hash)
        assert.equal((await refresh([a, c][n % 2]!, finalTokens[n]!)).status, 200)
      }
    })
  })
}
