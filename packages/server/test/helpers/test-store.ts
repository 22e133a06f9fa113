/**
 * @module Which store the HTTP suites run on: SQLite by default; PostgreSQL (+ Redis) when
 * TESSERA_TEST_STORE says so (test/e2e/suites-on-postgres.test.ts sets it and re-runs the suites). The
 * schema is derived from the test's temp dir, so a test that restarts its server on the same dir finds
 * its rows again.
 */
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import { dropSchema, REDIS_URL, schemaUrl } from './services.js'

export type TestStoreKind = 'sqlite' | 'postgres' | 'postgres+redis'

export function testStoreKind(): TestStoreKind {
  const kind = process.env.TESSERA_TEST_STORE ?? 'sqlite'
  if (kind !== 'sqlite' && kind !== 'postgres' && kind !== 'postgres+redis')
    throw new Error(`TESSERA_TEST_STORE must be sqlite, postgres or postgres+redis, not "${kind}"`)
  return kind
}

export interface TestStoreSettings {
  database: string
  redis?: string
  /** Drops the PostgreSQL schema (SQLite files go with the temp dir). */
  drop(): Promise<void>
}

export function testStoreSettings(dir: string): TestStoreSettings {
  const kind = testStoreKind()
  if (kind === 'sqlite') return { database: `sqlite:${join(dir, 'tessera.db')}`, async drop() {} }
  const schema = `tessera_e2e_${createHash('sha256').update(dir).digest('hex').slice(0, 16)}`
  return {
    database: schemaUrl(schema),
    ...(kind === 'postgres+redis' ? { redis: REDIS_URL } : {}),
    drop: () => dropSchema(schema),
  }
}
