/**
 * @module "Notes": a server-side confidential relying party built on `openid-client` (the certified
 * library): discovery, code + PKCE + nonce + state, ID-token validation, userinfo, refresh, RP-initiated
 * logout, and a back-channel logout endpoint that ends the local session when the provider says so.
 */
import { EventEmitter } from 'node:events'
import type { ServerResponse } from 'node:http'
import * as oidc from 'openid-client'
import { backchannelLogoutHandler } from '../backchannel-endpoint.js'
import { listen, readForm, redirect, sendHtml, sendJson, sendText } from '../http.js'
import { type LocalSession, LocalSessions, PENDING_TTL_MS, type SignedIn } from '../local-sessions.js'
import { logoutTokenVerifier } from '../logout-token.js'
import type { DemoApp, DemoAppOptions } from '../options.js'
import { SCOPE } from '../options.js'
import { renderError, renderPage } from '../page.js'

const APP = 'Notes'
const ABOUT = 'A confidential client on openid-client: code + PKCE, back-channel logout.'

function displayName(claims: Record<string, unknown>, userinfo: Record<string, unknown>): string {
  const pick = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined)
  return pick(userinfo.name) ?? pick(userinfo.preferred_username) ?? String(claims.sub)
}

/** An OAuth error answer from the provider (invalid_grant after logout, for one). */
function oauthError(error: unknown): string | undefined {
  return error instanceof oidc.ResponseBodyError ? error.error : undefined
}

export async function startNotesApp(options: DemoAppOptions): Promise<DemoApp> {
  const issuer = new URL(options.issuer)
  const log = options.log ?? (() => {})
  const config = await oidc.discovery(
    issuer,
    options.clientId,
    options.clientSecret,
    oidc.ClientSecretBasic(options.clientSecret),
    // Plain HTTP only for a loopback development provider; anything else stays https-only.
    issuer.protocol === 'http:' ? { execute: [oidc.allowInsecureRequests] } : {},
  )
  const metadata = config.serverMetadata()
  if (!metadata.jwks_uri)
    throw new Error('the provider publishes no jwks_uri; Notes cannot check logout tokens')
  const logoutTokens = logoutTokenVerifier({
    issuer: metadata.issuer,
    clientId: options.clientId,
    jwksUri: metadata.jwks_uri,
    algorithms: metadata.id_token_signing_alg_values_supported ?? ['RS256'],
  })
  const sessions = new LocalSessions('notes_session')
  const events = new EventEmitter()
  const backchannel = backchannelLogoutHandler({
    app: 'notes',
    verifier: logoutTokens,
    sessions,
    events,
    log,
  })
  const publicHost = options.publicHost ?? '127.0.0.1'
  let origin = ''
  const redirectUri = () => `${origin}/callback`

  function signOutLocally(session: LocalSession, notice: string, reason: string): void {
    const sid = session.user?.sid
    delete session.user
    session.notice = notice
    events.emit('signed-out', { sid, reason })
  }

  async function home(session: LocalSession, response: ServerResponse): Promise<void> {
    sendHtml(
      response,
      200,
      renderPage({
        app: APP,
        accent: '#2f6f4f',
        about: ABOUT,
        session,
        ...(options.otherApp ? { otherApp: options.otherApp } : {}),
      }),
    )
  }

  async function login(session: LocalSession, response: ServerResponse): Promise<void> {
    const pending = {
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      codeVerifier: oidc.randomPKCECodeVerifier(),
      startedAt: Date.now(),
    }
    session.pending = pending
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri(),
      scope: SCOPE,
      code_challenge: await oidc.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
    })
    redirect(response, url)
  }

  async function callback(session: LocalSession, response: ServerResponse, url: URL): Promise<void> {
    const pending = session.pending
    delete session.pending
    if (!pending || Date.now() - pending.startedAt > PENDING_TTL_MS) {
      sendHtml(response, 400, renderError(APP, 'No sign-in was in progress in this browser: start again.'))
      return
    }
    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>
    try {
      tokens = await oidc.authorizationCodeGrant(config, url, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedNonce: pending.nonce,
        expectedState: pending.state,
        idTokenExpected: true,
      })
    } catch (error) {
      log(`notes: sign-in failed: ${(error as Error).message}`)
      sendHtml(response, 400, renderError(APP, `Sign-in failed: ${(error as Error).message}`))
      return
    }
    const claims = tokens.claims() as Record<string, unknown>
    const userinfo = (await oidc.fetchUserInfo(config, tokens.access_token, String(claims.sub))) as Record<
      string,
      unknown
    >
    const user: SignedIn = {
      sub: String(claims.sub),
      sid: typeof claims.sid === 'string' ? claims.sid : undefined,
      displayName: displayName(claims, userinfo),
      idToken: tokens.id_token!,
      idTokenClaims: claims,
      userinfo,
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token,
      accessExpiresAt: tokens.expires_in ? Date.now() + tokens.expires_in * 1000 : undefined,
      signedInAt: Date.now(),
      refreshedAt: undefined,
    }
    session.user = user
    delete session.notice
    log(`notes: signed in sub=${user.sub} sid=${user.sid ?? '-'}`)
    events.emit('signed-in', { sub: user.sub, sid: user.sid })
    redirect(response, '/')
  }

  async function refresh(session: LocalSession, response: ServerResponse): Promise<void> {
    const user = session.user
    if (!user?.refreshToken) {
      redirect(response, '/')
      return
    }
    try {
      const tokens = await oidc.refreshTokenGrant(config, user.refreshToken)
      user.accessToken = tokens.access_token
      user.refreshToken = tokens.refresh_token ?? user.refreshToken
      user.accessExpiresAt = tokens.expires_in ? Date.now() + tokens.expires_in * 1000 : undefined
      user.refreshedAt = Date.now()
    } catch (error) {
      if (oauthError(error) !== 'invalid_grant') throw error
      signOutLocally(session, 'Signed out: the provider refused the refresh token.', 'refresh-refused')
    }
    redirect(response, '/')
  }

  async function logout(session: LocalSession, response: ServerResponse): Promise<void> {
    const user = session.user
    if (!user) {
      redirect(response, '/')
      return
    }
    signOutLocally(session, 'You signed out here.', 'rp-logout')
    redirect(
      response,
      oidc.buildEndSessionUrl(config, {
        id_token_hint: user.idToken,
        post_logout_redirect_uri: `${origin}/`,
      }),
    )
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
        return url.pathname === '/refresh' ? refresh(session, response) : logout(session, response)
      }
      sendText(response, 404, 'Not found')
    },
    (error) => log(`notes: request failed: ${(error as Error).message}`),
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
