/**
 * @module The second half of the OpenID Connect conformance cases: back-channel logout deliveries,
 * single-use ids, first signing keys per algorithm, provider-session fields and users' profile. Races
 * use a second store on the same database where the backend has one.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { describe, test } from 'node:test'
import type { BackchannelLogoutRecord, SessionRecord, Store, UserRecord } from '../../src/index.js'

const T0 = 1_800_000_000_000
const id = () => randomBytes(12).toString('base64url')
const hash = () => randomBytes(32).toString('hex')

export function oidcSessionCases(
  store: () => Store,
  openAnother: (() => Promise<Store>) | undefined,
  newUser: () => Promise<UserRecord>,
): void {
  /** A second instance on the same database when there is one (closed by `done`), else the same store. */
  const other = async (): Promise<{ on: Store; done: () => Promise<void> }> => {
    if (!openAnother) return { on: store(), done: async () => {} }
    const on = await openAnother()
    return { on, done: () => on.close() }
  }

  describe('back-channel logouts', () => {
    const delivery = (overrides: Partial<BackchannelLogoutRecord> = {}): BackchannelLogoutRecord => ({
      id: id(),
      clientId: 'notes',
      uri: 'https://notes.example/backchannel-logout',
      sid: id(),
      sub: 'user-1',
      createdAt: T0,
      attempts: 0,
      nextAttemptAt: T0,
      deliveredAt: null,
      lastError: null,
      ...overrides,
    })

    test('claimDue leases due deliveries, reschedule and markDelivered settle them', async () => {
      const now = T0 + 1_000_000
      const due = delivery({ nextAttemptAt: now - 1 })
      const later = delivery({ nextAttemptAt: now + 60_000 })
      await store().backchannelLogouts.enqueue(due)
      await store().backchannelLogouts.enqueue(later)
      const claimed = await store().backchannelLogouts.claimDue(now, 100, 30_000)
      const mine = claimed.find((r) => r.id === due.id)
      assert.deepEqual(mine, { ...due, nextAttemptAt: now + 30_000 })
      assert.equal(
        claimed.some((r) => r.id === later.id),
        false,
      )
      // Leased: not handed out again until the lease ends.
      const again = await store().backchannelLogouts.claimDue(now + 1, 100, 30_000)
      assert.equal(
        again.some((r) => r.id === due.id),
        false,
      )
      await store().backchannelLogouts.reschedule(due.id, 1, now + 5000, 'HTTP 503')
      const retried = await store().backchannelLogouts.claimDue(now + 5000, 100, 30_000)
      assert.deepEqual(
        retried.find((r) => r.id === due.id),
        { ...due, attempts: 1, nextAttemptAt: now + 35_000, lastError: 'HTTP 503' },
      )
      await store().backchannelLogouts.markDelivered(due.id, now + 5001)
      const afterDelivery = await store().backchannelLogouts.claimDue(now + 10_000_000, 100, 30_000)
      assert.equal(
        afterDelivery.some((r) => r.id === due.id),
        false,
      )
      assert.equal(
        afterDelivery.some((r) => r.id === later.id),
        true,
      )
    })

    test('twenty claimers over two instances never hand one delivery to two of them', async () => {
      const now = T0 + 2_000_000_000
      const records = Array.from({ length: 30 }, () => delivery({ nextAttemptAt: now - 10 }))
      for (const r of records) await store().backchannelLogouts.enqueue(r)
      const { on, done } = await other()
      try {
        const claims = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            (i % 2 ? on : store()).backchannelLogouts.claimDue(now, 3, 60_000),
          ),
        )
        const ids = claims.flat().map((r) => r.id)
        assert.equal(new Set(ids).size, ids.length, 'a delivery was claimed twice')
        const ours = new Set(records.map((r) => r.id))
        assert.equal(ids.filter((i) => ours.has(i)).length, 30)
      } finally {
        await done()
      }
    })
  })

  describe('single-use ids', () => {
    test('firstUse is true once, false while unexpired, true again once expired', async () => {
      const jti = `client-a:${id()}`
      assert.equal(await store().replay.firstUse(jti, T0 + 60_000, T0), true)
      assert.equal(await store().replay.firstUse(jti, T0 + 60_000, T0 + 1), false)
      assert.equal(await store().replay.firstUse(jti, T0 + 120_000, T0 + 59_999), false)
      assert.equal(await store().replay.firstUse(jti, T0 + 120_000, T0 + 60_000), true)
    })

    test('twenty uses of one id at once over two instances: exactly one first use', async () => {
      const jti = id()
      const { on, done } = await other()
      try {
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) => (i % 2 ? on : store()).replay.firstUse(jti, T0 + 60_000, T0)),
        )
        assert.equal(results.filter(Boolean).length, 1)
      } finally {
        await done()
      }
    })
  })

  describe('signing keys per algorithm', () => {
    test('first keys of two algorithms offered at once over two instances: exactly one kept per algorithm', async () => {
      const { on, done } = await other()
      try {
        const now = T0 + 5_000_000_000
        // The other cases' keys are ES256: these two algorithms start with none signing.
        const algs = ['RS256', 'EdDSA']
        // A fresh kid prefix, so keys other cases made (at earlier times) are told apart.
        const prefix = id()
        const offers = algs.flatMap((alg) =>
          Array.from({ length: 6 }, (_, i) =>
            (i % 2 ? on : store()).signingKeys.insertFirst(
              {
                kid: `${prefix}-${alg}-${i}`,
                alg,
                publicJwk: '{}',
                encryptedPrivateJwk: 'sealed',
                createdAt: now,
                activatesAt: now,
                retiresAt: null,
                removeAt: null,
              },
              now,
            ),
          ),
        )
        const won = await Promise.all(offers)
        const kept = (await store().signingKeys.list()).filter((k) => k.kid.startsWith(prefix))
        assert.deepEqual(kept.map((k) => k.alg).sort(), ['EdDSA', 'RS256'])
        assert.equal(won.filter(Boolean).length, 2)
        // An ES256 key signing does not stop a first RS256 key, and vice versa (checked per algorithm).
      } finally {
        await done()
      }
    })
  })

  describe('provider sessions and profiles', () => {
    const session = (userId: string): SessionRecord => ({
      hash: hash(),
      userId,
      createdAt: T0,
      lastSeenAt: T0,
      idleExpiresAt: T0 + 60_000,
      absoluteExpiresAt: T0 + 600_000,
      csrfToken: null,
      sid: id(),
      authTime: T0,
      amr: ['pwd'],
    })

    test('a session is found and deleted by its sid; reauthenticate moves authTime and amr', async () => {
      const user = await newUser()
      const s = session(user.id)
      await store().sessions.create(s)
      assert.deepEqual(await store().sessions.findBySid(s.sid), s)
      assert.equal(await store().sessions.reauthenticate(s.hash, T0 + 100, ['pwd', 'mfa']), true)
      await store().sessions.touch(s.hash, T0 + 200, T0 + 60_200)
      assert.deepEqual(await store().sessions.find(s.hash), {
        ...s,
        authTime: T0 + 100,
        amr: ['pwd', 'mfa'],
        lastSeenAt: T0 + 200,
        idleExpiresAt: T0 + 60_200,
      })
      assert.equal(await store().sessions.reauthenticate(hash(), T0, ['pwd']), false)
      assert.equal(await store().sessions.findBySid(id()), undefined)
      assert.equal(await store().sessions.deleteBySid(s.sid), true)
      assert.equal(await store().sessions.deleteBySid(s.sid), false)
      assert.equal(await store().sessions.find(s.hash), undefined)
      assert.equal(await store().sessions.findBySid(s.sid), undefined)
    })

    test('refresh families remember the session they came from; revoking by sid revokes only those', async () => {
      const user = await newUser()
      const sid = id()
      const family = (familySid: string | null) => ({
        id: id(),
        userId: user.id,
        clientId: 'notes',
        scope: 'openid offline_access',
        cookieBound: false,
        createdAt: T0,
        absoluteExpiresAt: T0 + 86_400_000,
        sid: familySid,
        authTime: familySid ? T0 - 10 : null,
      })
      const token = () => ({ hash: hash(), generation: 0, createdAt: T0, idleExpiresAt: T0 + 3_600_000 })
      const [a, b, c] = [family(sid), family(sid), family(null)]
      const tokens = [token(), token(), token()]
      await store().refresh.createFamily(a, tokens[0]!)
      await store().refresh.createFamily(b, tokens[1]!)
      await store().refresh.createFamily(c, tokens[2]!)
      const read = await store().refresh.findFamily(a.id)
      assert.equal(read?.sid, sid)
      assert.equal(read?.authTime, T0 - 10)
      assert.equal((await store().refresh.findFamily(c.id))?.sid, null)
      assert.equal(await store().refresh.revokeSessionFamilies(sid, 'logout', T0 + 1), 2)
      assert.equal((await store().refresh.findToken(tokens[0]!.hash))?.token.state, 'revoked')
      assert.equal((await store().refresh.findFamily(b.id))?.revokedReason, 'logout')
      assert.equal((await store().refresh.findToken(tokens[2]!.hash))?.token.state, 'active')
      assert.equal(await store().refresh.revokeSessionFamilies(sid, 'logout', T0 + 2), 0)
    })

    test('users start with no profile; setProfile changes only what it is given', async () => {
      const user = await newUser()
      const fresh = await store().users.findById(user.id)
      assert.deepEqual([fresh?.name, fresh?.email, fresh?.emailVerified], [null, null, false])
      assert.equal(
        await store().users.setProfile(user.id, { name: 'Ada Lovelace', email: 'ada@example.com' }, T0 + 1),
        true,
      )
      assert.equal(await store().users.setProfile(user.id, { emailVerified: true }, T0 + 2), true)
      const read = await store().users.findById(user.id)
      assert.deepEqual(
        [read?.name, read?.email, read?.emailVerified, read?.updatedAt],
        ['Ada Lovelace', 'ada@example.com', true, T0 + 2],
      )
      // A new address is not the verified one.
      await store().users.setProfile(user.id, { email: 'ada@example.org' }, T0 + 3)
      assert.equal((await store().users.findById(user.id))?.emailVerified, false)
      await store().users.setProfile(user.id, { name: null }, T0 + 4)
      assert.equal((await store().users.findById(user.id))?.name, null)
      assert.equal((await store().users.findById(user.id))?.email, 'ada@example.org')
      assert.equal(await store().users.setProfile('nobody', { name: 'x' }, T0), false)
    })
  })
}
