/**
 * @module Concurrent refreshes inside and outside the grace window, and the refresh lifetimes, against a
 * real server whose clock the test moves (no sleeping).
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { manualClock } from '../../src/index.js'
import {
  bearer,
  login,
  register,
  startTestServer,
  type TestServer,
  type Tokens,
} from '../helpers/test-server.js'

const clock = manualClock(Date.now())
let t: TestServer
before(async () => {
  t = await startTestServer({ refreshGrace: 15, refreshIdleTtl: 3600, refreshTtl: 7200 }, { clock })
  await register(t, 'dora')
})
after(async () => {
  await t.cleanup()
})

const refresh = async (token: string, clientId?: string) => {
  const response = await t.post('/auth/refresh', {
    refresh_token: token,
    ...(clientId ? { client_id: clientId } : {}),
  })
  return { status: response.status, body: (await response.json()) as Tokens & { code?: string } }
}

test('ten concurrent refreshes of one token inside the grace window all get the same successor', async () => {
  const tokens = await login(t, 'dora')
  const results = await Promise.all(Array.from({ length: 10 }, () => refresh(tokens.refresh_token)))
  assert.deepEqual(
    results.map((r) => r.status),
    Array(10).fill(200),
  )
  const successors = new Set(results.map((r) => r.body.refresh_token))
  assert.equal(successors.size, 1)
  const [successor] = successors
  // The successor is live and the family is intact.
  assert.equal((await t.introspect(successor!)).active, true)
  const next = await refresh(successor!)
  assert.equal(next.status, 200)
})

test('a replay of the previous token 10 s later (double click, second tab) gets the same successor, no alarm', async () => {
  const tokens = await login(t, 'dora')
  const first = await refresh(tokens.refresh_token)
  clock.advance(10_000)
  const replay = await refresh(tokens.refresh_token)
  assert.equal(replay.status, 200)
  assert.equal(replay.body.refresh_token, first.body.refresh_token)
  assert.equal((await t.get('/me', bearer(replay.body.access_token))).status, 200)
})

test('the same replay from another client_id inside the window is theft: the family is revoked', async () => {
  const tokens = await login(t, 'dora')
  const first = await refresh(tokens.refresh_token)
  const replay = await refresh(tokens.refresh_token, 'tessera-cli')
  assert.equal(replay.status, 400)
  assert.equal(replay.body.code, 'ERR_REFRESH_TOKEN_REUSED')
  assert.equal((await t.introspect(first.body.refresh_token)).active, false)
})

test('a replay of the previous token after the grace window revokes the family', async () => {
  const tokens = await login(t, 'dora')
  const first = await refresh(tokens.refresh_token)
  clock.advance(16_000)
  const replay = await refresh(tokens.refresh_token)
  assert.equal(replay.status, 400)
  assert.equal(replay.body.code, 'ERR_REFRESH_TOKEN_REUSED')
  const after = await refresh(first.body.refresh_token)
  assert.equal(after.status, 400)
  assert.equal(after.body.code, 'ERR_REFRESH_TOKEN_INVALID')
  assert.equal((await t.get('/me', bearer(first.body.access_token))).status, 401)
})

test('concurrent refreshes outside the grace window: the first rotation wins, the late replay revokes', async () => {
  const tokens = await login(t, 'dora')
  const [a, b] = await Promise.all([refresh(tokens.refresh_token), refresh(tokens.refresh_token)])
  assert.equal(a.body.refresh_token, b.body.refresh_token)
  clock.advance(60_000)
  const results = await Promise.all([refresh(tokens.refresh_token), refresh(tokens.refresh_token)])
  for (const r of results) assert.equal(r.status, 400)
  assert.ok(results.some((r) => r.body.code === 'ERR_REFRESH_TOKEN_REUSED'))
  assert.equal((await t.introspect(a.body.refresh_token)).active, false)
})

test('a refresh token idle longer than --refresh-idle-ttl is refused (and is not called theft)', async () => {
  const tokens = await login(t, 'dora')
  clock.advance(3600_000 + 1)
  const r = await refresh(tokens.refresh_token)
  assert.equal(r.status, 400)
  assert.equal(r.body.code, 'ERR_REFRESH_TOKEN_INVALID')
})

test('rotation never extends the absolute lifetime fixed at login', async () => {
  let tokens = await login(t, 'dora')
  // Rotate every 50 minutes: the idle limit (1 h) never bites, the absolute one (2 h) does.
  for (let i = 0; i < 2; i++) {
    clock.advance(50 * 60_000)
    const r = await refresh(tokens.refresh_token)
    assert.equal(r.status, 200)
    tokens = r.body
  }
  clock.advance(21 * 60_000)
  const r = await refresh(tokens.refresh_token)
  assert.equal(r.status, 400)
  assert.equal(r.body.code, 'ERR_REFRESH_TOKEN_INVALID')
})

test('an access token is refused once its exp passes (moved clock)', async () => {
  const tokens = await login(t, 'dora')
  assert.equal((await t.get('/me', bearer(tokens.access_token))).status, 200)
  clock.advance((900 + 61) * 1000)
  const me = await t.get('/me', bearer(tokens.access_token))
  assert.equal(me.status, 401)
  assert.match(((await me.json()) as { error_description: string }).error_description, /expired/)
  assert.deepEqual(await t.introspect(tokens.access_token), { active: false })
})
