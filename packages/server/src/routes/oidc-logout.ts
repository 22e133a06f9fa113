/**
 * @module RP-initiated logout at `/logout` (the `end_session_endpoint`; GET, or POST form-encoded). A
 * request whose `id_token_hint` names the browser's own provider session ends it at once; any other asks
 * first (a confirmation page whose form carries the session's CSRF token, so a link or a forged post on
 * another site signs nobody out). Ending goes through the one provider-session logout (back channel
 * included), then the browser goes to the registered `post_logout_redirect_uri` with `state`, or sees a
 * "signed out" page. An invalid request is shown on an error page and never redirected.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import formbody from '@fastify/formbody'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { checkCookieRequestOrigin } from '../http/csrf.js'
import { backChannel } from '../oidc/back-channel.js'
import { confirmLogoutPage, signedOutPage } from '../oidc/logout/confirm-page.js'
import { type LogoutParams, LogoutRefused, validateLogout } from '../oidc/logout/logout-request.js'
import { errorPage } from '../oidc/pages/error-page.js'
import { PAGE_HEADERS } from '../oidc/pages/html.js'
import { chooseLocale, type Locale } from '../oidc/pages/messages.js'
import type { Services } from '../services.js'
import { clearSessionCookie, readSessionCookie, sessionCookiePolicy } from '../sessions/session-cookie.js'
import type { ActiveSession } from '../sessions/session-service.js'

interface LogoutForm extends LogoutParams {
  csrf_token?: string
  logout?: string
}

const field = (maxLength: number) => ({ type: 'string', maxLength }) as const
const logoutParams = {
  type: 'object',
  properties: {
    id_token_hint: field(8192),
    client_id: field(256),
    post_logout_redirect_uri: field(2048),
    state: field(1024),
    ui_locales: field(256),
    csrf_token: field(128),
    logout: { type: 'string', enum: ['yes', 'no'] },
  },
} as const

const sameToken = (a: string | null, b: string | undefined): boolean =>
  a !== null &&
  b !== undefined &&
  timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest())

export function oidcLogoutRoutes(services: Services) {
  const { config, sessions, keys } = services
  const cookiePolicy = () => sessionCookiePolicy(config, services.issuer())
  const allowedOrigins = () => [new URL(services.issuer()).origin, ...config.allowedOrigins]

  const page = (reply: FastifyReply, status: number, html: string) =>
    reply.code(status).headers(PAGE_HEADERS).type('text/html; charset=utf-8').send(html)

  const currentSession = async (request: FastifyRequest): Promise<ActiveSession | undefined> => {
    try {
      return await sessions.resolve(readSessionCookie(request, cookiePolicy()))
    } catch {
      return undefined
    }
  }

  const handle = async (
    params: LogoutForm,
    request: FastifyRequest,
    reply: FastifyReply,
    posted: boolean,
  ) => {
    const locale: Locale = chooseLocale(
      (params.ui_locales ?? '').split(' ').filter(Boolean),
      request.headers['accept-language'],
    )
    let valid: Awaited<ReturnType<typeof validateLogout>>
    try {
      valid = await validateLogout(params, {
        issuer: services.issuer(),
        publicKey: (kid) => keys.publicKey(kid),
        findClient: (id) => services.clients.find(id),
      })
    } catch (error) {
      if (!(error instanceof LogoutRefused)) throw error
      return page(
        reply,
        400,
        errorPage({ locale, error: 'invalid_request', code: 'ERR_REQUEST_INVALID', message: error.message }),
      )
    }
    const finish = () =>
      valid.redirectTo !== undefined
        ? reply.code(303).header('cache-control', 'no-store').redirect(valid.redirectTo, 303)
        : page(reply, 200, signedOutPage(locale))

    const active = await currentSession(request)
    if (!active) {
      if (readSessionCookie(request, cookiePolicy()) !== undefined) clearSessionCookie(reply, cookiePolicy())
      return finish()
    }
    const proven = valid.hint?.sid === active.record.sid && valid.hint.sub === active.user.id
    if (!proven) {
      if (!posted || params.logout === undefined) {
        const { id_token_hint, client_id, post_logout_redirect_uri, state, ui_locales } = params
        return page(
          reply,
          200,
          confirmLogoutPage({
            locale,
            csrf: active.record.csrfToken ?? '',
            fields: { id_token_hint, client_id, post_logout_redirect_uri, state, ui_locales },
          }),
        )
      }
      // The confirmation form: our page, this session's token.
      const token = { expected: active.record.csrfToken, presented: params.csrf_token }
      try {
        checkCookieRequestOrigin(request.headers, allowedOrigins(), token)
        if (!sameToken(token.expected, token.presented)) throw new LogoutRefused('the form is stale')
      } catch {
        return page(
          reply,
          403,
          errorPage({
            locale,
            error: 'access_denied',
            code: 'ERR_CSRF_REJECTED',
            message:
              'this sign-out form did not come from this browser\u2019s session: open the sign-out link again',
          }),
        )
      }
      if (params.logout === 'no') return finish()
    }
    await backChannel(services).endSession(active.record.sid)
    clearSessionCookie(reply, cookiePolicy())
    return finish()
  }

  return async function plugin(app: FastifyInstance): Promise<void> {
    app.removeAllContentTypeParsers()
    await app.register(formbody, { bodyLimit: config.bodyLimit })
    // No HEAD (a 405 naming GET, POST): through this handler one would end a proven session.
    app.get<{ Querystring: LogoutForm }>(
      '/logout',
      { exposeHeadRoute: false, schema: { querystring: logoutParams } },
      (request, reply) => handle(request.query, request, reply, false),
    )
    app.post<{ Body: LogoutForm }>('/logout', { schema: { body: logoutParams } }, (request, reply) =>
      handle(request.body ?? {}, request, reply, true),
    )
  }
}
