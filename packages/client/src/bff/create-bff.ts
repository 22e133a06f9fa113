/**
 * @module `createBff(options)`: the backend-for-frontend core. It runs the code flow itself as a
 * confidential client, keeps every token on the server, and gives the browser only a `__Host-` HttpOnly
 * session cookie. Routes under the prefix (default `/bff`):
 *
 *   GET  /login?returnTo=/path   → the provider's authorization page
 *   GET  /callback               → checks the answer, makes the session, back to returnTo
 *   POST /logout[?local]         → ends the session here, revokes its refresh token, and (unless
 *                                  `local`) hands the browser to the provider's end-session URL
 *   GET  /session                → who is signed in (claims only, never a token)
 *   POST /backchannel-logout     → the provider's logout token ends the sessions it names
 *   ANY  /api/*                  → the app's API, with the access token added (when apiBaseUrl is set)
 *
 * State-changing requests that ride on the cookie pass the session-mode CSRF rule (csrf.ts).
 */
import { hostCookie } from './cookies.js'
import { checkSameOrigin, SAFE_METHODS } from './csrf.js'
import { BffError, BffNotSignedIn } from './errors.js'
import type { BffRequest, BffResponse } from './http-types.js'
import { type BffOptions, type BffSettings, resolveBffOptions } from './options.js'
import { discover, endSessionUrl, type ProviderMetadata, revokeToken } from './provider.js'
import { proxyToApi } from './proxy.js'
import type { BffSession } from './session-store.js'
import { BffSessions } from './sessions.js'
import { finishSignIn, startSignIn } from './sign-in.js'
import { providerTokenChecks } from './token-checks.js'

export interface Bff {
  /** The settings after defaults (the redirect URI to register is `settings.redirectUri`). */
  readonly settings: BffSettings
  readonly provider: ProviderMetadata
  /** The back-channel logout URI to register for the client. */
  readonly backchannelLogoutUri: string
  /** Answers a request under the prefix; undefined for any other path (the app answers it). */
  handle(request: BffRequest): Promise<BffResponse | undefined>
  /** The signed-in session of a request (by its `Cookie` header), or undefined. */
  session(cookieHeader: string | string[] | undefined): Promise<BffSession | undefined>
  /**
   * A fresh access token for the app's own server-side calls (refreshed here when due); throws
   * BffNotSignedIn without a session.
   */
  getAccessToken(cookieHeader: string | string[] | undefined): Promise<string>
}

const JSON_HEADERS = { 'content-type': 'application/json', 'cache-control': 'no-store' }

function json(status: number, body: unknown, extra: Record<string, string | string[]> = {}): BffResponse {
  return { status, headers: { ...JSON_HEADERS, ...extra }, body: JSON.stringify(body) }
}

function redirect(location: string, cookies: string[] = []): BffResponse {
  return {
    status: 303,
    headers: { location, 'cache-control': 'no-store', ...(cookies.length ? { 'set-cookie': cookies } : {}) },
  }
}

/** The answer for a typed refusal; anything else is a 500 without its reason (which goes to `onError`). */
function refusal(error: unknown, cookies: string[] = []): BffResponse {
  if (error instanceof BffError)
    return json(
      error.status,
      { error: error.code, error_description: error.message },
      cookies.length ? { 'set-cookie': cookies } : {},
    )
  return json(500, { error: 'ERR_BFF_INTERNAL', error_description: 'the BFF failed; its log says why' })
}

/** What the browser may see of a session: who, not how (no token of any kind). */
function publicView(session: BffSession): Record<string, unknown> {
  return {
    signedIn: true,
    user: session.user,
    expiresAt: new Date(session.expiresAt).toISOString(),
  }
}

