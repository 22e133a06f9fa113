/**
 * @module Token-mode endpoints: register, login, refresh, logout. Each handler parses, calls a service,
 * and shapes the answer; errors go to the app's one error handler.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { RegistrationDisabled, RequestInvalid } from '../errors.js'
import { bearerToken } from '../http/bearer.js'
import { checkCookieRequestOrigin } from '../http/csrf.js'
import type { Services } from '../services.js'
import type { TokenSet } from '../tokens/token-set.js'
import { clearRefreshCookie, readRefreshCookie, setRefreshCookie } from './refresh-cookie.js'
import { credentialsBody, errorResponses, tokenResponse } from './schemas.js'

interface CredentialsBody {
  username: string
  password: string
  client_id?: string
  refresh_token_delivery?: 'body' | 'cookie'
}

interface RefreshBody {
  refresh_token?: string
  client_id?: string
}

const refreshBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    refresh_token: { type: 'string', minLength: 1, maxLength: 512 },
    client_id: { type: 'string', minLength: 1, maxLength: 128 },
  },
} as const

export function authRoutes(services: Services) {
  const { config, users, tokens } = services
  const secure = !config.insecureCookies
  const allowedOrigins = () => [new URL(services.issuer()).origin, ...config.allowedOrigins]

  const answer = (reply: FastifyReply, set: TokenSet, cookie: boolean) => {
    // RFC 6749 §5.1: token responses must not be cached.
    reply.header('cache-control', 'no-store').header('pragma', 'no-cache')
    if (cookie) setRefreshCookie(reply, secure, set.refreshToken, set.refreshExpiresIn)
    return {
      access_token: set.accessToken,
      token_type: 'Bearer',
      expires_in: set.expiresIn,
      ...(cookie ? {} : { refresh_token: set.refreshToken }),
      scope: set.scope,
    }
  }

  const emptyBodyIsObject = async (request: FastifyRequest) => {
    if (request.body === undefined || request.body === null) request.body = {}
  }

  return async function plugin(app: FastifyInstance): Promise<void> {
    // JSON only: Fastify's default text/plain parser would turn a wrong media type into a 400, not a 415.
    app.removeContentTypeParser('text/plain')

    app.post<{ Body: CredentialsBody }>(
      '/auth/register',
      { schema: { body: credentialsBody, response: { 201: tokenResponse, ...errorResponses } } },
      async (request, reply) => {
        if (!config.registration) throw new RegistrationDisabled()
        const client = tokens.checkClient(request.body.client_id)
        const user = await users.register(request.body.username, request.body.password, request.ip)
        await services.audit.record({ type: 'user.registered', userId: user.id, ip: request.ip })
        const cookie = request.body.refresh_token_delivery === 'cookie'
        const set = await tokens.issueForLogin(user, { client, cookie })
        reply.code(201)
        return answer(reply, set, cookie)
      },
    )

    app.post<{ Body: CredentialsBody }>(
      '/auth/login',
      { schema: { body: credentialsBody, response: { 200: tokenResponse, ...errorResponses } } },
      async (request, reply) => {
        const client = tokens.checkClient(request.body.client_id)
        const user = await users.authenticate(request.body.username, request.body.password, request.ip)
        const cookie = request.body.refresh_token_delivery === 'cookie'
        return answer(reply, await tokens.issueForLogin(user, { client, cookie }), cookie)
      },
    )

    app.post<{ Body: RefreshBody }>(
      '/auth/refresh',
      {
        preValidation: emptyBodyIsObject,
        schema: { body: refreshBody, response: { 200: tokenResponse, ...errorResponses } },
      },
      async (request, reply) => {
        const client = tokens.checkClient(request.body.client_id)
        let token = request.body.refresh_token
        const viaCookie = token === undefined
        if (viaCookie) {
          token = readRefreshCookie(request, secure)
          if (token === undefined) {
            throw new RequestInvalid('send { "refresh_token": … } in a JSON body, or the refresh cookie')
          }
          checkCookieRequestOrigin(request.headers, allowedOrigins())
        }
        try {
          const delivery = viaCookie ? 'cookie' : 'body'
          return answer(reply, await tokens.refresh(token!, { client, delivery }), viaCookie)
        } catch (error) {
          // A cookie that can no longer refresh is useless: clear it so the app shows its login form.
          if (viaCookie) clearRefreshCookie(reply, secure)
          throw error
        }
      },
    )

    app.post<{ Body: RefreshBody }>(
      '/auth/logout',
      {
        preValidation: emptyBodyIsObject,
        schema: { body: refreshBody, response: { 204: { type: 'null' }, ...errorResponses } },
      },
      async (request, reply) => {
        const cookieToken = readRefreshCookie(request, secure)
        if (request.body.refresh_token !== undefined) {
          const family = await tokens.familyOfRefreshToken(request.body.refresh_token)
          if (family) await tokens.endFamily(family.id)
        } else if (cookieToken !== undefined) {
          checkCookieRequestOrigin(request.headers, allowedOrigins())
          const family = await tokens.familyOfRefreshToken(cookieToken)
          if (family) await tokens.endFamily(family.id)
        } else if (request.headers.authorization !== undefined) {
          const { claims } = await tokens.verifyAccessToken(bearerToken(request.headers.authorization))
          await tokens.endFamily(claims.sid)
        } else {
          throw new RequestInvalid(
            'send { "refresh_token": … }, the refresh cookie, or Authorization: Bearer <access token>',
          )
        }
        if (cookieToken !== undefined) clearRefreshCookie(reply, secure)
        reply.code(204)
        return null
      },
    )
  }
}
