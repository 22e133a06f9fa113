/**
 * @module Upgrades keep data: a database built by the first release's own migrations (SQLite file and
 * PostgreSQL schema, from test/store/fixtures/) and filled the way that release wrote its rows is opened
 * by today's store. It migrates in place — the missing `refresh_tokens_one_active` index added, the old
 * `schema_migrations` left as it was — and then reads back the same schema as a fresh database, its
 * users log in, its refresh token rotates (and its rotated one is caught as reuse), its session, key,
 * audit event and counter read back unchanged.
 */
import assert from 'node:assert/strict'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import Database from 'better-sqlite3'
import pg from 'pg'
import { manualClock, openSqlStore, type SqlStore } from '../../src/index.js'
import { appliedMigrations } from '../../src/store/sql/migrations/migrate.js'
import { PasswordHasher } from '../../src/users/password-hash.js'
import { UserService } from '../../src/users/user-service.js'
import { freshDatabase, PG_BASE, servicesMissing, skipLoudly } from '../helpers/services.js'
import { tempDir } from '../helpers/test-server.js'
import { POSTGRES_MIGRATIONS } from './fixtures/release-1-postgres-migrations.js'
import { SQLITE_MIGRATIONS } from './fixtures/release-1-sqlite-migrations.js'
import { postgresSchema, type SchemaShape, sqliteSchema } from './schema-readback.js'
import { T0, testPolicy } from './store-conformance.js'

const PASSWORD = 'correct horse battery staple'
const HOUR = 3_600_000

