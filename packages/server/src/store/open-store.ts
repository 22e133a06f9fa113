/**
 * @module Opens the Store a `--database` URL names — `sqlite:<path>` or `postgres://…` — with Redis in
 * front of it when `--redis` is given.
 */
import { ConfigInvalid } from '../errors.js'
import { PostgresStore } from './postgres/postgres-store.js'
import { RedisBackedStore } from './redis/redis-store.js'
import { SqliteStore } from './sqlite/sqlite-store.js'
import type { Store } from './types.js'

export interface OpenStoreOptions {
  busyTimeoutMs?: number
  /** `redis://…`: sessions, counters, the revoked-sid list and key notices go there. */
  redis?: string | undefined
  /** Kept revoked-sid markers this long (access-token lifetime plus clock skew). */
  revokedTtlMs?: number
}

async function openSql(database: string, options: OpenStoreOptions): Promise<Store> {
  if (database.startsWith('sqlite:')) return new SqliteStore(database.slice('sqlite:'.length), options)
  if (/^postgres(ql)?:\/\//.test(database)) return PostgresStore.open(database)
  throw new ConfigInvalid('--database', 'must be sqlite:<path> or postgres://…')
}

/** Redis keys are namespaced per database (its schema), so tests and tenants sharing one Redis never mix. */
function redisPrefix(store: Store): string {
  return store instanceof PostgresStore ? `tessera:${store.schema}:` : 'tessera:'
}

export async function openStore(database: string, options: OpenStoreOptions = {}): Promise<Store> {
  const sql = await openSql(database, options)
  if (!options.redis) return sql
  try {
    return await RedisBackedStore.open(options.redis, sql, {
      prefix: redisPrefix(sql),
      ...(options.revokedTtlMs ? { revokedTtlMs: options.revokedTtlMs } : {}),
    })
  } catch (error) {
    await sql.close()
    throw error
  }
}

/** The SQLite file path of a `sqlite:` URL (undefined for other stores or `:memory:`). */
export function sqlitePath(database: string): string | undefined {
  if (!database.startsWith('sqlite:')) return undefined
  const path = database.slice('sqlite:'.length)
  return path === ':memory:' ? undefined : path
}
