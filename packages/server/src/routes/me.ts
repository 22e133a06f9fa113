/**
 * @module `GET /me`: the example protected resource. Verified here at the issuer, so unlike a resource
 * server that verifies alone it also refuses tokens whose session (refresh family) was ended.
 */
import type { FastifyInstance } from 'fastify'
import { AccessTokenInvalid } from '../errors.js'
import { bearerToken } from '../http/bearer.js'
import { startTiming } from '../http/server-timing.js'
import type { Services } from '../services.js'
import { errorResponses } from './schemas.js'

const meSchema = {
  type: 'object',
  properties: {
    sub: { type: 'string' },
    username: { type: 'string' },
    client_id: { type: 'string' },
    scope: { type: 'string' },
    sid: { type: 'string' },
    exp: { type: 'integer' },
  },
} as const

export function meRoutes(services: Services) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.get('/me', { schema: { response: { 200: meSchema, ...errorResponses } } }, async (request, reply) => {
      // Server-Timing names each part of the work (`tessera compare` reads it) and its total.
      const timing = startTiming()
      const { claims } = await timing.time('sid', () =>
        services.tokens.verifyAccessToken(bearerToken(request.headers.authorization)),
      )
      const user = await timing.time('user', () => services.users.findById(claims.sub))
      reply.header('server-timing', timing.header())
      if (!user || user.disabled) throw new AccessTokenInvalid('the account of this access token is disabled')
      reply.header('cache-control', 'no-store')
      return {
        sub: claims.sub,
        username: user.username,
        client_id: claims.client_id,
        scope: claims.scope,
        sid: claims.sid,
        exp: claims.exp,
      }
    })
  }
}
