/**
 * @module The Store conformance suite: every backend (SQLite, PostgreSQL, PostgreSQL + Redis) runs
 * exactly these cases through `storeConformance(factory)`. Times are passed in, never read. Rotation is
 * driven by a small test policy (`testPolicy`): the store only reads, locks and applies what it answers.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import type {
  NewRefreshToken,
  RefreshFamily,
  RotationRead,
  RotationStep,
  SigningKeyRecord,
  Store,
} from '../../src/index.js'
import { oidcRepositoryCases } from './oidc-conformance.js'

export interface StoreFactory {
  name: string
  /** A fresh, empty, migrated store, and how to dispose of it. */
  open(): Promise<{ store: Store; cleanup(): Promise<void> }>
  /** A second store on the same database, for cross-instance races (where the backend has one). */
  openAnother?(): Promise<Store>
  /** Why the suite is skipped (service unreachable), if it is. */
  skip?: string
}

export const T0 = 1_800_000_000_000
const GRACE_MS = 15_000
const id = () => randomBytes(12).toString('base64url')
const signingKey = (kid: string, activatesAt: number): SigningKeyRecord => ({
  kid,
  alg: 'ES256',
  publicJwk: '{}',
  encryptedPrivateJwk: 'sealed',
  createdAt: T0,
  activatesAt,
  retiresAt: null,
  removeAt: null,
})
const hash = () => randomBytes(32).toString('hex')

export type TestOutcome =
  | { outcome: 'rotated'; successor: string }
  | { outcome: 'grace'; successor: string }
  | { outcome: 'reused' }
  | { outcome: 'invalid'; reason: string }

