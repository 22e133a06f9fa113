/**
 * @module The front channel of the OpenID Connect provider: `GET`/`POST /authorize`, the login form
 * (`POST /authorize/login`), the consent form (`POST /authorize/consent`) and the pages' stylesheet.
 * Handlers read the parameters, call the flow (oidc/authorize/) and turn its outcome into a redirect or
 * a server-rendered page. Forms are read as raw `x-www-form-urlencoded` so a repeated parameter is seen.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { CsrfRejected } from '../errors.js'
import { checkLoginRequestOrigin } from '../http/csrf.js'
import { noteAnswer } from '../http/request-log.js'
import { AuthorizeError } from '../oidc/authorize/authorize-error.js'
import { AuthorizeFlow, type AuthorizeOutcome, type FormInput } from '../oidc/authorize/authorize-flow.js'
import { isBrowserBinding, newBrowserBinding } from '../oidc/authorize/interaction.js'
import { queryParams, type RequestParams, readParams } from '../oidc/authorize/request-params.js'
import { backChannel } from '../oidc/back-channel.js'
import { consentPage } from '../oidc/pages/consent-page.js'
import { errorPage } from '../oidc/pages/error-page.js'
import { PAGE_HEADERS, STYLESHEET_PATH } from '../oidc/pages/html.js'
import { loginPage } from '../oidc/pages/login-page.js'
import { chooseLocale, type Locale } from '../oidc/pages/messages.js'
import { PAGES_CSS } from '../oidc/pages/styles.js'
import type { Services } from '../services.js'
import {
  readSessionCookie,
  type SessionCookiePolicy,
  sessionCookiePolicy,
  setSessionCookie,
} from '../sessions/session-cookie.js'

export function oidcAuthorizeRoutes(services: Services) {
  const { config } = services
  const flow = new AuthorizeFlow({
    store: services.store,
    clock: services.clock,
    issuer: services.issuer,
    clients: services.clients,
    keys: services.keys,
    sessions: services.sessions,
    users: services.users,
    interactionKey: services.interactionKey,
    endSession: (sid) => backChannel(services).endSession(sid),
  })
  const cookiePolicy = (): SessionCookiePolicy => sessionCookiePolicy(config, services.issuer())
  const allowedOrigins = () => [new URL(services.issuer()).origin, ...config.allowedOrigins]

  /** The browser-binding cookie: host-only like the session cookie, and `__Host-` whenever it is. */
  const bindingName = () =>
    cookiePolicy().name.startsWith('__Host-') ? '__Host-tessera-authorize' : 'tessera-authorize'
  const readBinding = (request: FastifyRequest) => request.cookies[bindingName()]
  /** The browser's binding, created when it has none (kept otherwise, so two tabs can sign in at once). */
  const binding = (request: FastifyRequest, reply: FastifyReply): string => {
    const existing = readBinding(request)
    if (isBrowserBinding(existing)) return existing
    const fresh = newBrowserBinding()
    const policy = cookiePolicy()
    reply.setCookie(bindingName(), fresh, {
      httpOnly: true,
      secure: policy.secure,
      sameSite: 'lax',
      path: '/',
    })
    return fresh
  }

  const localeOf = (request: FastifyRequest, uiLocales: readonly string[]): Locale => {
    const accept = request.headers['accept-language']
    return chooseLocale(uiLocales, Array.isArray(accept) ? accept[0] : accept)
  }
  const uiLocalesOf = (params: RequestParams) => (params.get('ui_locales') ?? '').split(' ').slice(0, 10)

  const page = (reply: FastifyReply, status: number, html: string) =>
    reply.code(status).headers(PAGE_HEADERS).send(html)

  const refusalPage = (
    request: FastifyRequest,
    reply: FastifyReply,
    locale: Locale,
    error: AuthorizeError | CsrfRejected,
  ) => {
    noteAnswer(request, error.code)
    const status = error instanceof CsrfRejected ? 403 : 400
    const oauth = error instanceof CsrfRejected ? error.oauthError : error.error
    return page(reply, status, errorPage({ locale, error: oauth, code: error.code, message: error.message }))
  }

  const answer = (request: FastifyRequest, reply: FastifyReply, outcome: AuthorizeOutcome) => {
    if (outcome.kind === 'redirect') {
      // After a form post, 303 makes the browser follow with GET (RFC 9110 §15.4.4).
      reply.header('cache-control', 'no-store')
      return reply.redirect(outcome.location, request.method === 'POST' ? 303 : 302)
    }
    const locale = localeOf(request, outcome.request.uiLocales)
    if (outcome.kind === 'consent')
      return page(
        reply,
        200,
        consentPage({
          locale,
          clientName: outcome.client.name,
          username: outcome.user?.username ?? '',
          scope: outcome.request.scope,
          sealed: outcome.sealed,
          csrf: outcome.csrf,
        }),
      )
    const failure = outcome.failure
    if (failure?.reason === 'throttled') reply.header('retry-after', String(failure.retryAfter))
    if (failure)
      noteAnswer(
        request,
        failure.reason === 'throttled' ? 'ERR_AUTH_THROTTLED' : 'ERR_AUTH_CREDENTIALS_INVALID',
      )
    return page(
      reply,
      failure === undefined ? 200 : failure.reason === 'throttled' ? 429 : 401,
      loginPage({
        locale,
        clientName: outcome.client.name,
        sealed: outcome.sealed,
        csrf: outcome.csrf,
        username: outcome.request.loginHint,
        ...(failure ? { failure } : {}),
      }),
    )
  }

  /** Runs `work`; refusals that must not be redirected become the error page. */
  const guarded = async (
    request: FastifyRequest,
    reply: FastifyReply,
    locale: Locale,
    work: () => Promise<AuthorizeOutcome>,
  ) => {
    try {
      return answer(request, reply, await work())
    } catch (error) {
      if (error instanceof AuthorizeError || error instanceof CsrfRejected)
        return refusalPage(request, reply, locale, error)
      throw error
    }
  }

  const authorize = async (request: FastifyRequest, reply: FastifyReply, params: RequestParams) =>
    guarded(request, reply, localeOf(request, uiLocalesOf(params)), async () => {
      const session = await flow.currentSession(readSessionCookie(request, cookiePolicy()))
      // The binding cookie is set only when a page is shown (not on every single sign-on redirect).
      return flow.start(params, session, () => binding(request, reply))
    })

  const formInput = (request: FastifyRequest, form: RequestParams): FormInput => {
    const [repeated] = form.repeated
    if (repeated !== undefined)
      throw new AuthorizeError('ERR_AUTHORIZE_INTERACTION', 'the form sent a field more than once')
    // Login CSRF: a post from another site is refused outright (Fetch Metadata, then Origin); the
    // sealed request's token and binding cookie cover browsers that send neither header.
    checkLoginRequestOrigin(request.headers, allowedOrigins())
    return { sealed: form.get('interaction'), csrf: form.get('csrf_token'), binding: readBinding(request) }
  }

  return async function plugin(app: FastifyInstance): Promise<void> {
    app.removeAllContentTypeParsers()
    app.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: config.bodyLimit },
      (_request, body, done) => done(null, new URLSearchParams(body as string)),
    )
    const bodyOf = (request: FastifyRequest) =>
      readParams(request.body instanceof URLSearchParams ? request.body : new URLSearchParams())

    // No HEAD: Fastify would answer one through this handler, issuing a code, setting the binding
    // cookie or touching the session for a request whose answer nobody reads (RFC 9110 §9.2.1: HEAD is
    // safe). Without it the 405 answer names `Allow: GET, POST`.
    app.get('/authorize', { exposeHeadRoute: false }, async (request, reply) =>
      authorize(request, reply, readParams(queryParams(request.url))),
    )
    app.post('/authorize', async (request, reply) => authorize(request, reply, bodyOf(request)))

    app.post('/authorize/login', async (request, reply) =>
      guarded(request, reply, localeOf(request, []), async () => {
        const form = bodyOf(request)
        const input = formInput(request, form)
        const cookieId = readSessionCookie(request, cookiePolicy())
        const { outcome, issued } = await flow.login(
          { ...input, username: form.get('username'), password: form.get('password'), ip: request.ip },
          await flow.currentSession(cookieId),
          cookieId,
        )
        if (issued !== undefined) setSessionCookie(reply, cookiePolicy(), issued)
        return outcome
      }),
    )

    app.post('/authorize/consent', async (request, reply) =>
      guarded(request, reply, localeOf(request, []), async () => {
        const form = bodyOf(request)
        const input = formInput(request, form)
        const session = await flow.currentSession(readSessionCookie(request, cookiePolicy()))
        return flow.consent({ ...input, decision: form.get('consent') }, session)
      }),
    )

    app.get(STYLESHEET_PATH, async (_request, reply) =>
      reply
        .header('content-type', 'text/css; charset=utf-8')
        .header('cache-control', 'public, max-age=3600')
        .send(PAGES_CSS),
    )
  }
}
