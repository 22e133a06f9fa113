/**
 * @module Two transports as one channel (Redis pub/sub and PostgreSQL LISTEN/NOTIFY when both are
 * configured): every notice goes out on both, duplicates are harmless (the set ignores them), and the
 * channel is up while either is, so losing Redis alone does not make every instance fail closed. A
 * notice one transport could not take is resent on it when it is back.
 */
import type { ChannelHandlers, RevocationChannel } from './channel.js'
import type { RevocationEvent } from './events.js'

export function combinedChannel(parts: readonly RevocationChannel[]): RevocationChannel {
  const up = new Set<RevocationChannel>()
  const pending = new Map<RevocationChannel, RevocationEvent[]>(parts.map((part) => [part, []]))
  let handlers: ChannelHandlers | undefined

  const resend = async (part: RevocationChannel) => {
    const queue = pending.get(part)!
    pending.set(part, [])
    for (const [i, event] of queue.entries()) {
      try {
        await part.publish(event)
      } catch {
        pending.get(part)!.unshift(...queue.slice(i))
        return
      }
    }
  }

  return {
    kind: 'redis+postgres',
    async publish(event) {
      const results = await Promise.allSettled(parts.map((part) => part.publish(event)))
      results.forEach((result, i) => {
        if (result.status === 'rejected') pending.get(parts[i]!)!.push(event)
      })
      if (results.every((result) => result.status === 'rejected'))
        throw new Error('no revocation transport took the notice')
    },
    subscribe(h) {
      handlers = h
      for (const part of parts) {
        part.subscribe({
          event: (event) => handlers?.event(event),
          up: () => {
            const wasDown = up.size === 0
            up.add(part)
            void resend(part)
            if (wasDown) handlers?.up()
          },
          down: (reason) => {
            if (!up.delete(part)) return
            if (up.size === 0) handlers?.down(reason)
          },
        })
      }
    },
    async ping() {
      for (const part of parts) if (part.ping) await part.ping()
    },
    detail: () => Object.assign({}, ...parts.map((part) => ({ [part.kind]: part.detail() }))),
    async close() {
      handlers = undefined
      await Promise.all(parts.map((part) => part.close()))
    },
  }
}
