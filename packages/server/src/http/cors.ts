/**
 * @module CORS for the origins in `--allowed-origins` only (a browser app on another origin of the same
 * site, e.g. app.example.com calling auth.example.com): credentials allowed, origin echoed (never `*`),
 * preflights answered. Other origins get no CORS headers at all, so browsers keep them out.
 */
import type { FastifyInstance } from 'fastify'

export function registerCors(app: FastifyInstance, allowedOrigins: readonly string[]): void {
  if (allowedOrigins.length === 0) return
  const allowed = new Set(allowedOrigins)
  app.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin
    if (origin === undefined || !allowed.has(origin)) return
    reply
      .header('access-control-allow-origin', origin)
      .header('access-control-allow-credentials', 'true')
      .header('vary', 'Origin')
    if (request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined) {
      return reply
        .code(204)
        .header('access-control-allow-methods', 'GET, POST')
        .header('access-control-allow-headers', 'authorization, content-type')
        .header('access-control-max-age', '600')
        .send()
    }
  })
}
