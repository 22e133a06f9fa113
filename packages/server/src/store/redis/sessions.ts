/**
 * @module Cookie sessions in Redis: JSON per session with a TTL so abandoned ones vanish on their own
 * (expiry itself is still decided by the caller's clock), plus a set per user for "log out everywhere".
 */
import type { Redis } from 'ioredis'
import type { SessionRecord, SessionRepository } from '../types.js'
import { type RedisKeys, required, TTL_MARGIN_MS } from './connection.js'

/** Updates last-seen and idle expiry of a session that still exists, keeping its TTL. */
const SESSION_TOUCH = `
local raw = redis.call('GET', KEYS[1])
if not raw then return 0 end
local s = cjson.decode(raw)
s.lastSeenAt = tonumber(ARGV[1])
s.idleExpiresAt = tonumber(ARGV[2])
redis.call('SET', KEYS[1], cjson.encode(s), 'KEEPTTL')
return 1`

export class RedisSessions implements SessionRepository {
  readonly #redis: Redis
  readonly #k: RedisKeys

  constructor(redis: Redis, keys: RedisKeys) {
    this.#redis = redis
    this.#k = keys
  }

  async create(s: SessionRecord): Promise<void> {
    const ttl = Math.max(1, s.absoluteExpiresAt - s.lastSeenAt) + TTL_MARGIN_MS
    await required(() =>
      this.#redis
        .multi()
        .set(this.#k.key('session', s.hash), JSON.stringify(s), 'PX', ttl)
        .sadd(this.#k.key('user-sessions', s.userId), s.hash)
        .pexpire(this.#k.key('user-sessions', s.userId), ttl)
        .exec(),
    )
  }

  async find(hash: string): Promise<SessionRecord | undefined> {
    const raw = await required(() => this.#redis.get(this.#k.key('session', hash)))
    return raw ? (JSON.parse(raw) as SessionRecord) : undefined
  }

  async touch(hash: string, lastSeenAt: number, idleExpiresAt: number): Promise<void> {
    await required(() =>
      this.#redis.eval(SESSION_TOUCH, 1, this.#k.key('session', hash), lastSeenAt, idleExpiresAt),
    )
  }

  async delete(hash: string): Promise<boolean> {
    const session = await this.find(hash)
    if (!session) return false
    const replies = await required(() =>
      this.#redis
        .multi()
        .del(this.#k.key('session', hash))
        .srem(this.#k.key('user-sessions', session.userId), hash)
        .exec(),
    )
    return replies?.[0]?.[1] === 1
  }

  async deleteForUser(userId: string): Promise<number> {
    const hashes = await required(() => this.#redis.smembers(this.#k.key('user-sessions', userId)))
    if (hashes.length === 0) return 0
    const deleted = await required(() => this.#redis.del(...hashes.map((h) => this.#k.key('session', h))))
    await required(() => this.#redis.del(this.#k.key('user-sessions', userId)))
    return deleted
  }
}
