/**
 * @module The revoked-session list in Redis: a marker per revoked refresh family (and per user for
 * "all of them"), kept for one access-token lifetime, in front of a 30 s cache of live families, so the
 * per-request "is this session still alive" check of `/me` and introspection is one Redis round trip.
 * Redis away: every lookup misses and SQL answers (slower, still correct); marks are best effort, which
 * the 30 s cache bound makes safe.
 */
import type { Redis } from 'ioredis'
import type { RefreshFamily, RevokedSessionRepository } from '../types.js'
import type { RedisKeys } from './connection.js'

/** A live family is trusted from the cache for at most this long (bounds staleness if a marker write fails). */
const FAMILY_CACHE_MS = 30_000

/** Returns the cached family JSON unless its sid, or its user, was revoked after it was cached. */
const FAMILY_LOOKUP = `
local revoked = redis.call('EXISTS', KEYS[1])
if revoked == 1 then return false end
local cached = redis.call('GET', KEYS[2])
if not cached then return false end
local family = cjson.decode(cached)
local userRevokedAt = redis.call('GET', ARGV[1] .. family.userId)
if userRevokedAt and tonumber(userRevokedAt) >= family.createdAt then return false end
return cached`

export class RedisRevokedSessions implements RevokedSessionRepository {
  readonly #redis: Redis
  readonly #k: RedisKeys
  readonly #ttlMs: number

  constructor(redis: Redis, keys: RedisKeys, revokedTtlMs: number) {
    this.#redis = redis
    this.#k = keys
    this.#ttlMs = revokedTtlMs
  }

  async cachedFamily(id: string): Promise<RefreshFamily | undefined> {
    try {
      const cached = (await this.#redis.eval(
        FAMILY_LOOKUP,
        2,
        this.#k.key('revoked-sid', id),
        this.#k.key('family', id),
        this.#k.key('revoked-user', ''),
      )) as string | null
      return cached ? (JSON.parse(cached) as RefreshFamily) : undefined
    } catch {
      return undefined
    }
  }

  async cacheFamily(family: RefreshFamily): Promise<void> {
    await this.#redis
      .set(this.#k.key('family', family.id), JSON.stringify(family), 'PX', FAMILY_CACHE_MS)
      .catch(() => {})
  }

  async markFamilyRevoked(id: string): Promise<void> {
    await this.#redis
      .multi()
      .set(this.#k.key('revoked-sid', id), '1', 'PX', this.#ttlMs)
      .del(this.#k.key('family', id))
      .exec()
      .catch(() => {})
  }

  async markUserRevoked(userId: string, at: number): Promise<void> {
    await this.#redis.set(this.#k.key('revoked-user', userId), String(at), 'PX', this.#ttlMs).catch(() => {})
  }
}
