/**
 * @module A Store that keeps what must be shared and fast in Redis and everything else in the SQL store
 * it wraps (`--redis redis://…` beside `--database`):
 * - cookie sessions, with a Redis TTL so abandoned ones vanish on their own (expiry itself is still
 *   decided by the caller's clock, as with every store);
 * - brute-force counters, one atomic Lua step per hit, shared by every instance;
 * - the revoked-`sid` list: a marker per revoked refresh family, kept for one access-token lifetime,
 *   in front of a 30 s cache of live families, so the per-request "is this session still alive" check
 *   of `/me` and introspection is one Redis round trip instead of a SQL query;
 * - signing-key notices on pub/sub, so every instance reloads its key ring at once.
 * Refresh rotation, users, keys and audit stay in SQL, the source of truth. Redis failures on the cache
 * path fall back to SQL; on sessions and counters (which live only here) they are StoreUnavailable (503).
 */
import { Redis } from 'ioredis'
import { StoreUnavailable } from '../../errors.js'
import type {
  AuditEvent,
  ConsumeRefreshInput,
  ConsumeRefreshResult,
  NewRefreshToken,
  NewUser,
  RefreshFamily,
  SessionRecord,
  SigningKeyRecord,
  Store,
  ThrottleRecord,
  UserRecord,
} from '../types.js'

export interface RedisStoreOptions {
  /** Key and channel prefix: instances sharing one database must share it (default `tessera:`). */
  prefix?: string
  /** How long a revoked-family marker is kept: at least the access-token lifetime plus clock skew. */
  revokedTtlMs?: number
}

/** A live family is trusted from the cache for at most this long (bounds staleness if a marker write fails). */
const FAMILY_CACHE_MS = 30_000
/** Abandoned sessions and counters are kept this much longer than they can matter, then dropped. */
const TTL_MARGIN_MS = 60_000

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

/** The same window rules as the SQL stores' `hitThrottle`, atomically. */
const THROTTLE_HIT = `
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local first = tonumber(redis.call('HGET', KEYS[1], 'first_at'))
local count
if (not first) or (now - first >= window) then
  first = now
  count = 1
  redis.call('HSET', KEYS[1], 'count', 1, 'first_at', now, 'last_at', now)
else
  count = redis.call('HINCRBY', KEYS[1], 'count', 1)
  redis.call('HSET', KEYS[1], 'last_at', now)
end
redis.call('PEXPIRE', KEYS[1], window + tonumber(ARGV[3]))
return {count, tostring(first), tostring(now)}`

/** Updates last-seen and idle expiry of a session that still exists, keeping its TTL. */
const SESSION_TOUCH = `
local raw = redis.call('GET', KEYS[1])
if not raw then return 0 end
local s = cjson.decode(raw)
s.lastSeenAt = tonumber(ARGV[1])
s.idleExpiresAt = tonumber(ARGV[2])
redis.call('SET', KEYS[1], cjson.encode(s), 'KEEPTTL')
return 1`

export class RedisBackedStore implements Store {
  readonly kind: Store['kind']
  readonly #sql: Store
  readonly #redis: Redis
  readonly #prefix: string
  readonly #revokedTtlMs: number
  #subscriber: Redis | undefined
  readonly #keyListeners = new Set<() => void>()
  #unwatchSql: (() => void) | undefined

  private constructor(sql: Store, redis: Redis, options: RedisStoreOptions) {
    this.#sql = sql
    this.kind = sql.kind
    this.#redis = redis
    this.#prefix = options.prefix ?? 'tessera:'
    this.#revokedTtlMs = options.revokedTtlMs ?? 3600_000
  }

  /** Connects to Redis (failing fast when it is not there) and wraps `sql`. */
  static async open(url: string, sql: Store, options: RedisStoreOptions = {}): Promise<RedisBackedStore> {
    const redis = new Redis(url, {
      lazyConnect: true,
      // Fail fast instead of queueing requests while Redis is away: callers get a 503 or the SQL path.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      retryStrategy: (times) => Math.min(times * 200, 2000),
    })
    redis.on('error', () => {})
    try {
      await redis.connect()
    } catch (error) {
      redis.disconnect()
      throw new StoreUnavailable(
        'cannot reach Redis at the --redis URL: start it, or leave --redis out to keep everything in SQL',
        { cause: error },
      )
    }
    return new RedisBackedStore(sql, redis, options)
  }

