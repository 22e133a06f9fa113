/**
 * @module Session-mode endpoints: `POST /session/login`, `GET /session/me`,
 * `POST /session/logout`, `POST /session/logout-all` (every session and refresh family of the user) and
 * `POST /session/rotate` (a new id after a privilege change). Cookie-authenticated state changes pass
 * the CSRF check first: Fetch Metadata, then Origin, then the synchronizer token.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { SessionExpired, SessionInvalid } from '../errors.js'
import { checkCookieRequestOrigin, checkLoginRequestOrigin } from '../http/csrf.js'
import { startTiming } from '../http/server-timing.js'
import { backChannel } from '../oidc/back-channel.js'
import type { Services } from '../services.js'
import {
  clearSessionCookie,
  readSessionCookie,
  type SessionCookiePolicy,
  sessionCookiePolicy,
  setSessionCookie,
} from '../sessions/session-cookie.js'
import type { ActiveSession, IssuedSession } from '../sessions/session-service.js'
import { credentialsBody, errorResponses } from './schemas.js'

interface LoginBody {
  username: string
  password: string
}

const loginBody = {
  ...credentialsBody,
  properties: {
    username: credentialsBody.properties.username,
    password: credentialsBody.properties.password,
  },
} as const

const sessionResponse = {
  type: 'object',
  required: ['sub', 'username', 'csrf_token', 'idle_expires_in', 'expires_in'],
  properties: {
    sub: { type: 'string' },
    username: { type: 'string' },
    /** Send back as X-CSRF-Token from clients without Sec-Fetch-Site/Origin. */
    csrf_token: { type: 'string' },
    /** Seconds until the idle timeout, and until the absolute one. */
    idle_expires_in: { type: 'integer' },
    expires_in: { type: 'integer' },
  },
} as const

const logoutAllResponse = {
  type: 'object',
  properties: { sessions_ended: { type: 'integer' }, refresh_families_ended: { type: 'integer' } },
} as const

/** The body accepts `{}` or nothing at all (the web demo sends `{}`, curl sends nothing). */
const emptyBody = { type: 'object', additionalProperties: false, properties: {} } as const

export function sessionRoutes(services: Services) {
  const { config, users, sessions } = services
  const policy = (): SessionCookiePolicy => sessionCookiePolicy(config, services.issuer())
  const allowedOrigins = () => [new URL(services.issuer()).origin, ...config.allowedOrigins]

  const describe = (user: { id: string; username: string }, record: IssuedSession['record']) => {
    const now = services.clock()
    return {
      sub: user.id,
      username: user.username,
      csrf_token: record.csrfToken ?? '',
      idle_expires_in: Math.max(0, Math.floor((record.idleExpiresAt - now) / 1000)),
      expires_in: Math.max(0, Math.floor((record.absoluteExpiresAt - now) / 1000)),
    }
  }

  /** The session behind the cookie, timed: Server-Timing tells `tessera compare` the server's work. */
  const authenticate = async (request: FastifyRequest, reply: FastifyReply): Promise<ActiveSession> => {
    const timing = startTiming()
    const cookiePolicy = policy()
    try {
      return await timing.time('session', () => sessions.resolve(readSessionCookie(request, cookiePolicy)))
    } catch (error) {
      // A cookie that names no live session is useless: clear it so the app shows its login form. Not on
      // other errors: a store that is briefly down (503) must not log everyone out.
      const dead = error instanceof SessionInvalid || error instanceof SessionExpired
      if (dead && readSessionCookie(request, cookiePolicy) !== undefined)
        clearSessionCookie(reply, cookiePolicy)
      throw error
    } finally {
      reply.header('server-timing', timing.header())
    }
  }

  /**
   * Authenticates by cookie and runs the CSRF check a state change needs — as an onRequest hook, before
   * the body is parsed, so a forged form post is refused as CSRF whatever it carries.
   */
  const checked = new WeakMap<FastifyRequest, ActiveSession>()
  const cookieChange = async (request: FastifyRequest, reply: FastifyReply) => {
    const active = await authenticate(request, reply)
    checkCookieRequestOrigin(request.headers, allowedOrigins(), {
      expected: active.record.csrfToken,
      presented: request.headers['x-csrf-token'],
    })
    checked.set(request, active)
  }
  const sessionOf = (request: FastifyRequest): ActiveSession => checked.get(request)!
  const loginOrigin = async (request: FastifyRequest) => {
    checkLoginRequestOrigin(request.headers, allowedOrigins())
  }

  const emptyBodyIsObject = async (request: FastifyRequest) => {
    if (request.body === undefined || request.body === null) request.body = {}
  }

  return async function plugin(app: FastifyInstance): Promise<void> {
    app.post<{ Body: LoginBody }>(
      '/session/login',
      {
        onRequest: loginOrigin,
        schema: { body: loginBody, response: { 200: sessionResponse, ...errorResponses } },
      },
      async (request, reply) => {
        const user = await users.authenticate(request.body.username, request.body.password, request.ip)
        const cookiePolicy = policy()
        const issued = await sessions.login(user, readSessionCookie(request, cookiePolicy))
        setSessionCookie(reply, cookiePolicy, issued.id)
        reply.header('cache-control', 'no-store')
        return describe(user, issued.record)
      },
    )

    app.get(
      '/session/me',
      { schema: { response: { 200: sessionResponse, ...errorResponses } } },
      async (request, reply) => {
        const { user, record } = await authenticate(request, reply)
        reply.header('cache-control', 'no-store')
        return describe(user, record)
      },
    )

    app.post(
      '/session/logout',
      {
        onRequest: cookieChange,
        preValidation: emptyBodyIsObject,
        schema: { body: emptyBody, response: { 204: { type: 'null' }, ...errorResponses } },
      },
      async (request, reply) => {
        // The provider session ends the one way every logout ends it: its refresh families revoked and
        // the relying parties it signed in to told over the back channel.
        await backChannel(services).endSession(sessionOf(request).record.sid)
        clearSessionCookie(reply, policy())
        reply.code(204)
        return null
      },
    )

    app.post(
      '/session/logout-all',
      {
        onRequest: cookieChange,
        preValidation: emptyBodyIsObject,
        schema: { body: emptyBody, response: { 200: logoutAllResponse, ...errorResponses } },
      },
      async (request, reply) => {
        const { user } = sessionOf(request)
        const ended = await sessions.logoutEverywhere(user.id)
        clearSessionCookie(reply, policy())
        return { sessions_ended: ended.sessions, refresh_families_ended: ended.families }
      },
    )

    app.post(
      '/session/rotate',
      {
        onRequest: cookieChange,
        preValidation: emptyBodyIsObject,
        schema: { body: emptyBody, response: { 200: sessionResponse, ...errorResponses } },
      },
      async (request, reply) => {
        const { user } = sessionOf(request)
        const issued = await sessions.rotate(readSessionCookie(request, policy())!)
        setSessionCookie(reply, policy(), issued.id)
        reply.header('cache-control', 'no-store')
        return describe(user, issued.record)
      },
    )
  }
}
