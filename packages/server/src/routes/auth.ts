/**
 * @module Token-mode endpoints: register, login, refresh, logout. Each handler parses, calls a service,
 * and shapes the answer; errors go to the app's one error handler.
 *
 * DPoP (RFC 9449): a `DPoP` proof on register, login or refresh makes the answer `token_type: "DPoP"` with
 * an access token bound to the proof's key, and binds the family (these are public clients), so it then
 * refreshes — and logs out by refresh token — only with proofs by that key. Logout by access token takes
 * `Authorization: DPoP <token>` with its proof.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { sendDPoPNonces, tokenRequestProof } from '../dpop/token-request.js'
import { RegistrationDisabled, RequestInvalid } from '../errors.js'
import { bearerToken, dpopToken, isDPoPAuthorization } from '../http/bearer.js'
import { checkCookieRequestOrigin } from '../http/csrf.js'
import { checkDPoPAccess, refuseBoundAsBearer } from '../http/dpop-access.js'
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
      token_type: set.tokenType,
      expires_in: set.expiresIn,
      ...(cookie ? {} : { refresh_token: set.refreshToken }),
      scope: set.scope,
    }
  }

  const proofOf = (request: FastifyRequest) => tokenRequestProof(services.dpop, request)

  /** The family of a refresh token presented to log out; a DPoP-bound one only with its key's proof. */
  const familyToEnd = async (request: FastifyRequest, refreshToken: string) => {
    const family = await tokens.familyOfRefreshToken(refreshToken)
    if (family?.dpopJkt) await services.dpop.check(request, { jkt: family.dpopJkt })
    return family
  }

  /** The session behind the access token of `Authorization`: Bearer, or DPoP with a proof by its key. */
  const sessionOfAccessToken = async (request: FastifyRequest) => {
    const authorization = request.headers.authorization
    const dpop = isDPoPAuthorization(authorization)
    const token = dpop ? dpopToken(authorization) : bearerToken(authorization)
    const { claims } = await tokens.verifyAccessToken(token)
    if (dpop) await checkDPoPAccess(services.dpop, request, token, claims)
    else refuseBoundAsBearer(claims)
    return claims.sid
  }

  const emptyBodyIsObject = async (request: FastifyRequest) => {
    if (request.body === undefined || request.body === null) request.body = {}
  }

  return async function plugin(app: FastifyInstance): Promise<void> {
    // JSON only: Fastify's default text/plain parser would turn a wrong media type into a 400, not a 415.
    app.removeContentTypeParser('text/plain')
    sendDPoPNonces(app, services.dpop)

    app.post<{ Body: CredentialsBody }>(
      '/auth/register',
      { schema: { body: credentialsBody, response: { 201: tokenResponse, ...errorResponses } } },
      async (request, reply) => {
        if (!config.registration) throw new RegistrationDisabled()
        const client = tokens.checkClient(request.body.client_id)
        // The proof before the account: a refused proof must not leave a user behind without tokens.
        const dpopJkt = await proofOf(request)
        const user = await users.register(request.body.username, request.body.password, request.ip)
        await services.audit.record({ type: 'user.registered', userId: user.id, ip: request.ip })
        const cookie = request.body.refresh_token_delivery === 'cookie'
        const set = await tokens.issueForLogin(user, { client, cookie, dpopJkt })
        reply.code(201)
        return answer(reply, set, cookie)
      },
    )

    app.post<{ Body: CredentialsBody }>(
      '/auth/login',
      { schema: { body: credentialsBody, response: { 200: tokenResponse, ...errorResponses } } },
      async (request, reply) => {
        const client = tokens.checkClient(request.body.client_id)
        // The proof first: a refused one costs no password hash and no throttle count.
        const dpopJkt = await proofOf(request)
        const user = await users.authenticate(request.body.username, request.body.password, request.ip)
        const cookie = request.body.refresh_token_delivery === 'cookie'
        return answer(reply, await tokens.issueForLogin(user, { client, cookie, dpopJkt }), cookie)
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
        const dpopJkt = await proofOf(request)
        try {
          const delivery = viaCookie ? 'cookie' : 'body'
          return answer(reply, await tokens.refresh(token!, { client, delivery, dpopJkt }), viaCookie)
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
          const family = await familyToEnd(request, request.body.refresh_token)
          if (family) await tokens.endFamily(family.id)
        } else if (cookieToken !== undefined) {
          checkCookieRequestOrigin(request.headers, allowedOrigins())
          const family = await familyToEnd(request, cookieToken)
          if (family) await tokens.endFamily(family.id)
        } else if (request.headers.authorization !== undefined) {
          await tokens.endFamily(await sessionOfAccessToken(request))
        } else {
          throw new RequestInvalid(
            'send { "refresh_token": … }, the refresh cookie, or Authorization: Bearer (or DPoP) <access token>',
          )
        }
        if (cookieToken !== undefined) clearRefreshCookie(reply, secure)
        reply.code(204)
        return null
      },
    )
  }
}
