/**
 * @module Revocation notices on Redis pub/sub: published on the shared connection settings, received on
 * a subscriber connection of its own that ioredis re-establishes. The channel is up only while that
 * subscription is confirmed, and down from the moment its connection closes.
 */
import { Redis } from 'ioredis'
import type { ChannelHandlers, RevocationChannel } from '../../revocation/channel.js'
import { decodeNotice, encodeNotice, type RevocationEvent } from '../../revocation/events.js'
import { COMMAND_TIMEOUT_MS } from './connection.js'

export function redisRevocationChannel(url: string, prefix: string): RevocationChannel {
  const channel = `${prefix}revocations`
  const retryStrategy = (times: number) => Math.min(times * 100, 1000)
  const publisher = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: COMMAND_TIMEOUT_MS,
    commandTimeout: COMMAND_TIMEOUT_MS,
    retryStrategy,
  })
  publisher.on('error', () => {})
  let subscriber: Redis | undefined
  let handlers: ChannelHandlers | undefined
  let up = false

  const down = (reason: string) => {
    if (!up) return
    up = false
    handlers?.down(reason)
  }

  return {
    kind: 'redis',
    async publish(event: RevocationEvent) {
      await publisher.publish(channel, encodeNotice(prefix, event))
    },
    subscribe(h) {
      handlers = h
      const sub = new Redis(url, {
        connectTimeout: COMMAND_TIMEOUT_MS,
        maxRetriesPerRequest: null,
        autoResubscribe: false,
        retryStrategy,
      })
      subscriber = sub
      sub.on('error', () => {})
      sub.on('close', () => down('the Redis subscriber connection closed'))
      sub.on('message', (_channel: string, message: string) => {
        const event = decodeNotice(prefix, message)
        if (event) handlers?.event(event)
      })
      // Subscribed again by hand on each connection, so "up" means the SUBSCRIBE was confirmed.
      sub.on('ready', () => {
        sub.subscribe(channel).then(
          () => {
            if (up || subscriber !== sub) return
            up = true
            handlers?.up()
          },
          () => sub.disconnect(true),
        )
      })
    },
    async ping() {
      await publisher.ping()
    },
    detail: () => ({}),
    async close() {
      handlers = undefined
      subscriber?.disconnect()
      subscriber = undefined
      publisher.disconnect()
    },
  }
}
