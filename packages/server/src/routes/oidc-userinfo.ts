/**
 * @module `/userinfo` (OIDC Core §5.3), GET and POST, with a Bearer access token in the Authorization
 * header or, on POST, as `access_token` in the form body (RFC 6750 §2.2; never both, §2). Only our access tokens (`typ: at+jwt`) of a live session with `openid` are accepted: an ID token
 * is refused (401 `invalid_token`), and so is a client_credentials token, which names no user. Claims
 * follow the scopes: `sub` always, `profile` → preferred_username, name, updated_at; `email` → email,
 * email_verified. Failures carry the RFC 6750 §3 `WWW-Authenticate` challenge.
 */
import formbody from '@fastify/formbody'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { AccessTokenInvalid, RequestInvalid, ScopeInsufficient } from '../errors.js'
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

/** The one token of the request: the Authorization header, or the form body's `access_token` on POST. */
function presentedToken(request: FastifyRequest): string {
  const body = request.body as Record<string, unknown> | undefined
  const inBody = body?.access_token
  if (inBody === undefined) return bearerToken(request.headers.authorization)
  if (request.headers.authorization !== undefined)
    throw new RequestInvalid(
      'send the access token once: in the Authorization header or in the body, not both',
    )
  if (typeof inBody !== 'string' || !/^[A-Za-z0-9\-._~+/]+=*$/.test(inBody))
    throw new AccessTokenInvalid('the access_token field is not a Bearer token')
  return inBody
}

export function oidcUserinfoRoutes(services: Services) {
  const answer = async (request: FastifyRequest) => {
    const { claims } = await services.tokens.verifyAccessToken(presentedToken(request))
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
    // POST may carry a form body (§5.3.1), and with it the token (RFC 6750 §2.2).
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