/** The old rotation rules, as a policy: enough to drive every branch of `rotate`. */
export function testPolicy(
  successor: NewRefreshToken,
  now: number,
  reads: (RotationRead | undefined)[] = [],
): (read: RotationRead | undefined) => RotationStep<TestOutcome> {
  return (read) => {
    reads.push(read)
    const none = (result: TestOutcome): RotationStep<TestOutcome> => ({ write: { kind: 'none' }, result })
    if (!read) return none({ outcome: 'invalid', reason: 'unknown' })
    const { token, family } = read
    if (family.revokedAt !== null || token.state === 'revoked')
      return none({ outcome: 'invalid', reason: 'revoked' })
    if (now >= family.absoluteExpiresAt || (token.state === 'active' && now >= token.idleExpiresAt))
      return none({ outcome: 'invalid', reason: 'expired' })
    if (token.state === 'active')
      return {
        write: { kind: 'rotate', successor },
        result: { outcome: 'rotated', successor: successor.hash },
      }
    if (read.successor?.state === 'active' && token.rotatedAt !== null && now - token.rotatedAt <= GRACE_MS)
      return none({ outcome: 'grace', successor: read.successor.hash })
    return {
      write: { kind: 'revoke', reason: 'reuse' },
      audit: { at: now, type: 'refresh.reuse', userId: family.userId, familyId: family.id },
      result: { outcome: 'reused' },
    }
  }
}

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
      store.users.create({
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
        sid: null,
        authTime: null,
        dpopJkt: null,
        ...options,
      }
      const token = { hash: hash(), generation: 0, createdAt: T0, idleExpiresAt: T0 + 3_600_000, ...first }
      await store.refresh.createFamily(family, token)
      return { user, family, token }
    }

    const successorOf = (generation: number, now = T0 + 1000): NewRefreshToken => ({
      hash: hash(),
      generation,
      createdAt: now,
      idleExpiresAt: now + 3_600_000,
    })

    const rotate = (presented: string, successor: NewRefreshToken, now: number, on: Store = store) =>
      on.refresh.rotate(presented, now, testPolicy(successor, now))

    describe('users', () => {
      test('a created user is found by name and id, and listed', async () => {
        const user = await newUser('frank')
        assert.equal((await store.users.findByUsername('frank'))?.id, user.id)
        assert.equal((await store.users.findById(user.id))?.username, 'frank')
        assert.ok((await store.users.list()).some((u) => u.id === user.id))
        assert.equal(await store.users.findByUsername('nobody'), undefined)
      })

      test('a taken username is ERR_USER_EXISTS', async () => {
        await newUser('grace')
        await assert.rejects(newUser('grace'), { code: 'ERR_USER_EXISTS' })
      })

      test('password hash and disabled flag update', async () => {
        const user = await newUser()
        await store.users.setPasswordHash(user.id, 'new-hash', T0 + 5)
        assert.equal(await store.users.setDisabled(user.id, true, T0 + 6), true)
        const read = await store.users.findById(user.id)
        assert.equal(read?.passwordHash, 'new-hash')
        assert.equal(read?.disabled, true)
        assert.equal(read?.updatedAt, T0 + 6)
        assert.equal(await store.users.setDisabled('missing', true, T0), false)
      })
    })

    describe('refresh: rotate reads, the policy decides, the store applies', () => {
      test('the policy is shown the token, its family, no successor yet and the user', async () => {
        const { family, token, user } = await newFamily({ cookieBound: true })
        const reads: (RotationRead | undefined)[] = []
        await store.refresh.rotate(token.hash, T0 + 1000, testPolicy(successorOf(1), T0 + 1000, reads))
        const read = reads[0]
        assert.equal(read?.token.hash, token.hash)
        assert.equal(read?.token.state, 'active')
        assert.deepEqual(read?.family, { ...family, revokedAt: null, revokedReason: null })
        assert.equal(read?.successor, undefined)
        assert.deepEqual(read?.user, user)
      })

      test('rotate: the token becomes rotated with its successor, the successor active', async () => {
        const { family, token } = await newFamily()
        const successor = successorOf(1)
        assert.deepEqual(await rotate(token.hash, successor, T0 + 1000), {
          outcome: 'rotated',
          successor: successor.hash,
        })
        const old = await store.refresh.findToken(token.hash)
        assert.equal(old?.token.state, 'rotated')
        assert.equal(old?.token.rotatedAt, T0 + 1000)
        assert.equal(old?.token.successorHash, successor.hash)
        const next = await store.refresh.findToken(successor.hash)
        assert.equal(next?.token.state, 'active')
        assert.equal(next?.token.generation, 1)
        assert.equal(next?.family.id, family.id)
      })

      test('a replay is shown its successor: within the window the policy answers grace and nothing is written', async () => {
        const { token } = await newFamily()
        const successor = successorOf(1)
        await rotate(token.hash, successor, T0 + 1000)
        const reads: (RotationRead | undefined)[] = []
        const replay = await store.refresh.rotate(
          token.hash,
          T0 + 5000,
          testPolicy(successorOf(1, T0 + 5000), T0 + 5000, reads),
        )
        assert.deepEqual(replay, { outcome: 'grace', successor: successor.hash })
        assert.equal(reads[0]?.successor?.hash, successor.hash)
        assert.equal(reads[0]?.successor?.state, 'active')
        assert.equal((await store.refresh.findToken(successor.hash))?.token.state, 'active')
      })

      test('revoke: the family and every active token in it are revoked, with the audit row', async () => {
        const { family, token, user } = await newFamily()
        const successor = successorOf(1)
        await rotate(token.hash, successor, T0 + 1000)
        assert.deepEqual(await rotate(token.hash, successorOf(1, T0 + 17_000), T0 + 17_000), {
          outcome: 'reused',
        })
        const revoked = await store.refresh.findFamily(family.id)
        assert.equal(revoked?.revokedReason, 'reuse')
        assert.equal(revoked?.revokedAt, T0 + 17_000)
        assert.equal((await store.refresh.findToken(successor.hash))?.token.state, 'revoked')
        const [event] = await store.audit.list({ limit: 1, userId: user.id })
        assert.equal(event?.type, 'refresh.reuse')
        assert.equal(event?.familyId, family.id)
        assert.deepEqual(await rotate(successor.hash, successorOf(2), T0 + 18_000), {
          outcome: 'invalid',
          reason: 'revoked',
        })
      })

      test('an unknown hash calls the policy with undefined and writes nothing', async () => {
        const reads: (RotationRead | undefined)[] = []
        const result = await store.refresh.rotate(hash(), T0, testPolicy(successorOf(1), T0, reads))
        assert.deepEqual(result, { outcome: 'invalid', reason: 'unknown' })
        assert.deepEqual(reads, [undefined])
      })

      test('a policy that throws leaves everything as it was', async () => {
        const { token } = await newFamily()
        await assert.rejects(
          store.refresh.rotate(token.hash, T0 + 1000, () => {
            throw new Error('policy failed')
          }),
          /policy failed/,
        )
        assert.equal((await store.refresh.findToken(token.hash))?.token.state, 'active')
      })

      test('a rotation that fails halfway changes nothing: the presented token stays active, no successor', async () => {
        const { token } = await newFamily()
        const other = await newFamily()
        // The successor's hash collides with an existing token: its insert fails inside the transaction.
        const clash = { ...successorOf(1), hash: other.token.hash }
        await assert.rejects(rotate(token.hash, clash, T0 + 1000))
        const still = await store.refresh.findToken(token.hash)
        assert.equal(still?.token.state, 'active')
        assert.equal(still?.token.successorHash, null)
        assert.equal((await rotate(token.hash, successorOf(1), T0 + 2000)).outcome, 'rotated')
      })

      test('fifty concurrent rotations of one token: exactly one rotates, the other 49 are grace replays of it', async () => {
        const { family, token } = await newFamily()
        const results = await Promise.all(
          Array.from({ length: 50 }, () => rotate(token.hash, successorOf(1), T0 + 1000)),
        )
        const rotated = results.filter((r) => r.outcome === 'rotated')
        assert.equal(rotated.length, 1)
        const winner = rotated[0]!.outcome === 'rotated' ? rotated[0]!.successor : ''
        assert.deepEqual(
          results.filter((r) => r.outcome === 'grace'),
          Array.from({ length: 49 }, () => ({ outcome: 'grace', successor: winner })),
        )
        assert.equal((await store.refresh.findFamily(family.id))?.revokedAt, null)
        assert.equal((await store.refresh.findToken(winner))?.token.state, 'active')
      })

      test('two store instances rotating one token at once: one rotation in all, the rest grace', async (t) => {
        if (!factory.openAnother) return t.skip('one instance only')
        const other = await factory.openAnother()
        try {
          const { token } = await newFamily()
          const results = await Promise.all(
            Array.from({ length: 20 }, (_, i) =>
              rotate(token.hash, successorOf(1), T0 + 1000, i % 2 ? other : store),
            ),
          )
          assert.equal(results.filter((r) => r.outcome === 'rotated').length, 1)
          assert.equal(results.filter((r) => r.outcome === 'grace').length, 19)
        } finally {
          await other.close()
        }
      })

      test('a chain of rotations under contention never leaves two active tokens in the family', async () => {
        const { family, token } = await newFamily()
        let current = token.hash
        for (let generation = 1; generation <= 5; generation++) {
          const now = T0 + generation * 1000
          const results = await Promise.all(
            Array.from({ length: 8 }, () => rotate(current, successorOf(generation, now), now)),
          )
          const won = results.find((r) => r.outcome === 'rotated')
          assert.ok(won && won.outcome === 'rotated')
          current = won.successor
        }
        const live = await store.refresh.findToken(current)
        assert.equal(live?.token.state, 'active')
        assert.equal(live?.token.generation, 5)
        assert.equal(await store.refresh.countActiveFamilies(family.userId, T0 + 6000), 1)
      })

      test('revoking a family (with its audit row), and all families of a user', async () => {
        const { family, token, user } = await newFamily()
        assert.equal(await store.refresh.countActiveFamilies(user.id, T0), 1)
        const audit = { at: T0 + 1, type: 'logout', userId: user.id, familyId: family.id }
        assert.equal(await store.refresh.revokeFamily(family.id, 'logout', T0 + 1, audit), true)
        assert.equal(await store.refresh.revokeFamily(family.id, 'logout', T0 + 2), false)
        assert.equal(await store.refresh.revokeFamily('unknown', 'logout', T0 + 2), false)
        assert.equal((await store.refresh.findToken(token.hash))?.token.state, 'revoked')
        assert.equal((await store.refresh.findFamily(family.id))?.revokedReason, 'logout')
        assert.equal(await store.refresh.countActiveFamilies(user.id, T0), 0)
        assert.equal((await store.audit.list({ limit: 1, userId: user.id }))[0]?.type, 'logout')

        const second = await newFamily()
        const another = { ...second.family, id: id() }
        const anotherToken = { hash: hash(), generation: 0, createdAt: T0, idleExpiresAt: T0 + 1000 }
        await store.refresh.createFamily(another, anotherToken, {
          at: T0,
          type: 'login',
          userId: second.user.id,
        })
        assert.equal((await store.audit.list({ limit: 1, userId: second.user.id }))[0]?.type, 'login')
        assert.equal(await store.refresh.findFamily(second.family.id).then((f) => f?.revokedAt), null)
        assert.equal(await store.refresh.revokeUserFamilies(second.user.id, 'user_disabled', T0 + 3), 2)
        assert.equal((await store.refresh.findFamily(second.family.id))?.revokedReason, 'user_disabled')
        assert.equal((await store.refresh.findToken(anotherToken.hash))?.token.state, 'revoked')
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
          sid: id(),
          authTime: T0,
          amr: ['pwd'],
        }
        await store.sessions.create(session)
        assert.deepEqual(await store.sessions.find(session.hash), session)
        await store.sessions.touch(session.hash, T0 + 500, T0 + 1500)
        assert.equal((await store.sessions.find(session.hash))?.idleExpiresAt, T0 + 1500)
        assert.equal(await store.sessions.delete(session.hash), true)
        assert.equal(await store.sessions.delete(session.hash), false)
        assert.equal(await store.sessions.find(session.hash), undefined)
        const twins = [hash(), hash()].map((h) => ({ ...session, hash: h, sid: id() }))
        for (const twin of twins) await store.sessions.create(twin)
        assert.equal(await store.sessions.deleteForUser(user.id), 2)
        assert.equal(await store.sessions.findBySid(twins[0]!.sid), undefined)
      })

      test('signing keys: insert, list in activation order, retire, delete after removal', async () => {
        const key = signingKey
        await store.signingKeys.insert(key('k2', T0 + 10))
        await store.signingKeys.insert(key('k1', T0))
        assert.deepEqual(
          (await store.signingKeys.list()).map((k) => k.kid),
          ['k1', 'k2'],
        )
        await store.signingKeys.retire('k1', T0 + 10, T0 + 100)
        const k1 = (await store.signingKeys.list()).find((k) => k.kid === 'k1')
        assert.equal(k1?.retiresAt, T0 + 10)
        assert.equal(k1?.removeAt, T0 + 100)
        assert.equal(await store.signingKeys.deleteRemovedBefore(T0 + 99), 0)
        assert.equal(await store.signingKeys.deleteRemovedBefore(T0 + 100), 1)
        assert.deepEqual(
          (await store.signingKeys.list()).map((k) => k.kid),
          ['k2'],
        )
      })

      test('signing keys: ten first keys offered at once on a store with none signing, exactly one is kept', async (t) => {
        const other = factory.openAnother ? await factory.openAnother() : undefined
        t.after(() => other?.close())
        // Before the keys of the test above sign (from T0 + 10); a key retired by `now` does not count.
        const now = T0 + 5
        await store.signingKeys.insert({ ...signingKey('old', T0), retiresAt: now - 1, removeAt: now + 1 })
        const offers = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            (i % 2 && other ? other : store).signingKeys.insertFirst(signingKey(`first-${i}`, now), now),
          ),
        )
        assert.equal(offers.filter(Boolean).length, 1)
        const firsts = (await store.signingKeys.list()).filter((k) => k.kid.startsWith('first-'))
        assert.equal(firsts.length, 1)
        assert.equal(await store.signingKeys.insertFirst(signingKey('late', now + 1), now + 1), false)
      })

      test('audit events are listed newest first, per user, with their detail', async () => {
        const user = await newUser()
        await store.audit.append({
          at: T0,
          type: 'login',
          userId: user.id,
          ip: '192.0.2.1',
          detail: { n: 1 },
        })
        await store.audit.append({ at: T0 + 1, type: 'logout', userId: user.id })
        const events = await store.audit.list({ limit: 10, userId: user.id })
        assert.deepEqual(
          events.map((e) => e.type),
          ['logout', 'login'],
        )
        assert.deepEqual(events[1], {
          at: T0,
          type: 'login',
          userId: user.id,
          familyId: null,
          ip: '192.0.2.1',
          detail: { n: 1 },
        })
        assert.equal((await store.audit.list({ limit: 1 })).length, 1)
      })

      test('throttle counters count within a window, restart after it, and clear', async () => {
        const key = `ip:${id()}`
        assert.equal((await store.throttle.hit(key, T0, 1000)).count, 1)
        assert.deepEqual(await store.throttle.hit(key, T0 + 10, 1000), {
          key,
          count: 2,
          firstAt: T0,
          lastAt: T0 + 10,
        })
        assert.deepEqual(await store.throttle.get(key), { key, count: 2, firstAt: T0, lastAt: T0 + 10 })
        const restarted = await store.throttle.hit(key, T0 + 1000, 1000)
        assert.deepEqual(restarted, { key, count: 1, firstAt: T0 + 1000, lastAt: T0 + 1000 })
        await store.throttle.clear(key)
        assert.equal(await store.throttle.get(key), undefined)
      })

      test('twenty concurrent hits on one counter count twenty', async () => {
        const key = `user:${id()}`
        await Promise.all(Array.from({ length: 20 }, () => store.throttle.hit(key, T0, 60_000)))
        assert.equal((await store.throttle.get(key))?.count, 20)
      })

      test('purgeExpired deletes expired families with their tokens', async () => {
        const { family, token } = await newFamily({ absoluteExpiresAt: T0 + 10 })
        const live = await newFamily()
        await store.purgeExpired(T0 + 10)
        assert.equal(await store.refresh.findFamily(family.id), undefined)
        assert.equal(await store.refresh.findToken(token.hash), undefined)
        assert.equal((await store.refresh.findToken(live.token.hash))?.token.state, 'active')
      })
    })

    oidcRepositoryCases(() => store, factory.openAnother, newUser)
  })
}
