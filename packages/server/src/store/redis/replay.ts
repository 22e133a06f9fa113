/**
 * @module Single-use ids in Redis (with `--redis`): DPoP proofs, private_key_jwt `jti`s and the
 * code-redeemed markers. One `SET NX PXAT` per use, so the first instance to record an id wins and the
 * entry expires at exactly the instant given — never a relative TTL computed from a clock that may
 * already be past it (the negative-TTL hole of keycloak#43505).
 */
import type { Redis } from 'ioredis'
import type { ReplayRepository } from '../types.js'
import { type RedisKeys, required } from './connection.js'

export class RedisReplay implements ReplayRepository {
  readonly #redis: Redis
  readonly #k: RedisKeys

  constructor(redis: Redis, keys: RedisKeys) {
    this.#redis = redis
    this.#k = keys
  }

  async firstUse(id: string, expiresAt: number, now: number): Promise<boolean> {
    // Already expired: nothing could be refused by remembering it (the SQL repository agrees: an
    // expired row counts as unused), and PXAT in the past would store nothing anyway.
    if (expiresAt <= now) return true
    const set = await required(() =>
      this.#redis.set(this.#k.key('replay', id), '1', 'PXAT', Math.ceil(expiresAt), 'NX'),
    )
    return set === 'OK'
  }
}
