/**
 * @module Picks the revocation channel a deployment has: Redis pub/sub when `--redis` is set (the
 * instances already share it), else PostgreSQL LISTEN/NOTIFY, else in-process (SQLite is one server).
 */
import { parsePostgresUrl } from '../store/postgres/connection-url.js'
import { redisRevocationChannel } from '../store/redis/revocation-notices.js'
import { postgresRevocationChannel } from '../store/sql/dialect/postgres-revocation-notices.js'
import { inProcessChannel, type RevocationChannel } from './channel.js'

export function openRevocationChannel(database: string, redis: string | undefined): RevocationChannel {
  const postgres = /^postgres(ql)?:\/\//.test(database) ? parsePostgresUrl(database) : undefined
  // The same namespace as the store's Redis keys, so tenants sharing a Redis never hear each other.
  if (redis) return redisRevocationChannel(redis, postgres ? `tessera:${postgres.schema}:` : 'tessera:')
  if (postgres) return postgresRevocationChannel(postgres.connectionString, postgres.schema)
  return inProcessChannel()
}
