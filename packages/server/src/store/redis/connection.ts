/**
 * @module The Redis connection of a composed store: fails fast instead of queueing while Redis is
 * away (no offline queue, one retry, a command timeout), so a request gets its 503 within about two
 * seconds rather than hanging; and how a failure on the Redis-only repositories becomes StoreUnavailable.
 */
import { Redis } from 'ioredis'
import { StoreUnavailable } from '../../errors.js'

/** A command to a Redis that stopped answering gives up after this long. */
export const COMMAND_TIMEOUT_MS = 2000

export async function connectRedis(url: string): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: COMMAND_TIMEOUT_MS,
    commandTimeout: COMMAND_TIMEOUT_MS,
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
  return redis
}

/** Runs a Redis step whose data lives only in Redis: failing, it is StoreUnavailable (503). */
export async function required<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step()
  } catch (error) {
    throw new StoreUnavailable('Redis is unreachable; retry shortly', { cause: error })
  }
}

/** Namespaced keys: instances sharing one database share the prefix, tests and tenants do not. */
export class RedisKeys {
  readonly prefix: string
  constructor(prefix: string) {
    this.prefix = prefix
  }
  key(kind: string, id: string): string {
    return `${this.prefix}${kind}:${id}`
  }
}

/** Abandoned sessions and counters are kept this much longer than they can matter, then dropped. */
export const TTL_MARGIN_MS = 60_000
