/**
 * @module "Photos": a public relying party (no secret, PKCE only) built on `oauth4webapi`, on another
 * site (localhost) than Notes. It learns that the provider session ended at its next check (every page
 * view refreshes its tokens, and the provider refuses them once the session is gone), and sooner over
 * back-channel logout when it is registered with its endpoint (the development registration is).
 */
import { EventEmitter } from 'node:events'
import type { ServerResponse } from 'node:http'
import * as oauth from 'oauth4webapi'
import { backchannelLogoutHandler } from '../backchannel-endpoint.js'
import { listen, readForm, redirect, sendHtml, sendJson, sendText } from '../http.js'
import { type LocalSession, LocalSessions, PENDING_TTL_MS } from '../local-sessions.js'
import { logoutTokenVerifier } from '../logout-token.js'
import type { DemoApp, DemoAppOptions } from '../options.js'
import { SCOPE } from '../options.js'
import { renderError, renderPage } from '../page.js'

const APP = 'Photos'
const ABOUT = 'A public client on oauth4webapi: PKCE, no secret; checks the provider on every view.'

const pick = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined)

export async function startPhotosApp(options: DemoAppOptions): Promise<DemoApp> {
  const issuer = new URL(options.issuer)
  const log = options.log ?? (() => {})
  // Plain HTTP only for a loopback development provider; anything else stays https-only.
  const insecure = issuer.protocol === 'http:' ? { [oauth.allowInsecureRequests]: true } : {}
  const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, insecure))
  const client: oauth.Client = { client_id: options.clientId }
  const clientAuth = oauth.None()
  const sessions = new LocalSessions('photos_session')
  const events = new EventEmitter()
  if (!as.jwks_uri) throw new Error('the provider publishes no jwks_uri; Photos cannot check logout tokens')
  const verifier = logoutTokenVerifier({
    issuer: as.issuer,
    clientId: options.clientId,
    jwksUri: as.jwks_uri,
    algorithms: as.id_token_signing_alg_values_supported ?? ['RS256'],
  })
  const backchannel = backchannelLogoutHandler({ app: 'photos', verifier, sessions, events, log })
  const publicHost = options.publicHost ?? 'localhost'
  let origin = ''
  const redirectUri = () => `${origin}/callback`

  function signOutLocally(session: LocalSession, notice: string, reason: string): void {
    const sid = session.user?.sid
    delete session.user
    session.notice = notice
    events.emit('signed-out', { sid, reason })
  }

  /** The check on every view: a refresh grant, which the provider refuses once its session ended. */
  async function check(session: LocalSession): Promise<string | undefined> {
    const user = session.user
    if (!user?.refreshToken) return undefined
    const response = await oauth.refreshTokenGrantRequest(as, client, clientAuth, user.refreshToken, insecure)
    try {
      const tokens = await oauth.processRefreshTokenResponse(as, client, response)
      user.accessToken = tokens.access_token
      user.refreshToken = tokens.refresh_token ?? user.refreshToken
      user.refreshedAt = Date.now()
      return `Checked with the provider at ${new Date(user.refreshedAt).toISOString()}: the session is live.`
    } catch (error) {
      if (!(error instanceof oauth.ResponseBodyError) || error.error !== 'invalid_grant') throw error
      signOutLocally(
        session,
        'Signed out: the provider refused the refresh token (the session ended at another app).',
        'refresh-refused',
      )
      return undefined
    }
  }

  async function home(session: LocalSession, response: ServerResponse): Promise<void> {
    const checked = await check(session)
    sendHtml(
      response,
      200,
      renderPage({
        app: APP,
        accent: '#8a3f8f',
        about: ABOUT,
        session,
        ...(checked ? { check: checked } : {}),
        ...(options.otherApp ? { otherApp: options.otherApp } : {}),
      }),
    )
  }

  async function login(session: LocalSession, response: ServerResponse): Promise<void> {
    const pending = {
      state: oauth.generateRandomState(),
      nonce: oauth.generateRandomNonce(),
      codeVerifier: oauth.generateRandomCodeVerifier(),
      startedAt: Date.now(),
    }
    session.pending = pending
    const url = new URL(as.authorization_endpoint!)
    url.search = new URLSearchParams({
      client_id: client.client_id,
      response_type: 'code',
      redirect_uri: redirectUri(),
      scope: SCOPE,
      code_challenge: await oauth.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
    }).toString()
    redirect(response, url)
  }

  async function callback(session: LocalSession, response: ServerResponse, url: URL): Promise<void> {
    const pending = session.pending
    delete session.pending
    if (!pending || Date.now() - pending.startedAt > PENDING_TTL_MS) {
      sendHtml(response, 400, renderError(APP, 'No sign-in was in progress in this browser: start again.'))
      return
    }
    try {
      // RFC 9207: the response must carry our provider's `iss` (the mix-up defence).
      const params = oauth.validateAuthResponse(as, client, url, pending.state)
      const tokenResponse = await oauth.authorizationCodeGrantRequest(
        as,
        client,
        clientAuth,
        params,
        redirectUri(),
        pending.codeVerifier,
        insecure,
      )
      const tokens = await oauth.processAuthorizationCodeResponse(as, client, tokenResponse, {
        expectedNonce: pending.nonce,
        requireIdToken: true,
      })
      const claims = oauth.getValidatedIdTokenClaims(tokens)! as Record<string, unknown>
      const userinfo = (await oauth.processUserInfoResponse(
        as,
        client,
        String(claims.sub),
        await oauth.userInfoRequest(as, client, tokens.access_token, insecure),
      )) as Record<string, unknown>
      session.user = {
        sub: String(claims.sub),
        sid: typeof claims.sid === 'string' ? claims.sid : undefined,
        displayName: pick(userinfo.name) ?? pick(userinfo.preferred_username) ?? String(claims.sub),
        idToken: tokens.id_token!,
        idTokenClaims: claims,
        userinfo,
        accessToken: tokens.access_token,
        refreshToken: tokens.refresh_token,
        accessExpiresAt: tokens.expires_in ? Date.now() + tokens.expires_in * 1000 : undefined,
        signedInAt: Date.now(),
        refreshedAt: undefined,
      }
    } catch (error) {
      log(`photos: sign-in failed: ${(error as Error).message}`)
      sendHtml(response, 400, renderError(APP, `Sign-in failed: ${(error as Error).message}`))
      return
    }
    delete session.notice
    log(`photos: signed in sub=${session.user.sub} sid=${session.user.sid ?? '-'}`)
    events.emit('signed-in', { sub: session.user.sub, sid: session.user.sid })
    redirect(response, '/')
  }

  function logout(session: LocalSession, response: ServerResponse): void {
    const user = session.user
    if (!user) {
      redirect(response, '/')
      return
    }
    signOutLocally(session, 'You signed out here.', 'rp-logout')
    const url = new URL(as.end_session_endpoint ?? new URL('/logout', issuer))
    url.search = new URLSearchParams({
      id_token_hint: user.idToken,
      client_id: client.client_id,
      post_logout_redirect_uri: `${origin}/`,
    }).toString()
    redirect(response, url)
  }

  const listening = await listen(
    options.host ?? '127.0.0.1',
    options.port,
    () => origin,
    async (request, response, url) => {
      const route = `${request.method} ${url.pathname}`
      if (route === 'POST /backchannel-logout') return backchannel(request, response)
      const session = sessions.get(request, response)
      if (route === 'GET /') return home(session, response)
      if (route === 'GET /login') return login(session, response)
      if (route === 'GET /callback') return callback(session, response, url)
      if (route === 'GET /state') {
        await check(session)
        const user = session.user
        return sendJson(response, 200, {
          signedIn: user !== undefined,
          ...(user ? { sub: user.sub, sid: user.sid } : {}),
          ...(session.notice ? { notice: session.notice } : {}),
        })
      }
      if (request.method === 'POST' && (url.pathname === '/refresh' || url.pathname === '/logout')) {
        const form = await readForm(request)
        if (!sessions.checkCsrf(session, form.get('csrf'))) {
          sendText(response, 403, 'This form is stale or came from another site: reload the page.')
          return
        }
        if (url.pathname === '/logout') return logout(session, response)
        return redirect(response, '/') // the view after it refreshes
      }
      sendText(response, 404, 'Not found')
    },
    (error) => log(`photos: request failed: ${(error as Error).message}`),
  )
  origin = `http://${publicHost}:${listening.port}`
  return {
    url: origin,
    redirectUri: redirectUri(),
    postLogoutRedirectUri: `${origin}/`,
    backchannelLogoutUri: `${origin}/backchannel-logout`,
    events,
    close: listening.close,
  }
}
