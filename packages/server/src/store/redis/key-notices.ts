/**
 * @module Signing-key notices on Redis pub/sub: published after a key is added or retired, and
 * delivered to every instance's key ring, once more on each (re)subscription because a key written
 * meanwhile had no one to notify.
 */
import type { Redis } from 'ioredis'
import type { RedisKeys } from './connection.js'

export class RedisKeyNotices {
  readonly #redis: Redis
  readonly #channel: string
  readonly #listeners = new Set<() => void>()
  #subscriber: Redis | undefined

  constructor(redis: Redis, keys: RedisKeys) {
    this.#redis = redis
    this.#channel = `${keys.prefix}signing-keys`
  }

  async publish(kid: string): Promise<void> {
    await this.#redis.publish(this.#channel, kid).catch(() => {})
  }

  watch(listener: () => void): () => void {
    this.#listeners.add(listener)
    if (!this.#subscriber) {
      // A subscribed connection can do nothing else: a second one, re-subscribed by ioredis on reconnect.
      const subscriber = this.#redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null })
      subscriber.on('error', () => {})
      subscriber.on('message', () => this.#emit())
      subscriber.on('ready', () => this.#emit())
      subscriber.subscribe(this.#channel).then(
        () => this.#emit(),
        () => {},
      )
      this.#subscriber = subscriber
    }
    return () => this.#listeners.delete(listener)
  }

  close(): void {
    this.#listeners.clear()
    this.#subscriber?.disconnect()
  }

  #emit(): void {
    for (const listener of this.#listeners) listener()
  }
}
