/**
 * @module The Store conformance suite on SQLite (a real file in a temp dir), plus SQLite specifics:
 * migrations recorded once, and a reopen keeps the data.
 */
import assert from 'node:assert/strict'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { SqliteStore } from '../../src/index.js'
import { tempDir } from '../helpers/test-server.js'
import { storeConformance } from './store-conformance.js'

storeConformance({
  name: 'sqlite',
  async open() {
    const dir = tempDir()
    const store = new SqliteStore(join(dir, 'store.db'))
    return {
      store,
      async cleanup() {
        await store.close()
        rmSync(dir, { recursive: true, force: true })
      },
    }
  },
})

test('sqlite: migrations are applied once and a reopened file keeps its rows', async () => {
  const dir = tempDir()
  const path = join(dir, 'reopen.db')
  const first = new SqliteStore(path)
  assert.deepEqual(first.appliedMigrations(), [1])
  await first.createUser({ id: 'u1', username: 'henry', passwordHash: 'h', createdAt: 1 })
  await first.close()
  const second = new SqliteStore(path)
  assert.deepEqual(second.appliedMigrations(), [1])
  assert.equal((await second.findUserByUsername('henry'))?.id, 'u1')
  await second.close()
  rmSync(dir, { recursive: true, force: true })
})

test('sqlite: a file that is not a SQLite database is refused at open with ERR_STORE_UNAVAILABLE', async () => {
  const dir = tempDir()
  const path = join(dir, 'garbage.db')
  const { writeFileSync } = await import('node:fs')
  writeFileSync(path, 'this is not a database'.repeat(100))
  assert.throws(() => new SqliteStore(path), { code: 'ERR_STORE_UNAVAILABLE', message: /SQLITE_NOTADB/ })
  rmSync(dir, { recursive: true, force: true })
})
