/**
 * @module `/userinfo` (OIDC Core §5.3), GET and POST, with a Bearer access token in the Authorization
 * header. Only our access tokens (`typ: at+jwt`) of a live session with `openid` are accepted: an ID token
 * is refused (401 `invalid_token`), and so is a client_credentials token, which names no user. Claims
 * follow the scopes: `sub` always, `profile` → preferred_username, name, updated_at; `email` → email,
 * email_verified. Failures carry the RFC 6750 §3 `WWW-Authenticate` challenge.
 */
import formbody from '@fastify/formbody'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { AccessTokenInvalid, ScopeInsufficient } from '../errors.js'
import { bearerToken } from '../http/bearer.js'
import { scopeList } from '../oidc/token/scopes.js'
import type { Services } from '../services.js'
import { errorResponses } from './schemas.js'

const userinfoResponse = {
  type: 'object',
  required: ['sub'],
  properties: {
    sub: { type: 'string' },
    preferred_username: { type: 'string' },
    name: { type: 'string' },
    updated_at: { type: 'integer' },
    email: { type: 'string' },
    email_verified: { type: 'boolean' },
  },
} as const

export function oidcUserinfoRoutes(services: Services) {
  const answer = async (request: FastifyRequest) => {
    const { claims } = await services.tokens.verifyAccessToken(bearerToken(request.headers.authorization))
    const scopes = scopeList(claims.scope)
    if (!scopes.includes('openid')) throw new ScopeInsufficient(['openid'])
    const user = await services.store.users.findById(claims.sub)
    if (!user || user.disabled) throw new AccessTokenInvalid('the account of this access token is disabled')
    return {
      sub: user.id,
      ...(scopes.includes('profile')
        ? {
            preferred_username: user.username,
            ...(user.name !== null ? { name: user.name } : {}),
            updated_at: Math.floor(user.updatedAt / 1000),
          }
        : {}),
      ...(scopes.includes('email') && user.email !== null
        ? { email: user.email, email_verified: user.emailVerified }
        : {}),
    }
  }
  return async function plugin(app: FastifyInstance): Promise<void> {
    // POST may carry a form body (§5.3.1); the token still comes only from the header (RFC 6750 §2.1).
    app.removeAllContentTypeParsers()
    await app.register(formbody, { bodyLimit: services.config.bodyLimit })
    app.addHook('onSend', async (_request, reply) => {
      reply.header('cache-control', 'no-store').header('pragma', 'no-cache')
    })
    const schema = { response: { 200: userinfoResponse, ...errorResponses } }
    app.get('/userinfo', { schema }, answer)
    app.post('/userinfo', { schema }, answer)
  }
}
