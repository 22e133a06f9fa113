/**
 * @module `GET /me`: the example protected resource. Verified here at the issuer from memory: the
 * signature (or the verifier's token cache) and the revocation set, so unlike a resource server that
 * verifies alone it refuses tokens whose session was ended or whose user was disabled, with no store call.
 * The username comes from a bounded cache filled on a user's first request (usernames never change).
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

/** About 100 bytes an entry: at most ~1 MiB. */
const USERNAME_CACHE_MAX = 10_000

export function meRoutes(services: Services) {
  const usernames = new Map<string, string>()
  const usernameOf = async (userId: string): Promise<string> => {
    const cached = usernames.get(userId)
    if (cached !== undefined) return cached
    const user = await services.users.findById(userId)
    if (!user || user.disabled) throw new AccessTokenInvalid('the account of this access token is disabled')
    if (usernames.size >= USERNAME_CACHE_MAX) usernames.delete(usernames.keys().next().value!)
    usernames.set(userId, user.username)
    return user.username
  }
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.get('/me', { schema: { response: { 200: meSchema, ...errorResponses } } }, async (request, reply) => {
      // Server-Timing names each part of the work (`tessera compare` reads it) and its total.
      const timing = startTiming()
      const token = bearerToken(request.headers.authorization)
      const claims = timing.time('signature', () => services.tokens.verifyAccessSignature(token))
      timing.time('revocation', () => services.revocations.assertActive(claims))
      // A client acting for itself (client_credentials) has no user to describe.
      if (typeof claims.sid !== 'string')
        throw new AccessTokenInvalid('this access token belongs to no session')
      // A store read only on this user's first request to this instance.
      const username = await usernameOf(claims.sub)
      reply.header('server-timing', timing.header())
      reply.header('cache-control', 'no-store')
      return {
        sub: claims.sub,
        username,
        client_id: claims.client_id,
        scope: claims.scope,
        sid: claims.sid,
        exp: claims.exp,
      }
    })
  }
}
