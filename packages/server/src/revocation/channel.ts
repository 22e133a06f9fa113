/**
 * @module The revocation channel contract every transport implements (PostgreSQL LISTEN/NOTIFY, Redis
 * pub/sub, or in-process for one SQLite server), and the in-process one.
 */
import type { RevocationEvent } from './events.js'

export interface ChannelHandlers {
  /** A notice from any instance (this one's own included, where the transport echoes). */
  event(event: RevocationEvent): void
  /** Subscribed (again): notices from now on arrive. Whatever was sent meanwhile must be reloaded. */
  up(): void
  /** The subscription is lost: notices may be missed until the next `up`. */
  down(reason: string): void
}

export interface RevocationChannel {
  readonly kind: 'in-process' | 'postgres' | 'redis' | 'redis+postgres'
  /** Sends to every instance; rejects when it could not be handed to the transport. */
  publish(event: RevocationEvent): Promise<void>
  subscribe(handlers: ChannelHandlers): void
  /** Where the transport is a server of its own (Redis): one round trip to it, for `/readyz`. */
  ping?(): Promise<void>
  /** Transport details for tests and `/readyz` (e.g. the LISTEN backend's pid). */
  detail(): Record<string, unknown>
  close(): Promise<void>
}

/** One process holds every instance there is (SQLite): the channel is always up. */
export function inProcessChannel(): RevocationChannel {
  let handlers: ChannelHandlers | undefined
  return {
    kind: 'in-process',
    async publish(event) {
      handlers?.event(event)
    },
    subscribe(h) {
      handlers = h
      queueMicrotask(() => h.up())
    },
    detail: () => ({}),
    async close() {
      handlers = undefined
    },
  }
}
