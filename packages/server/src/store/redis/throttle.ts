/** @module Brute-force counters in Redis, shared by every instance: one atomic Lua step per hit. */
import type { Redis } from 'ioredis'
import type { ThrottleRecord, ThrottleRepository } from '../types.js'
import { type RedisKeys, required, TTL_MARGIN_MS } from './connection.js'

/** The same window rules as the SQL counters' upsert, atomically. */
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

export class RedisThrottle implements ThrottleRepository {
  readonly #redis: Redis
  readonly #k: RedisKeys

  constructor(redis: Redis, keys: RedisKeys) {
    this.#redis = redis
    this.#k = keys
  }

  async hit(key: string, now: number, windowMs: number): Promise<ThrottleRecord> {
    const [count, first, last] = (await required(() =>
      this.#redis.eval(THROTTLE_HIT, 1, this.#k.key('throttle', key), now, windowMs, TTL_MARGIN_MS),
    )) as [number, string, string]
    return { key, count: Number(count), firstAt: Number(first), lastAt: Number(last) }
  }

  async get(key: string): Promise<ThrottleRecord | undefined> {
    const h = await required(() => this.#redis.hgetall(this.#k.key('throttle', key)))
    if (!h.count) return undefined
    return { key, count: Number(h.count), firstAt: Number(h.first_at), lastAt: Number(h.last_at) }
  }

  async clear(key: string): Promise<void> {
    await required(() => this.#redis.del(this.#k.key('throttle', key)))
  }
}
