/**
 * @module `GET /api/compare`: the last sessions-vs-tokens report for the web page (issue 7). In demo mode
 * (development with the demo user) the first request runs a short one — 1 s per mode, under 5 s in all —
 * when none exists yet; elsewhere the server never loads itself unasked and answers 404 until one exists.
 */
import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { LastReport } from '../compare/last-report.js'
import { runComparison } from '../compare/measure.js'
import { CompareUnavailable } from '../errors.js'
import type { Services } from '../services.js'
import { errorResponses } from './schemas.js'

export function compareRoutes(services: Services, last = new LastReport()) {
  const demo = services.config.demoUser && !services.config.production
  return async function plugin(app: FastifyInstance): Promise<void> {
    /** The server's own loopback address: the fixed issuer may be a public name behind a proxy. */
    const selfUrl = () => {
      const address = app.server.address() as AddressInfo
      const host =
        address.address === '0.0.0.0' ? '127.0.0.1' : address.address === '::' ? '::1' : address.address
      return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`
    }
    app.get('/api/compare', { schema: { response: errorResponses } }, async (_request, reply) => {
      let report = last.get()
      if (!report && demo) {
        report = await last.run(() =>
          runComparison(services, { base: selfUrl(), durationMs: 1000, connections: 8 }),
        )
      }
      if (!report)
        throw new CompareUnavailable(
          'no comparison has run on this server yet (only demo mode runs one by itself); run tessera compare --url <this server>',
        )
      reply.header('cache-control', 'no-store')
      return report
    })
  }
}
