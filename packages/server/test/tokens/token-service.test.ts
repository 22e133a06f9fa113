/**
 * @module The token services on a real store, without HTTP: a refresh is one store call; the policy's
 * decisions land as written (successor, revocation, audit rows in the same call); a disabled user's family
 * is ended before anything rotates; introspection and revocation read and write what they say.
 */
import assert from 'node:assert/strict'
import { rmSync } from 'node:fs'
import { after, before, test } from 'node:test'
import { createServices, loadConfig, manualClock, type Services } from '../../src/index.js'
import { deriveSecrets } from '../../src/keys/secret.js'
import { openStore } from '../../src/store/open-store.js'
import type { Store, UserRecord } from '../../src/store/types.js'
import { deriveRefreshToken, hashRefreshToken } from '../../src/tokens/refresh-token.js'
import { TEST_SECRET, tempDir } from '../helpers/test-server.js'
import { type TestStoreSettings, testStoreSettings } from '../helpers/test-store.js'

const clock = manualClock(1_700_000_000_000)
const web = { id: 'tessera-web' }
const { refreshTokenKey } = deriveSecrets(TEST_SECRET)
let dir: string
let settings: TestStoreSettings
let s: Services
let store: Store
let serial = 0

before(async () => {
  dir = tempDir()
  settings = testStoreSettings(dir)
  const config = loadConfig({
    database: settings.database,
    ...(settings.redis ? { redis: settings.redis } : {}),
    secret: TEST_SECRET,
    refreshGrace: 15,
    refreshIdleTtl: 3600,
    refreshTtl: 7200,
  })
  // The store underneath the services (which wrap it to publish revocations): the counting below
  // patches its repositories, so every call the services make is seen exactly once.
  store = await openStore(config.database, config.redis ? { redis: config.redis } : {})
  s = await createServices(config, { clock, store })
})
after(async () => {
  await s.close()
  await store.close()
  await settings.drop()
  rmSync(dir, { recursive: true, force: true })
})

async function user(): Promise<UserRecord> {
  serial += 1
  return store.users.create({
    id: `user-${serial}`,
    username: `user${serial}`,
    passwordHash: 'not-a-hash',
    createdAt: clock(),
  })
}

/** Counts every repository call made while `work` runs (the real store underneath). */
async function storeCalls<T>(work: () => Promise<T>): Promise<{ value: T; calls: string[] }> {
  const calls: string[] = []
  const restore: Array<() => void> = []
  let depth = 0
  for (const name of ['users', 'refresh', 'sessions', 'signingKeys', 'audit', 'throttle'] as const) {
    const repo = store[name] as unknown as Record<string, unknown>
    const seen = new Set<string>()
    for (let proto = repo; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
      for (const key of Object.getOwnPropertyNames(proto)) {
        const original = repo[key]
        if (key === 'constructor' || seen.has(key) || typeof original !== 'function') continue
        seen.add(key)
        const own = Object.hasOwn(repo, key)
        repo[key] = async (...args: unknown[]) => {
          // Only the calls the services make: a repository's own calls into another (the audit row of
          // a rotation, written inside its transaction) are part of that one call.
          if (depth === 0) calls.push(`${name}.${key}`)
          depth += 1
          try {
            return await (original as (...a: unknown[]) => unknown).apply(repo, args)
          } finally {
            depth -= 1
          }
        }
        restore.push(() => {
          if (own) repo[key] = original
          else delete repo[key]
        })
      }
    }
  }
  try {
    return { value: await work(), calls }
  } finally {
    for (const undo of restore) undo()
  }
}

const audits = async (userId: string) => (await store.audit.list({ limit: 50, userId })).map((e) => e.type)

test('login writes the family, its first token and the login audit row', async () => {
  const u = await user()
  const { value: set, calls } = await storeCalls(() =>
    s.tokens.issueForLogin(u, { client: web, cookie: false }),
  )
  assert.deepEqual(calls, ['refresh.createFamily'])
  assert.equal(set.refreshToken, deriveRefreshToken(refreshTokenKey, set.familyId, 0))
  assert.deepEqual(await audits(u.id), ['login'])
})

test('the common refresh is one store call, and the successor is generation 1 of the family', async () => {
  const u = await user()
  const set = await s.tokens.issueForLogin(u, { client: web, cookie: false })
  clock.advance(1000)
  const { value: next, calls } = await storeCalls(() =>
    s.tokens.refresh(set.refreshToken, { client: web, delivery: 'body' }),
  )
  assert.deepEqual(calls, ['refresh.rotate'])
  assert.equal(next.refreshToken, deriveRefreshToken(refreshTokenKey, set.familyId, 1))
  const old = await store.refresh.findToken(hashRefreshToken(set.refreshToken))
  assert.equal(old?.token.state, 'rotated')
  assert.equal(old?.token.successorHash, hashRefreshToken(next.refreshToken))
  assert.equal((await store.refresh.findToken(hashRefreshToken(next.refreshToken)))?.token.state, 'active')
  assert.deepEqual(await audits(u.id), ['login'])
})

test('a grace replay is one store call, answers the same successor and records refresh.grace', async () => {
  const u = await user()
  const set = await s.tokens.issueForLogin(u, { client: web, cookie: false })
  const first = await s.tokens.refresh(set.refreshToken, { client: web, delivery: 'body' })
  clock.advance(15_000)
  const { value: replay, calls } = await storeCalls(() =>
    s.tokens.refresh(set.refreshToken, { client: web, delivery: 'body' }),
  )
  assert.deepEqual(calls, ['refresh.rotate'])
  assert.equal(replay.refreshToken, first.refreshToken)
  assert.deepEqual((await audits(u.id)).sort(), ['login', 'refresh.grace'])
})