export async function createBff(options: BffOptions & { onError?: (error: unknown) => void }): Promise<Bff> {
  const settings = resolveBffOptions(options)
  const provider = await discover(settings.issuer, settings.fetch)
  const checks = providerTokenChecks(provider, settings.client.clientId, { clock: settings.clock })
  const sessions = new BffSessions(settings, provider)
  const onError = options.onError ?? (() => {})
  const { prefix } = settings

  async function logout(request: BffRequest, search: URLSearchParams): Promise<BffResponse> {
    checkSameOrigin(request.headers, settings.allowedOrigins)
    const found = await sessions.find(request.headers.cookie)
    const cookies = [sessions.clearCookie()]
    let location: string | undefined
    if (found) {
      await sessions.end(found.key)
      if (found.session.refreshToken)
        await revokeToken(provider, settings.client, found.session.refreshToken, settings.fetch)
      if (!search.has('local'))
        location = endSessionUrl(provider, {
          idTokenHint: found.session.idToken,
          clientId: settings.client.clientId,
          postLogoutRedirectUri: settings.postLogoutRedirectUri,
        })
    }
    const next = location ?? settings.postLogoutRedirectUri
    const wantsJson = String(request.headers.accept ?? '').includes('application/json')
    return wantsJson
      ? json(200, { signedOut: true, redirect: next }, { 'set-cookie': cookies })
      : redirect(next, cookies)
  }

  async function backchannelLogout(request: BffRequest): Promise<BffResponse> {
    const form = new URLSearchParams(new TextDecoder().decode(request.body ?? new Uint8Array()))
    const token = form.get('logout_token')
    if (!token) return json(400, { error: 'invalid_request', error_description: 'logout_token is missing' })
    try {
      const match = await checks.logoutToken(token)
      await settings.store.deleteByProviderSession(
        match.sid !== undefined ? { sid: match.sid } : { sub: match.sub! },
      )
      return { status: 200, headers: { 'cache-control': 'no-store' } }
    } catch (error) {
      if (!(error instanceof BffError)) throw error
      return json(400, { error: 'invalid_request', error_description: error.message })
    }
  }

  async function route(request: BffRequest, path: string, url: URL): Promise<BffResponse> {
    const method = request.method.toUpperCase()
    if (path === '/login' && method === 'GET') {
      const { location, cookie } = await startSignIn(settings, provider, url.searchParams.get('returnTo'), {
        prompt: url.searchParams.get('prompt'),
        loginHint: url.searchParams.get('login_hint'),
      })
      return redirect(location, [cookie])
    }
    if (path === '/callback' && method === 'GET') {
      const clearPending = hostCookie(settings.pendingCookieName, '', 0)
      try {
        const { session, returnTo } = await finishSignIn(
          settings,
          provider,
          checks,
          request.headers.cookie,
          url.searchParams,
        )
        // A session fixed before sign-in is never reused: the old cookie's session ends, a new id is issued.
        const previous = await sessions.find(request.headers.cookie)
        if (previous) await sessions.end(previous.key)
        return redirect(returnTo, [clearPending, await sessions.create(session)])
      } catch (error) {
        return refusal(error, [clearPending])
      }
    }
    if (path === '/logout' && method === 'POST') return logout(request, url.searchParams)
    if (path === '/backchannel-logout' && method === 'POST') return backchannelLogout(request)
    if (path === '/session' && method === 'GET') {
      const found = await sessions.find(request.headers.cookie)
      return json(200, found ? publicView(found.session) : { signedIn: false })
    }
    if (settings.apiBaseUrl && (path === '/api' || path.startsWith('/api/'))) {
      if (!SAFE_METHODS.has(method)) checkSameOrigin(request.headers, settings.allowedOrigins)
      const found = await sessions.find(request.headers.cookie)
      if (!found) throw new BffNotSignedIn()
      return proxyToApi(
        settings.apiBaseUrl,
        path.slice(4),
        url.search,
        request,
        sessions,
        found,
        settings.fetch,
      )
    }
    return json(404, { error: 'not_found', error_description: `no BFF route ${method} ${prefix}${path}` })
  }

  return {
    settings,
    provider,
    backchannelLogoutUri: `${settings.origin}${prefix}/backchannel-logout`,
    async handle(request) {
      const url = new URL(request.url, settings.origin)
      if (url.pathname !== prefix && !url.pathname.startsWith(`${prefix}/`)) return undefined
      try {
        return await route(request, url.pathname.slice(prefix.length), url)
      } catch (error) {
        if (!(error instanceof BffError)) onError(error)
        return refusal(error)
      }
    },
    async session(cookieHeader) {
      return (await sessions.find(cookieHeader))?.session
    },
    async getAccessToken(cookieHeader) {
      const found = await sessions.find(cookieHeader)
      if (!found) throw new BffNotSignedIn()
      return sessions.accessToken(found)
    },
  }
}