/** The rows as the first release wrote them: `?` placeholders, flags as the dialect stored them. */
function releaseOneRows(passwordHash: string, yes: unknown, no: unknown): [string, unknown[]][] {
  return [
    [
      'INSERT INTO users (id, username, password_hash, disabled, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
      ['u-ada', 'ada', passwordHash, no, T0, T0],
    ],
    [
      `INSERT INTO refresh_families (id, user_id, client_id, scope, cookie_bound, created_at, absolute_expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ['fam-1', 'u-ada', 'web', 'api', yes, T0, T0 + 720 * HOUR],
    ],
    [
      `INSERT INTO refresh_tokens (hash, family_id, generation, state, created_at, idle_expires_at, rotated_at, successor_hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ['h0', 'fam-1', 0, 'rotated', T0, T0 + HOUR, T0 + 60_000, 'h1'],
    ],
    [
      `INSERT INTO refresh_tokens (hash, family_id, generation, state, created_at, idle_expires_at)
       VALUES (?, ?, ?, 'active', ?, ?)`,
      ['h1', 'fam-1', 1, T0 + 60_000, T0 + 60_000 + HOUR],
    ],
    [
      `INSERT INTO sessions (hash, user_id, created_at, last_seen_at, idle_expires_at, absolute_expires_at, csrf_token)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ['sh-1', 'u-ada', T0, T0, T0 + HOUR, T0 + 8 * HOUR, 'csrf-1'],
    ],
    [
      `INSERT INTO signing_keys (kid, alg, public_jwk, encrypted_private_jwk, created_at, activates_at, retires_at, remove_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ['kid-1', 'ES256', '{"kty":"EC","crv":"P-256","x":"x","y":"y"}', 'c2VhbGVk', T0, T0, null, null],
    ],
    [
      'INSERT INTO audit_events (at, type, user_id, family_id, ip, detail) VALUES (?, ?, ?, ?, ?, ?)',
      [T0, 'login', 'u-ada', 'fam-1', '192.0.2.7', JSON.stringify({ client: 'web' })],
    ],
    ['INSERT INTO throttle (key, count, first_at, last_at) VALUES (?, ?, ?, ?)', ['user:ada', 2, T0, T0 + 5]],
  ]
}

async function checkUpgraded(store: SqlStore, passwordHash: string): Promise<void> {
  assert.deepEqual(await appliedMigrations(store.dialect), [
    '0001-initial-schema',
    '0002-one-active-token',
    '0003-openid-connect',
    '0004-dpop',
    '0005-revocation-indexes',
  ])
  const ada = await store.users.findByUsername('ada')
  assert.deepEqual(ada, {
    id: 'u-ada',
    username: 'ada',
    passwordHash,
    disabled: false,
    name: null,
    email: null,
    emailVerified: false,
    createdAt: T0,
    updatedAt: T0,
  })
  // Read before the login below, which clears it.
  assert.deepEqual(await store.throttle.get('user:ada'), {
    key: 'user:ada',
    count: 2,
    firstAt: T0,
    lastAt: T0 + 5,
  })
  const clock = manualClock(T0 + 120_000)
  const policy = {
    minLength: 12,
    accountFreeFailures: 3,
    accountMaxBackoff: 60,
    ipMaxFailures: 100,
    ipWindow: 900,
  }
  const users = new UserService({ store, clock, policy })
  assert.equal((await users.authenticate('ada', PASSWORD)).id, 'u-ada')

  const found = await store.refresh.findToken('h1')
  assert.deepEqual(found?.family, {
    id: 'fam-1',
    userId: 'u-ada',
    clientId: 'web',
    scope: 'api',
    cookieBound: true,
    createdAt: T0,
    absoluteExpiresAt: T0 + 720 * HOUR,
    revokedAt: null,
    revokedReason: null,
    sid: null,
    authTime: null,
    dpopJkt: null,
  })
  const now = T0 + 120_000
  const successor = { hash: 'h2', generation: 2, createdAt: now, idleExpiresAt: now + HOUR }
  assert.deepEqual(await store.refresh.rotate('h1', now, testPolicy(successor, now)), {
    outcome: 'rotated',
    successor: 'h2',
  })
  assert.deepEqual(await store.refresh.rotate('h0', now, testPolicy(successor, now)), { outcome: 'reused' })
  assert.equal((await store.refresh.findFamily('fam-1'))?.revokedReason, 'reuse')

  // An earlier session becomes a provider session: a fresh random sid, signed in when it began, by password.
  const session = await store.sessions.find('sh-1')
  assert.match(session?.sid ?? '', /^[\w-]{22}$/)
  assert.deepEqual(session, {
    hash: 'sh-1',
    userId: 'u-ada',
    createdAt: T0,
    lastSeenAt: T0,
    idleExpiresAt: T0 + HOUR,
    absoluteExpiresAt: T0 + 8 * HOUR,
    csrfToken: 'csrf-1',
    sid: session?.sid,
    authTime: T0,
    amr: ['pwd'],
  })
  assert.equal((await store.sessions.findBySid(session!.sid))?.hash, 'sh-1')
  assert.deepEqual(await store.signingKeys.list(), [
    {
      kid: 'kid-1',
      alg: 'ES256',
      publicJwk: '{"kty":"EC","crv":"P-256","x":"x","y":"y"}',
      encryptedPrivateJwk: 'c2VhbGVk',
      createdAt: T0,
      activatesAt: T0,
      retiresAt: null,
      removeAt: null,
    },
  ])
  const events = await store.audit.list({ limit: 10, userId: 'u-ada' })
  assert.deepEqual(events.at(-1), {
    at: T0,
    type: 'login',
    userId: 'u-ada',
    familyId: 'fam-1',
    ip: '192.0.2.7',
    detail: { client: 'web' },
  })
}

/** The upgraded schema is the fresh one, plus the first release's own `schema_migrations`. */
function assertSameAsFresh(upgraded: SchemaShape, fresh: SchemaShape): void {
  assert.ok(upgraded.schema_migrations, 'the old schema_migrations table is kept')
  const { schema_migrations: _, ...rest } = upgraded
  assert.deepEqual(rest, fresh)
}

test('sqlite: a file made by the first release migrates in place and keeps every row', async () => {
  const dir = tempDir()
  const path = join(dir, 'release-1.db')
  const freshPath = join(dir, 'fresh.db')
  const passwordHash = await new PasswordHasher().hash(PASSWORD)
  try {
    const old = new Database(path)
    old.pragma('journal_mode = WAL')
    old.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
    )
    for (const m of SQLITE_MIGRATIONS) {
      old.exec(m.sql)
      old
        .prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
        .run(m.version, m.name, T0)
    }
    for (const [sql, values] of releaseOneRows(passwordHash, 1, 0)) old.prepare(sql).run(...values)
    assert.equal(
      sqliteSchema(old).refresh_tokens?.indexes.some((i) => i.startsWith('refresh_tokens_one_active')),
      false,
      'the first release had no one-active index on SQLite',
    )
    old.close()

    const store = await openSqlStore(`sqlite:${path}`)
    try {
      await checkUpgraded(store, passwordHash)
    } finally {
      await store.close()
    }
    await (await openSqlStore(`sqlite:${freshPath}`)).close()
    const [upgraded, fresh] = [path, freshPath].map((p) => {
      const db = new Database(p, { readonly: true })
      try {
        return sqliteSchema(db)
      } finally {
        db.close()
      }
    })
    assertSameAsFresh(upgraded!, fresh!)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

const missing = await servicesMissing()
if (missing) {
  skipLoudly('upgrade of a first-release PostgreSQL schema', missing)
} else {
  test('postgres: a schema made by the first release migrates in place and keeps every row', async () => {
    const old = freshDatabase('upgrade')
    const fresh = freshDatabase('upgrade_fresh')
    const client = new pg.Client({ connectionString: PG_BASE })
    const passwordHash = await new PasswordHasher().hash(PASSWORD)
    try {
      await client.connect()
      await client.query(`CREATE SCHEMA ${old.schema}`)
      await client.query(`SET search_path = ${old.schema}`)
      await client.query('BEGIN')
      await client.query(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)',
      )
      for (const m of POSTGRES_MIGRATIONS) {
        await client.query(m.sql)
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
          m.version,
          m.name,
          T0,
        ])
      }
      for (const [sql, values] of releaseOneRows(passwordHash, true, false)) {
        let n = 0
        await client.query(
          sql.replace(/\?/g, () => `$${++n}`),
          values,
        )
      }
      await client.query('COMMIT')

      const store = await openSqlStore(old.url)
      try {
        await checkUpgraded(store, passwordHash)
      } finally {
        await store.close()
      }
      await (await openSqlStore(fresh.url)).close()
      assertSameAsFresh(await postgresSchema(client, old.schema), await postgresSchema(client, fresh.schema))
      assert.deepEqual(
        (await client.query(`SELECT version FROM ${old.schema}.schema_migrations`)).rows.map(
          (r) => r.version,
        ),
        [1],
      )
    } finally {
      await client.end().catch(() => {})
      await old.drop()
      await fresh.drop()
    }
  })
}
