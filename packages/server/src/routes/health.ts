/**
 * @module `GET /healthz` (liveness: the process answers; no store call) and `GET /readyz` (readiness: the
 * store answers a cheap query, Redis a PING when configured, and the revocation set is in sync), for load
 * balancers and the benchmark's baseline. Also writes the log line when the revocation channel is lost
 * or back, beside the counters `/readyz` shows.
 */
import type { FastifyInstance } from 'fastify'
import type { Services } from '../services.js'

const check = {
  type: 'object',
  required: ['ok'],
  properties: {
    ok: { type: 'boolean' },
    ms: { type: 'number' },
    error: { type: 'string' },
  },
} as const

const readyBody = {
  type: 'object',
  required: ['status', 'checks'],
  properties: {
    status: { type: 'string', enum: ['ready', 'unavailable'] },
    /** Which parts are down, by name, when not ready. */
    down: { type: 'array', items: { type: 'string' } },
    checks: {
      type: 'object',
      properties: {
        store: check,
        redis: check,
        revocations: {
          type: 'object',
          required: ['ok', 'state', 'channel'],
          properties: {
            ok: { type: 'boolean' },
            state: { type: 'string' },
            channel: { type: 'string' },
            since: { type: 'integer' },
            sessions: { type: 'integer' },
            users: { type: 'integer' },
            channel_losses: { type: 'integer' },
            refused_while_down: { type: 'integer' },
            reloads: { type: 'integer' },
            pending: { type: 'integer' },
          },
        },
      },
    },
  },
} as const

const CHECK_TIMEOUT_MS = 1500

/** Runs one readiness probe with a deadline; the message says what failed without any secret in it. */
async function probe(work: () => Promise<unknown>): Promise<{ ok: boolean; ms: number; error?: string }> {
  const t0 = performance.now()
  let timer: NodeJS.Timeout | undefined
  try {
    await Promise.race([
      work(),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)),
          CHECK_TIMEOUT_MS,
        )
      }),
    ])
    return { ok: true, ms: Math.round((performance.now() - t0) * 1000) / 1000 }
  } catch (error) {
    const message = (error as Error).message
    return { ok: false, ms: Math.round(performance.now() - t0), error: message.slice(0, 200) }
  } finally {
    clearTimeout(timer)
  }
}

export function healthRoutes(services: Services) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    const feed = services.revocations
    const unwatch = feed.onState((status) => {
      const fields = {
        revocations: status.state,
        channel: status.channel,
        channelLosses: status.channelLosses,
        refusedWhileDown: status.refusedWhileDown,
        reason: status.lastReason,
      }
      if (status.state === 'down')
        app.log.warn(
          fields,
          'revocation channel lost: token checks at the issuer answer 503 until it is back',
        )
      else app.log.info(fields, 'revocation channel in sync again: the set was reloaded from the store')
    })
    app.addHook('onClose', async () => {
      unwatch()
    })

    app.get(
      '/healthz',
      { schema: { response: { 200: { type: 'object', properties: { status: { type: 'string' } } } } } },
      async (_request, reply) => {
        reply.header('cache-control', 'no-store')
        return { status: 'ok' }
      },
    )

    app.get(
      '/readyz',
      { schema: { response: { 200: readyBody, 503: readyBody } } },
      async (_request, reply) => {
        const repository = services.store.revocations
        const [store, redis] = await Promise.all([
          probe(async () => {
            if (repository) await repository.ping()
            else await services.store.users.findById('')
          }),
          services.config.redis ? probe(() => feed.pingChannel()) : undefined,
        ])
        const status = feed.status()
        const revocations = {
          ok: status.state === 'in_sync',
          state: status.state,
          channel: status.channel,
          since: status.since,
          sessions: status.sessions,
          users: status.users,
          channel_losses: status.channelLosses,
          refused_while_down: status.refusedWhileDown,
          reloads: status.reloads,
          pending: status.pending,
        }
        const down = [
          ...(store.ok ? [] : ['store']),
          ...(redis && !redis.ok ? ['redis'] : []),
          ...(revocations.ok ? [] : ['revocations']),
        ]
        reply.header('cache-control', 'no-store')
        reply.code(down.length === 0 ? 200 : 503)
        return {
          status: down.length === 0 ? 'ready' : 'unavailable',
          ...(down.length > 0 ? { down } : {}),
          checks: { store, ...(redis ? { redis } : {}), revocations },
        }
      },
    )
  }
}
