/**
 * @module One migration list, two dialects, one schema: both live databases, freshly migrated, are read
 * back (SQLite from its catalogue and pragmas, PostgreSQL from information_schema and pg_catalog) and
 * show the same tables, columns, nullability, keys, indexes — the partial unique index
 * `refresh_tokens_one_active` included — foreign keys and checks.
 */
import assert from 'node:assert/strict'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import Database from 'better-sqlite3'
import pg from 'pg'
import { openSqlStore } from '../../src/index.js'
import { freshDatabase, PG_BASE, servicesMissing, skipLoudly } from '../helpers/services.js'
import { tempDir } from '../helpers/test-server.js'
import { postgresSchema, type SchemaShape, sqliteSchema } from './schema-readback.js'

const TABLES = [
  'audit_events',
  'authorization_codes',
  'backchannel_logouts',
  'consents',
  'oauth_clients',
  'refresh_families',
  'refresh_tokens',
  'replay_ids',
  'session_clients',
  'sessions',
  'signing_keys',
  'tessera_migrations',
  'tessera_migrations_lock',
  'throttle',
  'users',
]

async function sqliteShape(): Promise<SchemaShape> {
  const dir = tempDir()
  const path = join(dir, 'schema.db')
  try {
    await (await openSqlStore(`sqlite:${path}`)).close()
    const db = new Database(path, { readonly: true })
    try {
      return sqliteSchema(db)
    } finally {
      db.close()
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

test('sqlite: the migrated schema has every table, and the one-active-token partial unique index', async () => {
  const shape = await sqliteShape()
  assert.deepEqual(Object.keys(shape).sort(), TABLES)
  assert.ok(
    shape.refresh_tokens?.indexes.includes(
      "refresh_tokens_one_active(family_id) unique where state='active'",
    ),
  )
  assert.deepEqual(shape.refresh_tokens?.checks, ['state in (active, revoked, rotated)'])
})

const missing = await servicesMissing()
if (missing) {
  skipLoudly('schema equality between SQLite and PostgreSQL', missing)
} else {
  test('sqlite and postgres: after migration both live schemas read back the same', async () => {
    const db = freshDatabase('schema')
    const client = new pg.Client({ connectionString: PG_BASE })
    try {
      await (await openSqlStore(db.url)).close()
      await client.connect()
      const postgres = await postgresSchema(client, db.schema)
      const sqlite = await sqliteShape()
      assert.deepEqual(Object.keys(postgres).sort(), TABLES)
      for (const table of TABLES) assert.deepEqual(postgres[table], sqlite[table], `table ${table}`)
    } finally {
      await client.end().catch(() => {})
      await db.drop()
    }
  })
}
