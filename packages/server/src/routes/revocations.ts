/**
 * @module `GET /oauth/revocations?after=<cursor>&wait=<s>`: the revocation feed for resource servers,
 * as long-poll JSON, for introspection clients only. It answers at once with every event after the
 * cursor, or waits up to `wait` seconds for the next one. A cursor names this instance and its arrival
 * number; one from another instance (behind a load balancer), from before a restart, or none, gets every
 * event still in its window, which is harmless to apply twice. While this instance's own set is out of
 * sync the feed answers 503, so a resource server never takes a stale answer for a complete one.
 */
import type { FastifyInstance } from 'fastify'
import { RevocationsUnavailable } from '../errors.js'
import { authenticateClient } from '../http/client-auth.js'
import type { Services } from '../services.js'
import { errorResponses } from './schemas.js'

const query = {
  type: 'object',
  additionalProperties: false,
  properties: {
    after: { type: 'string', maxLength: 64, pattern: '^[A-Za-z0-9_-]+\\.[0-9]+$' },
    wait: { type: 'string', pattern: '^[0-9]{1,2}$' },
  },
} as const

const feedBody = {
  type: 'object',
  required: ['cursor', 'window', 'events'],
  properties: {
    cursor: { type: 'string' },
    /** Seconds an entry matters after its event (access-token lifetime + clock skew). */
    window: { type: 'integer' },
    /** True when `events` is everything in the window (the cursor was not this instance's). */
    reset: { type: 'boolean' },
    events: {
      type: 'array',
      items: {
        type: 'object',
        required: ['type', 'id', 'at'],
        properties: {
          type: { type: 'string', enum: ['session', 'user'] },
          id: { type: 'string' },
          at: { type: 'integer' },
          disabled: { type: 'boolean' },
        },
      },
    },
  },
} as const

/** Longest a poll is held; below common proxy idle timeouts (60 s). */
const MAX_WAIT_S = 30

export function revocationRoutes(services: Services) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    const feed = services.revocations
    const waiting = new Set<() => void>()
    // Held polls end at once when the server closes, instead of holding the exit for `wait` seconds.
    app.addHook('preClose', async () => {
      for (const wake of waiting) wake()
    })

    app.get<{ Querystring: { after?: string; wait?: string } }>(
      '/oauth/revocations',
      {
        // No HEAD: a long poll held up to 30 s for an answer with no body is a connection spent for nothing.
        exposeHeadRoute: false,
        schema: { querystring: query, response: { 200: feedBody, ...errorResponses } },
      },
      async (request, reply) => {
        authenticateClient(request.headers.authorization, services.config.introspectionClients)
        const [instance, number] = (request.query.after ?? '.').split('.')
        const own = instance === feed.instanceId && Number(number) <= feed.set.seq
        const after = own ? Number(number) : 0
        const wait = Math.min(Number(request.query.wait ?? 0), MAX_WAIT_S)
        if (own && wait > 0 && feed.set.seq === after && feed.state === 'in_sync') {
          await new Promise<void>((resolve) => {
            const done = () => {
              clearTimeout(timer)
              unwatch()
              waiting.delete(done)
              request.raw.off('close', done)
              resolve()
            }
            const timer = setTimeout(done, wait * 1000)
            const unwatch = feed.onEvent(done)
            waiting.add(done)
            request.raw.once('close', done)
          })
        }
        if (feed.state !== 'in_sync')
          throw new RevocationsUnavailable('the revocation feed is reconnecting; retry shortly')
        reply.header('cache-control', 'no-store')
        return {
          cursor: `${feed.instanceId}.${feed.set.seq}`,
          window: Math.round(feed.set.windowMs / 1000),
          ...(own ? {} : { reset: true }),
          events: feed.set.eventsAfter(after),
        }
      },
    )
  }
}
