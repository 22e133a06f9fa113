/**
 * @module The Store conformance suite on SQLite (a real file in a temp dir, and a second store on the
 * same file for cross-instance races), plus SQLite specifics: migrations recorded once, a reopen keeps
 * the data, several stores opening one empty file together migrate it once.
 */
import assert from 'node:assert/strict'
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { openSqlStore, openStore } from '../../src/index.js'
import { appliedMigrations } from '../../src/store/sql/migrations/migrate.js'
import { tempDir } from '../helpers/test-server.js'
import { storeConformance } from './store-conformance.js'

let shared: string | undefined
storeConformance({
  name: 'sqlite',
  async open() {
    const dir = tempDir()
    shared = `sqlite:${join(dir, 'store.db')}`
    const store = await openStore(shared)
    return {
      store,
      async cleanup() {
        await store.close()
        rmSync(dir, { recursive: true, force: true })
      },
    }
  },
  openAnother: () => openStore(shared!),
})

const ALL = [
  '0001-initial-schema',
  '0002-one-active-token',
  '0003-openid-connect',
  '0004-dpop',
  '0005-revocation-indexes',
]

test('sqlite: migrations are applied once and a reopened file keeps its rows', async () => {
  const dir = tempDir()
  const url = `sqlite:${join(dir, 'reopen.db')}`
  const first = await openSqlStore(url)
  assert.deepEqual(await appliedMigrations(first.dialect), ALL)
  await first.users.create({ id: 'u1', username: 'henry', passwordHash: 'h', createdAt: 1 })
  await first.close()
  const second = await openSqlStore(url)
  assert.deepEqual(await appliedMigrations(second.dialect), ALL)
  assert.equal((await second.users.findByUsername('henry'))?.id, 'u1')
  await second.close()
  rmSync(dir, { recursive: true, force: true })
})

test('sqlite: six stores opening one empty file at once migrate it once and all work', async () => {
  const dir = tempDir()
  const url = `sqlite:${join(dir, 'together.db')}`
  const stores = await Promise.all(Array.from({ length: 6 }, () => openSqlStore(url)))
  try {
    for (const store of stores) assert.deepEqual(await appliedMigrations(store.dialect), ALL)
    await Promise.all(
      stores.map((s, i) =>
        s.users.create({ id: `u${i}`, username: `user${i}`, passwordHash: 'h', createdAt: 1 }),
      ),
    )
    assert.equal((await stores[0]!.users.list()).length, 6)
  } finally {
    await Promise.all(stores.map((s) => s.close()))
    rmSync(dir, { recursive: true, force: true })
  }
})

test('sqlite: a file that is not a SQLite database is refused at open with ERR_STORE_UNAVAILABLE', async () => {
  const dir = tempDir()
  const path = join(dir, 'garbage.db')
  writeFileSync(path, 'this is not a database'.repeat(100))
  await assert.rejects(openStore(`sqlite:${path}`), {
    code: 'ERR_STORE_UNAVAILABLE',
    message: /SQLITE_NOTADB/,
  })
  rmSync(dir, { recursive: true, force: true })
})