  #k(kind: string, id: string): string {
    return `${this.#prefix}${kind}:${id}`
  }

  async #r<T>(step: () => Promise<T>): Promise<T> {
    try {
      return await step()
    } catch (error) {
      throw new StoreUnavailable('Redis is unreachable; retry shortly', { cause: error })
    }
  }

  async close(): Promise<void> {
    this.#unwatchSql?.()
    this.#keyListeners.clear()
    this.#subscriber?.disconnect()
    this.#redis.disconnect()
    await this.#sql.close()
  }

  // Users, refresh rotation, keys, audit: SQL. Revocations also leave a marker in Redis.

  createUser(user: NewUser): Promise<UserRecord> {
    return this.#sql.createUser(user)
  }
  findUserByUsername(username: string): Promise<UserRecord | undefined> {
    return this.#sql.findUserByUsername(username)
  }
  findUserById(id: string): Promise<UserRecord | undefined> {
    return this.#sql.findUserById(id)
  }
  listUsers(): Promise<UserRecord[]> {
    return this.#sql.listUsers()
  }
  setPasswordHash(userId: string, passwordHash: string, now: number): Promise<void> {
    return this.#sql.setPasswordHash(userId, passwordHash, now)
  }
  setUserDisabled(userId: string, disabled: boolean, now: number): Promise<boolean> {
    return this.#sql.setUserDisabled(userId, disabled, now)
  }
  createRefreshFamily(
    family: Omit<RefreshFamily, 'revokedAt' | 'revokedReason'>,
    first: NewRefreshToken,
  ): Promise<void> {
    return this.#sql.createRefreshFamily(family, first)
  }
  findRefreshToken(hash: string) {
    return this.#sql.findRefreshToken(hash)
  }

  async findRefreshFamily(id: string): Promise<RefreshFamily | undefined> {
    try {
      const cached = (await this.#redis.eval(
        FAMILY_LOOKUP,
        2,
        this.#k('revoked-sid', id),
        this.#k('family', id),
        `${this.#prefix}revoked-user:`,
      )) as string | null
      if (cached) return JSON.parse(cached) as RefreshFamily
    } catch {
      // Redis away: SQL answers (slower, still correct).
    }
    const family = await this.#sql.findRefreshFamily(id)
    if (family && family.revokedAt === null) {
      this.#redis.set(this.#k('family', id), JSON.stringify(family), 'PX', FAMILY_CACHE_MS).catch(() => {})
    }
    return family
  }

  async #markRevoked(familyId: string): Promise<void> {
    await this.#redis
      .multi()
      .set(this.#k('revoked-sid', familyId), '1', 'PX', this.#revokedTtlMs)
      .del(this.#k('family', familyId))
      .exec()
      .catch(() => {})
  }

  async consumeRefreshToken(input: ConsumeRefreshInput): Promise<ConsumeRefreshResult> {
    const result = await this.#sql.consumeRefreshToken(input)
    if (result.outcome === 'reused') await this.#markRevoked(result.family.id)
    return result
  }

  async revokeRefreshFamily(id: string, reason: string, now: number): Promise<boolean> {
    const changed = await this.#sql.revokeRefreshFamily(id, reason, now)
    await this.#markRevoked(id)
    return changed
  }

  async revokeUserFamilies(userId: string, reason: string, now: number): Promise<number> {
    const count = await this.#sql.revokeUserFamilies(userId, reason, now)
    // Every family created up to `now` is revoked: one marker for the user covers them all.
    await this.#redis
      .set(this.#k('revoked-user', userId), String(now), 'PX', this.#revokedTtlMs)
      .catch(() => {})
    return count
  }

  countActiveFamilies(userId: string, now: number): Promise<number> {
    return this.#sql.countActiveFamilies(userId, now)
  }

  // Sessions: Redis only, JSON per session plus a set per user for "log out everywhere".

  async createSession(s: SessionRecord): Promise<void> {
    const ttl = Math.max(1, s.absoluteExpiresAt - s.lastSeenAt) + TTL_MARGIN_MS
    await this.#r(() =>
      this.#redis
        .multi()
        .set(this.#k('session', s.hash), JSON.stringify(s), 'PX', ttl)
        .sadd(this.#k('user-sessions', s.userId), s.hash)
        .pexpire(this.#k('user-sessions', s.userId), ttl)
        .exec(),
    )
  }

  async findSession(hash: string): Promise<SessionRecord | undefined> {
    const raw = await this.#r(() => this.#redis.get(this.#k('session', hash)))
    return raw ? (JSON.parse(raw) as SessionRecord) : undefined
  }

  async touchSession(hash: string, lastSeenAt: number, idleExpiresAt: number): Promise<void> {
    await this.#r(() =>
      this.#redis.eval(SESSION_TOUCH, 1, this.#k('session', hash), lastSeenAt, idleExpiresAt),
    )
  }

  async deleteSession(hash: string): Promise<boolean> {
    const session = await this.findSession(hash)
    if (!session) return false
    const replies = await this.#r(() =>
      this.#redis
        .multi()
        .del(this.#k('session', hash))
        .srem(this.#k('user-sessions', session.userId), hash)
        .exec(),
    )
    return replies?.[0]?.[1] === 1
  }

  async deleteUserSessions(userId: string): Promise<number> {
    const hashes = await this.#r(() => this.#redis.smembers(this.#k('user-sessions', userId)))
    if (hashes.length === 0) return 0
    const deleted = await this.#r(() => this.#redis.del(...hashes.map((h) => this.#k('session', h))))
    await this.#r(() => this.#redis.del(this.#k('user-sessions', userId)))
    return deleted
  }

  // Signing keys: SQL, plus a pub/sub notice so every instance reloads at once.

  async insertSigningKey(key: SigningKeyRecord): Promise<void> {
    await this.#sql.insertSigningKey(key)
    await this.#redis.publish(`${this.#prefix}signing-keys`, key.kid).catch(() => {})
  }
  listSigningKeys(): Promise<SigningKeyRecord[]> {
    return this.#sql.listSigningKeys()
  }
  async retireSigningKey(kid: string, retiresAt: number, removeAt: number): Promise<void> {
    await this.#sql.retireSigningKey(kid, retiresAt, removeAt)
    await this.#redis.publish(`${this.#prefix}signing-keys`, kid).catch(() => {})
  }
  deleteSigningKeysRemovedBefore(now: number): Promise<number> {
    return this.#sql.deleteSigningKeysRemovedBefore(now)
  }

  exclusive<T>(name: string, work: () => Promise<T>): Promise<T | undefined> {
    // The SQL store's lock (a PostgreSQL advisory lock), or none: then `work` simply runs.
    return this.#sql.exclusive ? this.#sql.exclusive(name, work) : work()
  }

  watchSigningKeys(listener: () => void): () => void {
    this.#keyListeners.add(listener)
    if (!this.#subscriber) {
      // A subscribed connection can do nothing else: a second one, re-subscribed by ioredis on reconnect.
      const subscriber = this.#redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null })
      subscriber.on('error', () => {})
      subscriber.on('message', () => this.#emitKeys())
      // Once subscribed (and again after each reconnect), a key written meanwhile had no one to notify.
      subscriber.on('ready', () => this.#emitKeys())
      subscriber.subscribe(`${this.#prefix}signing-keys`).then(
        () => this.#emitKeys(),
        () => {},
      )
      this.#subscriber = subscriber
      // The SQL store's own notices (PostgreSQL NOTIFY) still help when Redis is away.
      this.#unwatchSql = this.#sql.watchSigningKeys?.(() => this.#emitKeys())
    }
    return () => this.#keyListeners.delete(listener)
  }

  #emitKeys(): void {
    for (const listener of this.#keyListeners) listener()
  }

  appendAudit(event: AuditEvent): Promise<void> {
    return this.#sql.appendAudit(event)
  }
  listAudit(options: { limit: number; userId?: string }): Promise<AuditEvent[]> {
    return this.#sql.listAudit(options)
  }

  // Brute-force counters: Redis only.

  async hitThrottle(key: string, now: number, windowMs: number): Promise<ThrottleRecord> {
    const [count, first, last] = (await this.#r(() =>
      this.#redis.eval(THROTTLE_HIT, 1, this.#k('throttle', key), now, windowMs, TTL_MARGIN_MS),
    )) as [number, string, string]
    return { key, count: Number(count), firstAt: Number(first), lastAt: Number(last) }
  }

  async getThrottle(key: string): Promise<ThrottleRecord | undefined> {
    const h = await this.#r(() => this.#redis.hgetall(this.#k('throttle', key)))
    if (!h.count) return undefined
    return { key, count: Number(h.count), firstAt: Number(h.first_at), lastAt: Number(h.last_at) }
  }

  async clearThrottle(key: string): Promise<void> {
    await this.#r(() => this.#redis.del(this.#k('throttle', key)))
  }

  /** SQL rows; Redis entries expire by themselves. */
  purgeExpired(now: number): Promise<void> {
    return this.#sql.purgeExpired(now)
  }
}
