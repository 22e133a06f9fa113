/**
 * @module Opens the Store a `--database` URL names — `sqlite:<path>` or `postgres://…` — migrated, and
 * composed with Redis repositories when `--redis` is given.
 */
import { ConfigInvalid } from '../errors.js'
import { connectRedis, RedisKeys } from './redis/connection.js'
import { RedisKeyNotices } from './redis/key-notices.js'
import { composeRedisStore } from './redis/redis-store.js'
import { RedisRevokedSessions } from './redis/revoked-sessions.js'
import type { SqlDialect } from './sql/dialect/dialect.js'
import { type PostgresOptions, postgresDialect } from './sql/dialect/postgres.js'
import { sqliteDialect } from './sql/dialect/sqlite.js'
import { SqlStore } from './sql/sql-store.js'
import type { Store } from './types.js'

export interface OpenStoreOptions extends PostgresOptions {
  /** SQLite: milliseconds a writer waits for another process's lock before giving up (503). */
  busyTimeoutMs?: number
  /** `redis://…`: sessions, counters, the revoked-sid list and key notices go there. */
  redis?: string | undefined
  /** Kept revoked-sid markers this long (access-token lifetime plus clock skew). */
  revokedTtlMs?: number
}

export function openDialect(database: string, options: OpenStoreOptions = {}): SqlDialect {
  if (database.startsWith('sqlite:'))
    return sqliteDialect(database.slice('sqlite:'.length), {
      ...(options.busyTimeoutMs ? { busyTimeoutMs: options.busyTimeoutMs } : {}),
    })
  if (/^postgres(ql)?:\/\//.test(database)) return postgresDialect(database, options)
  throw new ConfigInvalid('--database', 'must be sqlite:<path> or postgres://…')
}

/** Opens and migrates the SQL store alone (no Redis). */
export function openSqlStore(database: string, options: OpenStoreOptions = {}): Promise<SqlStore> {
  return SqlStore.open(openDialect(database, options))
}

export async function openStore(database: string, options: OpenStoreOptions = {}): Promise<Store> {
  const dialect = openDialect(database, options)
  if (!options.redis) return SqlStore.open(dialect)
  let redis: Awaited<ReturnType<typeof connectRedis>>
  try {
    redis = await connectRedis(options.redis)
  } catch (error) {
    await dialect.close()
    throw error
  }
  // Redis keys are namespaced per database (its schema), so tests and tenants sharing one Redis never mix.
  const keys = new RedisKeys(dialect.schema ? `tessera:${dialect.schema}:` : 'tessera:')
  const revokedSessions = new RedisRevokedSessions(redis, keys, options.revokedTtlMs ?? 3600_000)
  const notices = new RedisKeyNotices(redis, keys)
  try {
    const sql = await SqlStore.open(dialect, {
      revokedSessions,
      signingKeysChanged: (kid) => notices.publish(kid),
    })
    return composeRedisStore(sql, { redis, keys, revokedSessions, notices })
  } catch (error) {
    redis.disconnect()
    throw error
  }
}

/** The SQLite file path of a `sqlite:` URL (undefined for other stores or `:memory:`). */
export function sqlitePath(database: string): string | undefined {
  if (!database.startsWith('sqlite:')) return undefined
  const path = database.slice('sqlite:'.length)
  return path === ':memory:' ? undefined : path
}
