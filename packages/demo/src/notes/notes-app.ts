/**
 * @module "Notes": a server-side confidential relying party built on `openid-client` (the certified
 * library): discovery, code + PKCE + nonce + state, ID-token validation, userinfo, refresh, RP-initiated
 * logout, and a back-channel logout endpoint that ends the local session when the provider says so.
 */
import { EventEmitter } from 'node:events'
import type { ServerResponse } from 'node:http'
import * as oidc from 'openid-client'
import { type AppContext, AppSite, serveApp } from '../app-server.js'
import { backchannelForProvider } from '../backchannel-endpoint.js'
import { redirect } from '../http.js'
import { type LocalSession, LocalSessions } from '../local-sessions.js'
import type { DemoApp, DemoAppOptions } from '../options.js'
import { SCOPE } from '../options.js'
import { signedIn, signedInUser, signInFailed, startSignIn, takePendingSignIn } from '../sign-in.js'
import { logoutHere, signOutLocally } from '../sign-out.js'

const APP = 'Notes'
const ABOUT = 'A confidential client on openid-client: code + PKCE, back-channel logout.'

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
  const context: AppContext = {
    name: 'notes',
    title: APP,
    accent: '#2f6f4f',
    about: ABOUT,
    defaultPublicHost: '127.0.0.1',
    events: new EventEmitter(),
    log,
    sessions: new LocalSessions('notes_session'),
    site: new AppSite(),
  }
  const { events, site } = context
  const backchannel = backchannelForProvider(context, config.serverMetadata(), options.clientId)

  async function login(session: LocalSession, response: ServerResponse): Promise<void> {
    const pending = startSignIn(session, {
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      codeVerifier: oidc.randomPKCECodeVerifier(),
    })
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: site.redirectUri,
      scope: SCOPE,
      code_challenge: await oidc.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
    })
    redirect(response, url)
  }

  async function callback(session: LocalSession, response: ServerResponse, url: URL): Promise<void> {
    const pending = takePendingSignIn(session, response, APP)
    if (!pending) return
    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>
    try {
      tokens = await oidc.authorizationCodeGrant(config, url, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedNonce: pending.nonce,
        expectedState: pending.state,
        idTokenExpected: true,
      })
    } catch (error) {
      signInFailed(context, response, error)
      return
    }
    const claims = tokens.claims() as Record<string, unknown>
    const userinfo = (await oidc.fetchUserInfo(config, tokens.access_token, String(claims.sub))) as Record<
      string,
      unknown
    >
    signedIn(context, session, response, signedInUser(claims, userinfo, tokens))
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
      signOutLocally(
        events,
        session,
        'Signed out: the provider refused the refresh token.',
        'refresh-refused',
      )
    }
    redirect(response, '/')
  }

  function logout(session: LocalSession, response: ServerResponse): void {
    logoutHere(events, session, response, (user) =>
      oidc.buildEndSessionUrl(config, {
        id_token_hint: user.idToken,
        post_logout_redirect_uri: site.postLogoutRedirectUri,
      }),
    )
  }

  return serveApp(options, context, { backchannel, login, callback, refresh, logout })
}
