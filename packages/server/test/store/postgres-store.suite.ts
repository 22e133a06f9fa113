/**
 * @module The Store conformance suite on PostgreSQL, alone and with Redis in front, plus PostgreSQL
 * specifics: instances starting together migrate once (advisory lock), and the database itself refuses
 * a second live token in a family. Registered by test/scale/on-postgres.test.ts.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { createServices, loadConfig, manualClock } from '../../src/index.js'
import { openSqlStore, openStore } from '../../src/store/open-store.js'
import { appliedMigrations } from '../../src/store/sql/migrations/migrate.js'
import { freshDatabase, REDIS_URL } from '../helpers/services.js'
import { storeConformance } from './store-conformance.js'

export function postgresStoreSuite(): void {
  for (const withRedis of [false, true]) {
    let url = ''
    const options = withRedis ? { redis: REDIS_URL } : {}
    storeConformance({
      name: withRedis ? 'postgres + redis' : 'postgres',
      openAnother: () => openStore(url, options),
      async open() {
        const db = freshDatabase('store')
        url = db.url
        const store = await openStore(db.url, options)
        return {
          store,
          async cleanup() {
            await store.close()
            await db.drop()
          },
        }
      },
    })
  }

  test('postgres: migrating while other schemas of the database are dropped still succeeds (another tenant, another test)', async () => {
    // Kysely's migrator introspects every schema; one dropped mid-query used to fail our migration.
    const others = Array.from({ length: 6 }, () => freshDatabase('dropped'))
    const ours = Array.from({ length: 4 }, () => freshDatabase('beside_drops'))
    try {
      const churn = (async () => {
        for (let round = 0; round < 4; round++) {
          await Promise.all(others.map((o) => openSqlStore(o.url).then((s) => s.close())))
          await Promise.all(others.map((o) => o.drop()))
        }
      })()
      const stores = await Promise.all(
        ours.map(async (db) => {
          await sleep(Math.random() * 50)
          return openSqlStore(db.url)
        }),
      )
      await churn
      for (const store of stores) {
        assert.deepEqual(await store.users.list(), [])
        await store.close()
      }
    } finally {
      await Promise.all([...others, ...ours].map((db) => db.drop()))
    }
  })

  test('postgres: eight instances opening a fresh schema together migrate it exactly once', async () => {
    const db = freshDatabase('migrate')
    try {
      const stores = await Promise.all(Array.from({ length: 8 }, () => openSqlStore(db.url)))
      for (const store of stores)
        assert.deepEqual(await appliedMigrations(store.dialect), [
          '0001-initial-schema',
          '0002-one-active-token',
          '0003-openid-connect',
          '0004-dpop',
          '0005-revocation-indexes',
        ])
      await Promise.all(
        stores.map((s, i) =>
          s.users.create({ id: `u${i}`, username: `user${i}`, passwordHash: 'h', createdAt: 1 }),
        ),
      )
      assert.equal((await stores[0]!.users.list()).length, 8)
      await Promise.all(stores.map((s) => s.close()))
    } finally {
      await db.drop()
    }
  })

  test('postgres: an unreachable server is ERR_STORE_UNAVAILABLE at open, quickly', async () => {
    const started = Date.now()
    await assert.rejects(openStore('postgres://postgres@127.0.0.1:1/test', { connectTimeoutMs: 1000 }), {
      code: 'ERR_STORE_UNAVAILABLE',
      message: /PostgreSQL database is unreachable \(ECONNREFUSED\)/,
    })
    assert.ok(Date.now() - started < 5000)
  })

  test('redis: an unreachable Redis is ERR_STORE_UNAVAILABLE at open, and the SQL store is closed', async () => {
    const db = freshDatabase('redis_down')
    try {
      await assert.rejects(openStore(db.url, { redis: 'redis://127.0.0.1:1' }), {
        code: 'ERR_STORE_UNAVAILABLE',
        message: /cannot reach Redis/,
      })
    } finally {
      await db.drop()
    }
  })

  for (const withRedis of [false, true]) {
    test(`${withRedis ? 'postgres + redis (pub/sub)' : 'postgres (NOTIFY)'}: a key written by one store is announced to another within a second`, async () => {
      const db = freshDatabase('notice')
      const options = withRedis ? { redis: REDIS_URL } : {}
      const [writer, watcher] = await Promise.all([openStore(db.url, options), openStore(db.url, options)])
      try {
        // The first notices say "subscribed" (a key written before that had no one to tell).
        let notices = 0
        const unwatch = watcher.watchSigningKeys!(() => {
          notices++
        })
        while (notices === 0) await sleep(10)
        await sleep(300)
        const before = notices
        const started = Date.now()
        await writer.signingKeys.insert({
          kid: 'k-notice',
          alg: 'ES256',
          publicJwk: '{}',
          encryptedPrivateJwk: 'sealed',
          createdAt: 1,
          activatesAt: 1,
          retiresAt: null,
          removeAt: null,
        })
        while (notices === before && Date.now() - started < 1000) await sleep(5)
        assert.ok(notices > before, 'no notice within 1 s')
        unwatch()
      } finally {
        await Promise.all([writer.close(), watcher.close()])
        await db.drop()
      }
    })
  }

  test('postgres: exclusive() lets one store in at a time; the other is told no without waiting', async () => {
    const db = freshDatabase('lock')
    const [one, two] = await Promise.all([openSqlStore(db.url), openSqlStore(db.url)])
    try {
      const inner = await one.exclusive!('job', async () => {
        assert.equal(await two.exclusive!('job', async () => 'two ran'), undefined)
        assert.equal(await two.exclusive!('other job', async () => 'other ran'), 'other ran')
        return 'one ran'
      })
      assert.equal(inner, 'one ran')
      assert.equal(await two.exclusive!('job', async () => 'two ran'), 'two ran')
    } finally {
      await Promise.all([one.close(), two.close()])
      await db.drop()
    }
  })

  test('postgres: three instances starting together on an empty schema create one first signing key per algorithm', async () => {
    const db = freshDatabase('first_key')
    const config = loadConfig({ database: db.url, secret: 'first-key-secret-0123456789-abcdefghijkl' })
    const all = await Promise.all(Array.from({ length: 3 }, () => createServices(config)))
    try {
      // ES256 for access tokens; RS256, ES256 and EdDSA for ID tokens (--id-token-algs).
      const algs = (await all[0]!.store.signingKeys.list()).map((k) => k.alg).sort()
      assert.deepEqual(algs, ['ES256', 'EdDSA', 'RS256'])
      const kids = all.map((s) =>
        s.keys
          .list()
          .map((k) => k.kid)
          .join(),
      )
      assert.deepEqual(kids, [kids[0], kids[0], kids[0]])
    } finally {
      await Promise.all(all.map((s) => s.close()))
      await db.drop()
    }
  })

  test('postgres: three instances whose housekeeping finds the rotation due at once add exactly one key per algorithm', async () => {
    const db = freshDatabase('tick')
    const clock = manualClock(Date.now())
    const config = loadConfig({ database: db.url, secret: 'tick-secret-0123456789-abcdefghijklmnop' })
    const first = await createServices(config, { clock })
    const others = await Promise.all([createServices(config, { clock }), createServices(config, { clock })])
    const all = [first, ...others]
    try {
      assert.equal((await first.store.signingKeys.list()).length, 3)
      clock.advance(config.keyRotationInterval * 1000)
      await Promise.all(all.map((s) => s.keys.tick()))
      assert.equal((await first.store.signingKeys.list()).length, 6)
    } finally {
      await Promise.all(all.map((s) => s.close()))
      await db.drop()
    }
  })
}
