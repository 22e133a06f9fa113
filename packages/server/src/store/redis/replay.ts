/**
 * @module Single-use ids in Redis (with `--redis`): DPoP proofs, private_key_jwt `jti`s and the
 * code-redeemed markers. One Lua step per use, so the first instance to record an id wins: it stores the
 * id's absolute expiry and answers "first use" only when no unexpired entry is there — unexpired by the
 * caller's clock, the one every other check reads (the store contract passes `now` in, as the SQL
 * repository's upsert does). Redis drops the key when that instant passes; the TTL is computed from the
 * same two instants and is never negative (an id already expired is not stored at all: the
 * negative-TTL hole of keycloak#43505).
 */
import type { Redis } from 'ioredis'
import type { ReplayRepository } from '../types.js'
import { type RedisKeys, required } from './connection.js'

/** KEYS[1] the id; ARGV[1] its expiry, ARGV[2] now (ms). 1: first use (recorded), 0: seen. */
const FIRST_USE = `
local recorded = tonumber(redis.call('GET', KEYS[1]))
local now = tonumber(ARGV[2])
if recorded and recorded > now then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', tonumber(ARGV[1]) - now)
return 1`

export class RedisReplay implements ReplayRepository {
  readonly #redis: Redis
  readonly #k: RedisKeys

  constructor(redis: Redis, keys: RedisKeys) {
    this.#redis = redis
    this.#k = keys
  }

  async firstUse(id: string, expiresAt: number, now: number): Promise<boolean> {
    // Already expired: nothing could be refused by remembering it (the SQL repository agrees: an
    // expired row counts as unused).
    if (expiresAt <= now) return true
    const first = await required(() =>
      this.#redis.eval(FIRST_USE, 1, this.#k.key('replay', id), Math.ceil(expiresAt), Math.floor(now)),
    )
    return first === 1
  }
}
