/**
 * @module The store composed with Redis (`--redis redis://…` beside `--database`): cookie sessions,
 * brute-force counters, single-use ids (DPoP proofs among them) and the revoked-session list are Redis
 * repositories; users, refresh rotation, signing keys and audit are the SQL store's own objects, unwrapped. Signing-key changes are announced
 * on pub/sub as well as by the SQL dialect. Redis failures on sessions and counters (which live only
 * here) are StoreUnavailable (503); on the revoked-session cache they fall back to SQL.
 */
import type { Redis } from 'ioredis'
import type { SqlStore } from '../sql/sql-store.js'
import type { Store } from '../types.js'
import type { RedisKeys } from './connection.js'
import type { RedisKeyNotices } from './key-notices.js'
import { RedisReplay } from './replay.js'
import type { RedisRevokedSessions } from './revoked-sessions.js'
import { RedisSessions } from './sessions.js'
import { RedisThrottle } from './throttle.js'

export interface RedisParts {
  redis: Redis
  keys: RedisKeys
  revokedSessions: RedisRevokedSessions
  notices: RedisKeyNotices
}

export function composeRedisStore(sql: SqlStore, parts: RedisParts): Store {
  const { redis, keys, revokedSessions, notices } = parts
  const store: Store = {
    kind: sql.kind,
    users: sql.users,
    refresh: sql.refresh,
    signingKeys: sql.signingKeys,
    audit: sql.audit,
    clients: sql.clients,
    codes: sql.codes,
    consents: sql.consents,
    sessionClients: sql.sessionClients,
    backchannelLogouts: sql.backchannelLogouts,
    replay: new RedisReplay(redis, keys),
    sessions: new RedisSessions(redis, keys),
    throttle: new RedisThrottle(redis, keys),
    revokedSessions,
    revocations: sql.revocations,
    // SQL rows; Redis entries expire by themselves.
    purgeExpired: (now) => sql.purgeExpired(now),
    watchSigningKeys(listener) {
      const fromRedis = notices.watch(listener)
      // The SQL dialect's own notices (PostgreSQL NOTIFY) still help when Redis is away.
      const fromSql = sql.watchSigningKeys?.(listener)
      return () => {
        fromRedis()
        fromSql?.()
      }
    },
    async close() {
      notices.close()
      redis.disconnect()
      await sql.close()
    },
  }
  if (sql.exclusive) store.exclusive = sql.exclusive
  return store
}
