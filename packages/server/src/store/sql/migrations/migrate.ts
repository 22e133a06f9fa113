/**
 * @module The one migration list, run by Kysely's Migrator under the dialect's migration lock, so
 * instances starting together on an empty database migrate it once and the others find nothing to do.
 *
 * Names sort in the order they run. Never edit a shipped migration: add a new one.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { type Kysely, type Migration, Migrator } from 'kysely'
import { StoreUnavailable } from '../../../errors.js'
import type { SqlDialect } from '../dialect/dialect.js'
import { initialSchema } from './0001-initial-schema.js'
import { oneActiveToken } from './0002-one-active-token.js'
import { openIdConnect } from './0003-openid-connect.js'
import { dpop } from './0004-dpop.js'
import { revocationIndexes } from './0005-revocation-indexes.js'

export function migrationList(dialect: SqlDialect): Record<string, Migration> {
  return {
    '0001-initial-schema': { up: (db: Kysely<unknown>) => initialSchema(db, dialect.columns) },
    '0002-one-active-token': { up: (db: Kysely<unknown>) => oneActiveToken(db) },
    '0003-openid-connect': { up: (db: Kysely<unknown>) => openIdConnect(db, dialect.columns) },
    '0004-dpop': { up: (db: Kysely<unknown>) => dpop(db) },
    '0005-revocation-indexes': { up: (db: Kysely<unknown>) => revocationIndexes(db) },
  }
}

function droppedElsewhere(error: unknown, ours: string | undefined): boolean {
  const { code, message } = (error ?? {}) as { code?: string; message?: string }
  return code === '3F000' && ours !== undefined && !String(message).includes(`"${ours}"`)
}

export async function migrate(dialect: SqlDialect): Promise<void> {
  const migrator = new Migrator({
    db: dialect.db,
    provider: { getMigrations: async () => migrationList(dialect) },
    migrationTableName: 'tessera_migrations',
    migrationLockTableName: 'tessera_migrations_lock',
    // Named, because Kysely looks for its tables in every schema: another tenant's would be taken for ours.
    ...(dialect.schema ? { migrationTableSchema: dialect.schema } : {}),
  })
  await dialect.withMigrationLock(async () => {
    let { error, results } = await migrator.migrateToLatest()
    // Kysely's introspection reads every schema of the database (has_schema_privilege per schema); a
    // schema another tenant drops at that moment fails it with 3F000 naming *that* schema. Nothing of
    // ours was touched: try again.
    for (let attempt = 1; attempt < 5 && droppedElsewhere(error, dialect.schema); attempt++) {
      await sleep(20 * attempt)
      ;({ error, results } = await migrator.migrateToLatest())
    }
    if (error) {
      const failed = results?.find((r) => r.status === 'Error')?.migrationName
      if (error instanceof StoreUnavailable) throw error
      throw new StoreUnavailable(
        `the database schema could not be migrated${failed ? ` (migration ${failed})` : ''}: ${(error as Error).message}`,
        { cause: error },
      )
    }
  })
}

/** Names of the migrations applied, oldest first, for tests and `tessera doctor`. */
export async function appliedMigrations(dialect: SqlDialect): Promise<string[]> {
  const db = dialect.db as unknown as Kysely<{ tessera_migrations: { name: string } }>
  const rows = await (dialect.schema ? db.withSchema(dialect.schema) : db)
    .selectFrom('tessera_migrations')
    .select('name')
    .orderBy('name')
    .execute()
  return rows.map((r) => r.name)
}
