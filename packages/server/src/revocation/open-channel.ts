/**
 * @module Picks the revocation channel a deployment has: PostgreSQL LISTEN/NOTIFY, Redis pub/sub when
 * `--redis` is set, both at once when both are (either keeps the set in sync while the other is away),
 * and in-process for SQLite alone (one server, or the workers of `--cluster N` through their primary).
 */

import cluster from 'node:cluster'
import { parsePostgresUrl } from '../store/postgres/connection-url.js'
import { redisRevocationChannel } from '../store/redis/revocation-notices.js'
import { postgresRevocationChannel } from '../store/sql/dialect/postgres-revocation-notices.js'
import { inProcessChannel, type RevocationChannel } from './channel.js'
import { clusterWorkerChannel } from './cluster-channel.js'
import { combinedChannel } from './combined-channel.js'

export function openRevocationChannel(database: string, redis: string | undefined): RevocationChannel {
  const postgres = /^postgres(ql)?:\/\//.test(database) ? parsePostgresUrl(database) : undefined
  const pg = postgres ? postgresRevocationChannel(postgres.connectionString, postgres.schema) : undefined
  // The same namespace as the store's Redis keys, so tenants sharing a Redis never hear each other.
  const viaRedis = redis
    ? redisRevocationChannel(redis, postgres ? `tessera:${postgres.schema}:` : 'tessera:')
    : undefined
  if (viaRedis && pg) return combinedChannel([viaRedis, pg])
  return viaRedis ?? pg ?? (cluster.isWorker ? clusterWorkerChannel() : inProcessChannel())
}
