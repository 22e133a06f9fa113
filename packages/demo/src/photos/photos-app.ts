/**
 * @module "Photos": a public relying party (no secret, PKCE only) built on `oauth4webapi`, on another
 * site (localhost) than Notes. It learns that the provider session ended at its next check (every page
 * view refreshes its tokens, and the provider refuses them once the session is gone), and sooner over
 * back-channel logout when it is registered with its endpoint (the development registration is).
 */
import { EventEmitter } from 'node:events'
import type { ServerResponse } from 'node:http'
import * as oauth from 'oauth4webapi'
import { type AppContext, AppSite, serveApp } from '../app-server.js'
import { backchannelForProvider } from '../backchannel-endpoint.js'
import { redirect } from '../http.js'
import { type LocalSession, LocalSessions, type SignedIn } from '../local-sessions.js'
import type { DemoApp, DemoAppOptions } from '../options.js'
import { SCOPE } from '../options.js'
import { signedIn, signedInUser, signInFailed, startSignIn, takePendingSignIn } from '../sign-in.js'
import { logoutHere, signOutLocally } from '../sign-out.js'

const APP = 'Photos'
const ABOUT = 'A public client on oauth4webapi: PKCE, no secret; checks the provider on every view.'

export async function startPhotosApp(options: DemoAppOptions): Promise<DemoApp> {
  const issuer = new URL(options.issuer)
  const log = options.log ?? (() => {})
  // Plain HTTP only for a loopback development provider; anything else stays https-only.
  const insecure = issuer.protocol === 'http:' ? { [oauth.allowInsecureRequests]: true } : {}
  const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, insecure))
  const client: oauth.Client = { client_id: options.clientId }
  const clientAuth = oauth.None()
  const context: AppContext = {
    name: 'photos',
    title: APP,
    accent: '#8a3f8f',
    about: ABOUT,
    defaultPublicHost: 'localhost',
    events: new EventEmitter(),
    log,
    sessions: new LocalSessions('photos_session'),
    site: new AppSite(),
  }
  const { events, site } = context
  const backchannel = backchannelForProvider(context, as, options.clientId)

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
        events,
        session,
        'Signed out: the provider refused the refresh token (the session ended at another app).',
        'refresh-refused',
      )
      return undefined
    }
  }

  async function login(session: LocalSession, response: ServerResponse): Promise<void> {
    const pending = startSignIn(session, {
      state: oauth.generateRandomState(),
      nonce: oauth.generateRandomNonce(),
      codeVerifier: oauth.generateRandomCodeVerifier(),
    })
    const url = new URL(as.authorization_endpoint!)
    url.search = new URLSearchParams({
      client_id: client.client_id,
      response_type: 'code',
      redirect_uri: site.redirectUri,
      scope: SCOPE,
      code_challenge: await oauth.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
    }).toString()
    redirect(response, url)
  }

  async function callback(session: LocalSession, response: ServerResponse, url: URL): Promise<void> {
    const pending = takePendingSignIn(session, response, APP)
    if (!pending) return
    let user: SignedIn
    try {
      // RFC 9207: the response must carry our provider's `iss` (the mix-up defence).
      const params = oauth.validateAuthResponse(as, client, url, pending.state)
      const tokenResponse = await oauth.authorizationCodeGrantRequest(
        as,
        client,
        clientAuth,
        params,
        site.redirectUri,
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
      user = signedInUser(claims, userinfo, tokens)
    } catch (error) {
      signInFailed(context, response, error)
      return
    }
    signedIn(context, session, response, user)
  }

  function logout(session: LocalSession, response: ServerResponse): void {
    logoutHere(events, session, response, (user) => {
      const url = new URL(as.end_session_endpoint ?? new URL('/logout', issuer))
      url.search = new URLSearchParams({
        id_token_hint: user.idToken,
        client_id: client.client_id,
        post_logout_redirect_uri: site.postLogoutRedirectUri,
      }).toString()
      return url
    })
  }

  return serveApp(options, context, { backchannel, check, login, callback, logout })
}
