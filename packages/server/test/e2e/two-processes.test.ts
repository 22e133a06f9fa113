/**
 * @module Two server processes on one SQLite file race to rotate the same refresh tokens: for every
 * token exactly one successor exists afterwards, and both processes hand out that same successor (the
 * grace window makes the loser's answer idempotent instead of a false theft alarm). Then: a restart keeps
 * users, keys and refresh families.
 */
import assert from 'node:assert/strict'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import Database from 'better-sqlite3'
import { type ChildServer, spawnServer } from '../helpers/spawn-server.js'
import { TEST_SECRET, tempDir } from '../helpers/test-server.js'

const dir = tempDir()
const database = `sqlite:${join(dir, 'shared.db')}`
let a: ChildServer
let b: ChildServer

const post = (url: string, path: string, body: unknown) =>
  fetch(url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })

before(async () => {
  // Started together: both migrate the same fresh file at once (the migration takes the write lock).
  ;[a, b] = await Promise.all([
    spawnServer({ database, secret: TEST_SECRET }),
    spawnServer({ database, secret: TEST_SECRET }),
  ])
})
after(async () => {
  await Promise.all([a?.stop(), b?.stop()])
  rmSync(dir, { recursive: true, force: true })
})

test('both processes serve the same JWKS from the shared store', async () => {
  const [ja, jb] = await Promise.all(
    [a, b].map(async (s) => (await fetch(`${s.url}/.well-known/jwks.json`)).json()),
  )
  assert.deepEqual(ja, jb)
})

test('racing refreshes of one token on two processes leave exactly one successor, handed out by both', async () => {
  const password = 'correct horse battery staple'
  assert.equal((await post(a.url, '/auth/register', { username: 'racer', password })).status, 201)
  const rounds = 25
  const logins = await Promise.all(
    Array.from({ length: rounds }, async (_, i) => {
      const r = await post(i % 2 ? a.url : b.url, '/auth/login', { username: 'racer', password })
      return ((await r.json()) as { refresh_token: string }).refresh_token
    }),
  )
  for (const token of logins) {
    const answers = await Promise.all(
      [a.url, b.url, a.url, b.url].map((url) => post(url, '/auth/refresh', { refresh_token: token })),
    )
    const bodies = (await Promise.all(answers.map((r) => r.json()))) as { refresh_token: string }[]
    assert.deepEqual(
      answers.map((r) => r.status),
      [200, 200, 200, 200],
    )
    assert.equal(new Set(bodies.map((body) => body.refresh_token)).size, 1)
  }
  const db = new Database(join(dir, 'shared.db'), { readonly: true })
  try {
    const perFamily = db
      .prepare(
        `SELECT family_id, SUM(state = 'active') AS active, SUM(generation = 1) AS successors, COUNT(*) AS total
         FROM refresh_tokens GROUP BY family_id`,
      )
      .all() as { active: number; successors: number; total: number }[]
    assert.equal(perFamily.length, rounds + 1)
    const raced = perFamily.filter((f) => f.total > 1)
    assert.equal(raced.length, rounds)
    for (const family of raced)
      assert.deepEqual(
        { ...family, family_id: undefined },
        { family_id: undefined, active: 1, successors: 1, total: 2 },
      )
  } finally {
    db.close()
  }
})

test('a restart keeps users, signing keys and refresh families', async () => {
  const password = 'correct horse battery staple'
  const r = await post(a.url, '/auth/login', { username: 'racer', password })
  const tokens = (await r.json()) as { refresh_token: string; access_token: string }
  const jwksBefore = await (await fetch(`${a.url}/.well-known/jwks.json`)).json()
  // SIGTERM closes gracefully: exit code 0.
  assert.deepEqual(await Promise.all([a.stop(), b.stop()]), [0, 0])

  a = await spawnServer({ database, secret: TEST_SECRET })
  b = await spawnServer({ database, secret: TEST_SECRET })
  assert.deepEqual(await (await fetch(`${a.url}/.well-known/jwks.json`)).json(), jwksBefore)
  // The user can log in, and the refresh family made before the restart still rotates.
  assert.equal((await post(a.url, '/auth/login', { username: 'racer', password })).status, 200)
  const refreshed = await post(b.url, '/auth/refresh', { refresh_token: tokens.refresh_token })
  assert.equal(refreshed.status, 200)
  const next = (await refreshed.json()) as { access_token: string }
  const me = await fetch(`${b.url}/me`, { headers: { authorization: `Bearer ${next.access_token}` } })
  assert.equal(me.status, 200)
})

test('a restart under another TESSERA_SECRET refuses to start: the stored keys do not decrypt', async () => {
  await assert.rejects(
    spawnServer({ database, secret: 'another-secret-0123456789-abcdefghijkl' }),
    /ERR_KEYS_UNAVAILABLE|does not decrypt/,
  )
})
