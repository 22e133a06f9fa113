/**
 * @module Development only: `GET /api/sso-demo`, what the flow page's single-sign-on view needs and cannot
 * ask the protocol for — the demo apps (names and addresses, nothing secret), the public client the page
 * signs in as, and the caller's own provider session (its public `sid`, `auth_time`, and which clients
 * signed in under it). Production neither registers the page's client nor serves this route.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { SessionExpired, SessionInvalid } from '../errors.js'
import { FLOW_CLIENT_ID } from '../oidc/clients/demo-clients.js'
import type { Services } from '../services.js'
import { readSessionCookie, sessionCookiePolicy } from '../sessions/session-cookie.js'

const DEMO_APPS = ['notes', 'photos'] as const

const app = {
  type: 'object',
  required: ['client_id', 'name', 'url'],
  properties: {
    client_id: { type: 'string' },
    name: { type: 'string' },
    type: { type: 'string' },
    url: { type: 'string' },
    backchannel_logout_uri: { type: ['string', 'null'] },
  },
} as const

const response = {
  type: 'object',
  required: ['client', 'apps', 'session'],
  properties: {
    client: {
      type: 'object',
      properties: {
        client_id: { type: 'string' },
        registered: { type: 'boolean' },
        redirect_uris: { type: 'array', items: { type: 'string' } },
      },
    },
    apps: { type: 'array', items: app },
    session: {
      type: ['object', 'null'],
      properties: {
        sid: { type: 'string' },
        sub: { type: 'string' },
        auth_time: { type: 'integer' },
        amr: { type: 'array', items: { type: 'string' } },
        clients: {
          type: 'array',
          items: {
            type: 'object',
            properties: { client_id: { type: 'string' }, name: { type: 'string' } },
          },
        },
      },
    },
  },
} as const

export function ssoDemoRoutes(services: Services) {
  const { config, clients, sessions, store } = services

  /** The caller's own provider session, or null when the cookie names none (signed out). */
  async function ownSession(request: FastifyRequest) {
    const cookie = readSessionCookie(request, sessionCookiePolicy(config, services.issuer()))
    if (cookie === undefined) return null
    try {
      const { record, user } = await sessions.resolve(cookie)
      const signedIn = await store.sessionClients.listForSession(record.sid)
      const named = await Promise.all(
        signedIn.map(async (entry) => ({
          client_id: entry.clientId,
          name: (await clients.find(entry.clientId))?.name ?? entry.clientId,
        })),
      )
      return {
        sid: record.sid,
        sub: user.id,
        auth_time: Math.floor(record.authTime / 1000),
        amr: record.amr,
        clients: named,
      }
    } catch (error) {
      if (error instanceof SessionInvalid || error instanceof SessionExpired) return null
      throw error
    }
  }

  return async function ssoDemo(instance: FastifyInstance): Promise<void> {
    if (config.production) return
    instance.get(
      '/api/sso-demo',
      // No HEAD: reading the session slides (writes) its idle deadline, or deletes it when expired.
      { exposeHeadRoute: false, schema: { response: { 200: response } } },
      async (request: FastifyRequest, reply: FastifyReply) => {
        reply.header('cache-control', 'no-store')
        const flow = await clients.find(FLOW_CLIENT_ID)
        const apps = []
        for (const id of DEMO_APPS) {
          const found = await clients.find(id)
          if (!found) continue
          const home = found.postLogoutRedirectUris[0] ?? found.redirectUris[0] ?? ''
          apps.push({
            client_id: found.id,
            name: found.name,
            type: found.type,
            url: home === '' ? '' : new URL(home).origin,
            backchannel_logout_uri: found.backchannelLogoutUri,
          })
        }
        return {
          client: {
            client_id: FLOW_CLIENT_ID,
            registered: flow !== undefined,
            redirect_uris: flow?.redirectUris ?? [],
          },
          apps,
          session: await ownSession(request),
        }
      },
    )
  }
}
