/**
 * @module The Store conformance suite: every backend (SQLite now; PostgreSQL and Redis when they land)
 * runs exactly these cases through `storeConformance(factory)`. Times are passed in, never read.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import type { NewRefreshToken, RefreshFamily, Store } from '../../src/index.js'

export interface StoreFactory {
  name: string
  /** A fresh, empty, migrated store, and how to dispose of it. */
  open(): Promise<{ store: Store; cleanup(): Promise<void> }>
  /** Why the suite is skipped (service unreachable), if it is. */
  skip?: string
}

const T0 = 1_800_000_000_000
const id = () => randomBytes(12).toString('base64url')
const hash = () => randomBytes(32).toString('hex')

export function storeConformance(factory: StoreFactory): void {
  describe(`Store conformance: ${factory.name}`, { skip: factory.skip ?? false }, () => {
    let store: Store
    let cleanup: () => Promise<void>
    before(async () => {
      ;({ store, cleanup } = await factory.open())
    })
    after(async () => {
      await cleanup?.()
    })

    const newUser = async (username = `user-${id().toLowerCase()}`) =>
      store.createUser({
        id: id(),
        username,
        passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$x$y',
        createdAt: T0,
      })

    const newFamily = async (options: Partial<RefreshFamily> = {}, first: Partial<NewRefreshToken> = {}) => {
      const user = await newUser()
      const family = {
        id: id(),
        userId: user.id,
        clientId: 'web',
        scope: 'api',
        cookieBound: false,
        createdAt: T0,
        absoluteExpiresAt: T0 + 86_400_000,
        ...options,
      }
      const token = { hash: hash(), generation: 0, createdAt: T0, idleExpiresAt: T0 + 3_600_000, ...first }
      await store.createRefreshFamily(family, token)
      return { user, family, token }
    }

    const successorOf = (generation: number, now = T0 + 1000): NewRefreshToken => ({
      hash: hash(),
      generation,
      createdAt: now,
      idleExpiresAt: now + 3_600_000,
    })

    describe('users', () => {
      test('a created user is found by name and id, and listed', async () => {
        const user = await newUser('frank')
        assert.equal((await store.findUserByUsername('frank'))?.id, user.id)
        assert.equal((await store.findUserById(user.id))?.username, 'frank')
        assert.ok((await store.listUsers()).some((u) => u.id === user.id))
        assert.equal(await store.findUserByUsername('nobody'), undefined)
      })

      test('a taken username is ERR_USER_EXISTS', async () => {
        await newUser('grace')
        await assert.rejects(newUser('grace'), { code: 'ERR_USER_EXISTS' })
      })

      test('password hash and disabled flag update', async () => {
        const user = await newUser()
        await store.setPasswordHash(user.id, 'new-hash', T0 + 5)
        assert.equal(await store.setUserDisabled(user.id, true, T0 + 6), true)
        const read = await store.findUserById(user.id)
        assert.equal(read?.passwordHash, 'new-hash')
        assert.equal(read?.disabled, true)
        assert.equal(read?.updatedAt, T0 + 6)
        assert.equal(await store.setUserDisabled('missing', true, T0), false)
      })
    })

    describe('refresh families: the compare-and-set', () => {
      test('consuming an active token rotates it: successor active, token rotated', async () => {
        const { family, token } = await newFamily()
        const successor = successorOf(1)
        const result = await store.consumeRefreshToken({
          hash: token.hash,
          successor,
          now: T0 + 1000,
          graceMs: 15_000,
          clientId: 'web',
        })
        assert.equal(result.outcome, 'rotated')
        const old = await store.findRefreshToken(token.hash)
        assert.equal(old?.token.state, 'rotated')
        assert.equal(old?.token.successorHash, successor.hash)
        const next = await store.findRefreshToken(successor.hash)
        assert.equal(next?.token.state, 'active')
        assert.equal(next?.token.generation, 1)
        assert.equal(next?.family.id, family.id)
      })

      test('a replay within the grace window by the same client gets the same successor, and creates nothing', async () => {
        const { token } = await newFamily()
        const successor = successorOf(1)
        await store.consumeRefreshToken({
          hash: token.hash,
          successor,
          now: T0 + 1000,
          graceMs: 15_000,
          clientId: 'web',
        })
        const replay = await store.consumeRefreshToken({
          hash: token.hash,
          successor: successorOf(1, T0 + 5000),
          now: T0 + 5000,
          graceMs: 15_000,
          clientId: 'web',
        })
        assert.equal(replay.outcome, 'grace')
        assert.equal(replay.outcome === 'grace' && replay.token.hash, successor.hash)
      })

      test('a replay after the grace window revokes the family and every token in it', async () => {
        const { family, token } = await newFamily()
        const successor = successorOf(1)
        await store.consumeRefreshToken({
          hash: token.hash,
          successor,
          now: T0 + 1000,
          graceMs: 15_000,
          clientId: 'web',
        })
        const replay = await store.consumeRefreshToken({
          hash: token.hash,
          successor: successorOf(1, T0 + 17_000),
          now: T0 + 17_000,
          graceMs: 15_000,
          clientId: 'web',
        })
        assert.equal(replay.outcome, 'reused')
        assert.equal((await store.findRefreshFamily(family.id))?.revokedReason, 'reuse')
        assert.equal((await store.findRefreshToken(successor.hash))?.token.state, 'revoked')
        const after = await store.consumeRefreshToken({
          hash: successor.hash,
          successor: successorOf(2),
          now: T0 + 18_000,
          graceMs: 15_000,
          clientId: 'web',
        })
        assert.deepEqual(after, { outcome: 'invalid', reason: 'revoked' })
      })

      test('a replay of a token two generations old is reuse even inside the window', async () => {
        const { token } = await newFamily()
        const s1 = successorOf(1)
        await store.consumeRefreshToken({
          hash: token.hash,
          successor: s1,
          now: T0 + 1000,
          graceMs: 15_000,
          clientId: 'web',
        })
        await store.consumeRefreshToken({
          hash: s1.hash,
          successor: successorOf(2),
          now: T0 + 2000,
          graceMs: 15_000,
          clientId: 'web',
        })
        const replay = await store.consumeRefreshToken({
          hash: token.hash,
          successor: successorOf(1),
          now: T0 + 3000,
          graceMs: 15_000,
          clientId: 'web',
        })
        assert.equal(replay.outcome, 'reused')
      })

      test('unknown, idle-expired, absolute-expired and other-client tokens are invalid with a reason', async () => {
        const base = { graceMs: 15_000, clientId: 'web' }
        assert.deepEqual(
          await store.consumeRefreshToken({ ...base, hash: hash(), successor: successorOf(1), now: T0 }),
          {
            outcome: 'invalid',
            reason: 'unknown',
          },
        )
        const idle = await newFamily({}, { idleExpiresAt: T0 + 10 })
        assert.deepEqual(
          await store.consumeRefreshToken({
            ...base,
            hash: idle.token.hash,
            successor: successorOf(1),
            now: T0 + 10,
          }),
          {
            outcome: 'invalid',
            reason: 'expired',
          },
        )
        const absolute = await newFamily({ absoluteExpiresAt: T0 + 10 })
        assert.deepEqual(
          await store.consumeRefreshToken({
            ...base,
            hash: absolute.token.hash,
            successor: successorOf(1),
            now: T0 + 10,
          }),
          { outcome: 'invalid', reason: 'expired' },
        )
        const other = await newFamily()
        assert.deepEqual(
          await store.consumeRefreshToken({
            ...base,
            clientId: 'cli',
            hash: other.token.hash,
            successor: successorOf(1),
            now: T0,
          }),
          { outcome: 'invalid', reason: 'client_mismatch' },
        )
        assert.equal((await store.findRefreshToken(other.token.hash))?.token.state, 'active')
      })

      test('twenty concurrent consumes of one token: exactly one rotation, the rest are grace replays of it', async () => {
        const { family, token } = await newFamily()
        const successor = successorOf(1)
        const results = await Promise.all(
          Array.from({ length: 20 }, () =>
            store.consumeRefreshToken({
              hash: token.hash,
              successor,
              now: T0 + 1000,
              graceMs: 15_000,
              clientId: 'web',
            }),
          ),
        )
        assert.equal(results.filter((r) => r.outcome === 'rotated').length, 1)
        assert.equal(results.filter((r) => r.outcome === 'grace').length, 19)
        assert.equal((await store.findRefreshFamily(family.id))?.revokedAt, null)
      })

      test('a rotation that fails halfway changes nothing: the presented token stays active, no successor', async () => {
        const { token } = await newFamily()
        const other = await newFamily()
        // The successor's hash collides with an existing token: its insert fails inside the transaction.
        const clash = { ...successorOf(1), hash: other.token.hash }
        await assert.rejects(
          store.consumeRefreshToken({
            hash: token.hash,
            successor: clash,
            now: T0 + 1000,
            graceMs: 15_000,
            clientId: 'web',
          }),
        )
        const still = await store.findRefreshToken(token.hash)
        assert.equal(still?.token.state, 'active')
        assert.equal(still?.token.successorHash, null)
        const retry = await store.consumeRefreshToken({
          hash: token.hash,
          successor: successorOf(1),
          now: T0 + 2000,
          graceMs: 15_000,
          clientId: 'web',
        })
        assert.equal(retry.outcome, 'rotated')
      })

      test('revoking a family, and all families of a user', async () => {
        const { family, token, user } = await newFamily()
        assert.equal(await store.countActiveFamilies(user.id, T0), 1)
        assert.equal(await store.revokeRefreshFamily(family.id, 'logout', T0 + 1), true)
        assert.equal(await store.revokeRefreshFamily(family.id, 'logout', T0 + 2), false)
        assert.equal((await store.findRefreshToken(token.hash))?.token.state, 'revoked')
        assert.equal(await store.countActiveFamilies(user.id, T0), 0)

        const second = await newFamily()
        await store.createRefreshFamily(
          { ...second.family, id: id() },
          { hash: hash(), generation: 0, createdAt: T0, idleExpiresAt: T0 + 1000 },
        )
        assert.equal(await store.revokeUserFamilies(second.user.id, 'user_disabled', T0 + 3), 2)
        assert.equal((await store.findRefreshFamily(second.family.id))?.revokedReason, 'user_disabled')
      })
    })

    describe('sessions, keys, audit, throttle', () => {
      test('sessions: create, find, touch, delete, delete per user', async () => {
        const user = await newUser()
        const session = {
          hash: hash(),
          userId: user.id,
          createdAt: T0,
          lastSeenAt: T0,
          idleExpiresAt: T0 + 1000,
          absoluteExpiresAt: T0 + 5000,
          csrfToken: 'csrf',
        }
        await store.createSession(session)
        assert.deepEqual(await store.findSession(session.hash), session)
        await store.touchSession(session.hash, T0 + 500, T0 + 1500)
        assert.equal((await store.findSession(session.hash))?.idleExpiresAt, T0 + 1500)
        assert.equal(await store.deleteSession(session.hash), true)
        assert.equal(await store.findSession(session.hash), undefined)
        await store.createSession({ ...session, hash: hash() })
        await store.createSession({ ...session, hash: hash() })
        assert.equal(await store.deleteUserSessions(user.id), 2)
      })

      test('signing keys: insert, list in activation order, retire, delete after removal', async () => {
        const key = (kid: string, activatesAt: number) => ({
          kid,
          alg: 'ES256',
          publicJwk: '{}',
          encryptedPrivateJwk: 'sealed',
          createdAt: T0,
          activatesAt,
          retiresAt: null,
          removeAt: null,
        })
        await store.insertSigningKey(key('k2', T0 + 10))
        await store.insertSigningKey(key('k1', T0))
        assert.deepEqual(
          (await store.listSigningKeys()).map((k) => k.kid),
          ['k1', 'k2'],
        )
        await store.retireSigningKey('k1', T0 + 10, T0 + 100)
        const k1 = (await store.listSigningKeys()).find((k) => k.kid === 'k1')
        assert.equal(k1?.retiresAt, T0 + 10)
        assert.equal(await store.deleteSigningKeysRemovedBefore(T0 + 99), 0)
        assert.equal(await store.deleteSigningKeysRemovedBefore(T0 + 100), 1)
        assert.deepEqual(
          (await store.listSigningKeys()).map((k) => k.kid),
          ['k2'],
        )
      })

      test('audit events are listed newest first, per user', async () => {
        const user = await newUser()
        await store.appendAudit({ at: T0, type: 'login', userId: user.id, detail: { n: 1 } })
        await store.appendAudit({ at: T0 + 1, type: 'logout', userId: user.id })
        const events = await store.listAudit({ limit: 10, userId: user.id })
        assert.deepEqual(
          events.map((e) => e.type),
          ['logout', 'login'],
        )
        assert.deepEqual(events[1]?.detail, { n: 1 })
      })

      test('throttle counters count within a window, restart after it, and clear', async () => {
        const key = `ip:${id()}`
        assert.equal((await store.hitThrottle(key, T0, 1000)).count, 1)
        assert.equal((await store.hitThrottle(key, T0 + 10, 1000)).count, 2)
        const restarted = await store.hitThrottle(key, T0 + 1000, 1000)
        assert.deepEqual(restarted, { key, count: 1, firstAt: T0 + 1000, lastAt: T0 + 1000 })
        await store.clearThrottle(key)
        assert.equal(await store.getThrottle(key), undefined)
      })

      test('purgeExpired deletes expired families with their tokens', async () => {
        const { family, token } = await newFamily({ absoluteExpiresAt: T0 + 10 })
        await store.purgeExpired(T0 + 10)
        assert.equal(await store.findRefreshFamily(family.id), undefined)
        assert.equal(await store.findRefreshToken(token.hash), undefined)
      })
    })
  })
}
