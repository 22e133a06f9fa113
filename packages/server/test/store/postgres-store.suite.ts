/**
 * @module The Store conformance suite on PostgreSQL, alone and with Redis in front, plus PostgreSQL
 * specifics: instances starting together migrate once (advisory lock), and the database itself refuses
 * a second live token in a family. Registered by test/scale/on-postgres.test.ts.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { openStore } from '../../src/store/open-store.js'
import { PostgresStore } from '../../src/store/postgres/postgres-store.js'
import { freshDatabase, REDIS_URL } from '../helpers/services.js'
import { storeConformance } from './store-conformance.js'

export function postgresStoreSuite(): void {
  for (const withRedis of [false, true]) {
    storeConformance({
      name: withRedis ? 'postgres + redis' : 'postgres',
      async open() {
        const db = freshDatabase('store')
        const store = await openStore(db.url, withRedis ? { redis: REDIS_URL } : {})
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

  test('postgres: eight instances opening a fresh schema together migrate it exactly once', async () => {
    const db = freshDatabase('migrate')
    try {
      const stores = await Promise.all(Array.from({ length: 8 }, () => PostgresStore.open(db.url)))
      for (const store of stores) assert.deepEqual(await store.appliedMigrations(), [1])
      await Promise.all(stores.map((s) => s.close()))
    } finally {
      await db.drop()
    }
  })

  test('postgres: an unreachable server is ERR_STORE_UNAVAILABLE at open, quickly', async () => {
    const started = Date.now()
    await assert.rejects(
      PostgresStore.open('postgres://postgres@127.0.0.1:1/test', { connectTimeoutMs: 1000 }),
      {
        code: 'ERR_STORE_UNAVAILABLE',
        message: /PostgreSQL database is unreachable \(ECONNREFUSED\)/,
      },
    )
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
        await writer.insertSigningKey({
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
}