test('a replay after the window ends the family (reason reuse) and records refresh.reuse_detected', async () => {
  const u = await user()
  const set = await s.tokens.issueForLogin(u, { client: web, cookie: false })
  const first = await s.tokens.refresh(set.refreshToken, { client: web, delivery: 'body' })
  clock.advance(15_001)
  await assert.rejects(s.tokens.refresh(set.refreshToken, { client: web, delivery: 'body' }), {
    code: 'ERR_REFRESH_TOKEN_REUSED',
  })
  const family = await store.refresh.findFamily(set.familyId)
  assert.equal(family?.revokedReason, 'reuse')
  assert.equal((await store.refresh.findToken(hashRefreshToken(first.refreshToken)))?.token.state, 'revoked')
  assert.deepEqual((await audits(u.id)).sort(), ['login', 'refresh.reuse_detected'])
})

test('a disabled user: the family is ended before anything rotates, no successor exists', async () => {
  const u = await user()
  const set = await s.tokens.issueForLogin(u, { client: web, cookie: false })
  // Disabled in the store alone, so that the refresh (not the user service) is what ends the family.
  await store.users.setDisabled(u.id, true, clock())
  await assert.rejects(s.tokens.refresh(set.refreshToken, { client: web, delivery: 'body' }), {
    code: 'ERR_REFRESH_TOKEN_INVALID',
    message: 'the account is disabled',
  })
  const presented = await store.refresh.findToken(hashRefreshToken(set.refreshToken))
  assert.equal(presented?.token.state, 'revoked')
  assert.equal(presented?.token.successorHash, null)
  assert.equal(presented?.family.revokedReason, 'user_disabled')
  const successor = deriveRefreshToken(refreshTokenKey, set.familyId, 1)
  assert.equal(await store.refresh.findToken(hashRefreshToken(successor)), undefined)
  assert.deepEqual((await audits(u.id)).sort(), ['login', 'refresh.user_disabled'])
})

test('a refusal changes nothing: wrong delivery, another client, malformed', async () => {
  const u = await user()
  const set = await s.tokens.issueForLogin(u, { client: web, cookie: true })
  await assert.rejects(s.tokens.refresh(set.refreshToken, { client: web, delivery: 'body' }), {
    code: 'ERR_REFRESH_TOKEN_INVALID',
    message: /belongs in the refresh cookie/,
  })
  await assert.rejects(
    s.tokens.refresh(set.refreshToken, { client: { id: 'tessera-cli' }, delivery: 'cookie' }),
    {
      code: 'ERR_REFRESH_TOKEN_INVALID',
      message: /another client_id/,
    },
  )
  const { calls } = await storeCalls(() =>
    assert.rejects(s.tokens.refresh('not a token', { client: web, delivery: 'cookie' }), {
      message: 'the refresh token is malformed',
    }),
  )
  assert.deepEqual(calls, [])
  assert.equal((await store.refresh.findToken(hashRefreshToken(set.refreshToken)))?.token.state, 'active')
  assert.deepEqual(await audits(u.id), ['login'])
  // Still usable by its owner, from the cookie.
  await s.tokens.refresh(set.refreshToken, { client: web, delivery: 'cookie' })
})

test('introspection: token_type Bearer for access tokens, refresh_token for refresh tokens', async () => {
  const u = await user()
  const set = await s.tokens.issueForLogin(u, { client: web, cookie: false })
  const access = await s.tokens.introspect(set.accessToken)
  assert.equal(access.active, true)
  assert.equal(access.token_type, 'Bearer')
  assert.equal(access.username, u.username)
  const refresh = await s.tokens.introspect(set.refreshToken, 'refresh_token')
  assert.equal(refresh.active, true)
  assert.equal(refresh.token_type, 'refresh_token')
  assert.equal(refresh.sid, set.familyId)
  // A disabled user's tokens are not active, whatever their family says.
  await store.users.setDisabled(u.id, true, clock())
  assert.deepEqual(await s.tokens.introspect(set.accessToken), { active: false })
  assert.deepEqual(await s.tokens.introspect(set.refreshToken), { active: false })
})

test('revocation ends the family with one token.revoked row; revoking again records nothing more', async () => {
  const u = await user()
  const set = await s.tokens.issueForLogin(u, { client: web, cookie: false })
  await s.tokens.revoke(set.refreshToken, 'tessera-cli')
  assert.equal((await store.refresh.findFamily(set.familyId))?.revokedAt, null)
  await s.tokens.revoke(set.accessToken)
  assert.equal((await store.refresh.findFamily(set.familyId))?.revokedReason, 'revoked')
  await s.tokens.revoke(set.refreshToken)
  assert.deepEqual((await audits(u.id)).sort(), ['login', 'token.revoked'])
  await assert.rejects(s.tokens.verifyAccessToken(set.accessToken), { code: 'ERR_ACCESS_TOKEN_INVALID' })
})

test('logout ends the family with its reason as the audit type', async () => {
  const u = await user()
  const set = await s.tokens.issueForLogin(u, { client: web, cookie: false })
  assert.equal(await s.tokens.endFamily(set.familyId), true)
  assert.equal(await s.tokens.endFamily('no-such-family'), false)
  assert.equal((await store.refresh.findFamily(set.familyId))?.revokedReason, 'logout')
  assert.deepEqual((await audits(u.id)).sort(), ['login', 'logout'])
})

test('audit events recorded through the audit service carry the clock', async () => {
  const u = await user()
  await s.audit.record({ type: 'user.registered', userId: u.id, ip: '127.0.0.1' })
  const [event] = await store.audit.list({ limit: 1, userId: u.id })
  assert.equal(event?.type, 'user.registered')
  assert.equal(event?.at, clock())
})
