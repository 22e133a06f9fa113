/**
 * @module `GET /api/compare`: the last sessions-vs-tokens report for the web page. In demo mode
 * (development with the demo user) the first request runs a short one — 1 s per load, under 6 s in all —
 * when none exists yet; elsewhere the server never loads itself unasked and answers 404 until one exists.
 */
import { randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { LastReport } from '../compare/last-report.js'
import { measureComparison } from '../compare/measure.js'
import type { ComparisonReport } from '../compare/report.js'
import { CompareUnavailable } from '../errors.js'
import type { Services } from '../services.js'
import { errorResponses } from './schemas.js'

/**
 * The server against itself: a throwaway user made in-process (registration may be closed), measured
 * over loopback HTTP like any other server, then disabled (which also ends its sessions and families).
 */
async function measureSelf(services: Services, url: string): Promise<ComparisonReport> {
  const account = {
    username: `compare-${randomBytes(6).toString('hex')}`,
    password: randomBytes(18).toString('base64url'),
  }
  const user = await services.users.register(account.username, account.password)
  try {
    const store = services.store.kind === 'sqlite' ? 'the SQLite file' : `the ${services.store.kind} store`
    const report = await measureComparison({
      url,
      durationMs: 1000,
      connections: 8,
      account,
      introspect: async (token) => (await services.tokens.introspect(token)).active,
      sessionStore: `${store}, or Redis with --redis`,
      now: () => services.clock(),
    })
    report.notes.push(
      'Measured by this server against itself on loopback, as a throwaway user disabled afterwards.',
    )
    return report
  } finally {
    await services.users.setDisabled(user.username, true).catch(() => {})
  }
}

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
        report = await last.run(() => measureSelf(services, selfUrl()))
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
