/**
 * @module `/userinfo` (OIDC Core §5.3), GET and POST, with a Bearer access token in the Authorization
 * header or, on POST, as `access_token` in the form body (RFC 6750 §2.2; never both, §2), or a DPoP-bound
 * token as `Authorization: DPoP` with its proof (RFC 9449 §7; `ath` always checked). Only our access
 * tokens (`typ: at+jwt`) of a live session with `openid` are accepted: an ID token is refused (401
 * `invalid_token`), and so is a client_credentials token, which names no user. Claims follow the scopes:
 * `sub` always, `profile` → preferred_username, name, updated_at; `email` → email, email_verified.
 * Failures carry the RFC 6750 §3 `WWW-Authenticate` challenge, or RFC 9449 §7.1's under the DPoP scheme.
 */
import formbody from '@fastify/formbody'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { AccessTokenInvalid, RequestInvalid, ScopeInsufficient } from '../errors.js'
import { bearerToken, dpopToken, isDPoPAuthorization } from '../http/bearer.js'
import { checkDPoPAccess, refuseBoundAsBearer, sendNonce } from '../http/dpop-access.js'
import { withDPoPChallenge } from '../http/www-authenticate.js'
import { scopeList } from '../oidc/token/scopes.js'
import type { Services } from '../services.js'
import type { AccessClaims } from '../tokens/access-token.js'
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

const SENT_TWICE = 'send the access token once: in the Authorization header or in the body, not both'

/** The one token of the request: the Authorization header, or the form body's `access_token` on POST. */
function presentedToken(request: FastifyRequest): string {
  const body = request.body as Record<string, unknown> | undefined
  const inBody = body?.access_token
  if (inBody === undefined) return bearerToken(request.headers.authorization)
  if (request.headers.authorization !== undefined) throw new RequestInvalid(SENT_TWICE)
  if (typeof inBody !== 'string' || !/^[A-Za-z0-9\-._~+/]+=*$/.test(inBody))
    throw new AccessTokenInvalid('the access_token field is not a Bearer token')
  return inBody
}

export function oidcUserinfoRoutes(services: Services) {
  const { tokens, dpop } = services
  const bearerClaims = async (request: FastifyRequest): Promise<AccessClaims> => {
    const { claims } = await tokens.verifyAccessToken(presentedToken(request))
    refuseBoundAsBearer(claims)
    return claims
  }
  const dpopClaims = async (request: FastifyRequest, reply: FastifyReply): Promise<AccessClaims> => {
    if ((request.body as Record<string, unknown> | undefined)?.access_token !== undefined)
      throw new RequestInvalid(SENT_TWICE)
    const token = dpopToken(request.headers.authorization)
    const { claims } = await tokens.verifyAccessToken(token)
    await checkDPoPAccess(dpop, request, token, claims)
    sendNonce(dpop, reply)
    return claims
  }
  const claimsOf = async (claims: AccessClaims) => {
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
  const answer = async (request: FastifyRequest, reply: FastifyReply) => {
    if (!isDPoPAuthorization(request.headers.authorization)) return claimsOf(await bearerClaims(request))
    try {
      return await claimsOf(await dpopClaims(request, reply))
    } catch (error) {
      throw withDPoPChallenge(error)
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
