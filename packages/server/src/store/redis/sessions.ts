/**
 * @module Cookie sessions in Redis: JSON per session with a TTL so abandoned ones vanish on their own
 * (expiry itself is still decided by the caller's clock), a set per user for "log out everywhere", and
 * an index from each session's public `sid` to its hash (same TTL) for logout by `sid`.
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

/** Moves authTime forward and replaces amr (ARGV[2], a JSON array) of a session that still exists. */
const SESSION_REAUTHENTICATE = `
local raw = redis.call('GET', KEYS[1])
if not raw then return 0 end
local s = cjson.decode(raw)
s.authTime = tonumber(ARGV[1])
s.amr = cjson.decode(ARGV[2])
redis.call('SET', KEYS[1], cjson.encode(s), 'KEEPTTL')
return 1`

/** A session as stored; Lua's cjson writes an empty array back as `{}`, so `amr` is read defensively. */
function parse(raw: string): SessionRecord {
  const s = JSON.parse(raw) as SessionRecord
  return { ...s, amr: Array.isArray(s.amr) ? s.amr : [] }
}

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
        .set(this.#k.key('session-sid', s.sid), s.hash, 'PX', ttl)
        .sadd(this.#k.key('user-sessions', s.userId), s.hash)
        .pexpire(this.#k.key('user-sessions', s.userId), ttl)
        .exec(),
    )
  }

  async find(hash: string): Promise<SessionRecord | undefined> {
    const raw = await required(() => this.#redis.get(this.#k.key('session', hash)))
    return raw ? parse(raw) : undefined
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
        .del(this.#k.key('session-sid', session.sid))
        .srem(this.#k.key('user-sessions', session.userId), hash)
        .exec(),
    )
    return replies?.[0]?.[1] === 1
  }

  async deleteForUser(userId: string): Promise<number> {
    const hashes = await required(() => this.#redis.smembers(this.#k.key('user-sessions', userId)))
    if (hashes.length === 0) return 0
    const keys = hashes.map((h) => this.#k.key('session', h))
    const raws = await required(() => this.#redis.mget(...keys))
    const sids = raws.flatMap((raw) => (raw ? [this.#k.key('session-sid', parse(raw).sid)] : []))
    const deleted = await required(() => this.#redis.del(...keys))
    await required(() => this.#redis.del(this.#k.key('user-sessions', userId), ...sids))
    return deleted
  }

  async findBySid(sid: string): Promise<SessionRecord | undefined> {
    const hash = await required(() => this.#redis.get(this.#k.key('session-sid', sid)))
    if (!hash) return undefined
    const session = await this.find(hash)
    // The index outlives nothing it points to, but a session replaced under the same hash is not this one.
    return session?.sid === sid ? session : undefined
  }

  async deleteBySid(sid: string): Promise<boolean> {
    const hash = await required(() => this.#redis.get(this.#k.key('session-sid', sid)))
    if (!hash) return false
    const session = await this.find(hash)
    if (!session || session.sid !== sid) {
      await required(() => this.#redis.del(this.#k.key('session-sid', sid)))
      return false
    }
    return this.delete(hash)
  }

  async reauthenticate(hash: string, authTime: number, amr: string[]): Promise<boolean> {
    const changed = await required(() =>
      this.#redis.eval(
        SESSION_REAUTHENTICATE,
        1,
        this.#k.key('session', hash),
        authTime,
        JSON.stringify(amr),
      ),
    )
    return changed === 1
  }
}
