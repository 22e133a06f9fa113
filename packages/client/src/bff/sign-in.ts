/**
 * @module The code flow as the BFF runs it: the login redirect (PKCE S256, `state`, `nonce`, kept
 * server-side under a random handle in the `__Host-` sign-in cookie, so the callback only completes in
 * the browser that started it), and the callback (the OAuth error, `state`, `iss` (RFC 9207), the code
 * exchange with the client secret and the verifier, the ID token, userinfo) that makes the session.
 */
import { createLoginSecrets, randomToken } from '../pkce.js'
import { type HeaderValue, hostCookie, readCookie } from './cookies.js'
import { BffCallbackInvalid } from './errors.js'
import type { BffSettings } from './options.js'
import { fetchUserinfo, type ProviderMetadata, tokenRequest } from './provider.js'
import { sessionKey } from './session-key.js'
import type { BffSession } from './session-store.js'
import type { ProviderTokenChecks } from './token-checks.js'

/** How long a sign-in may take at the provider (seconds). */
const PENDING_LIFETIME = 600

/** A path on the app's own origin (`/…`, never `//host` or a URL), else `/`: no open redirect. */
export function safeReturnPath(value: string | null | undefined): string {
  if (!value?.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/'
  return value
}

/** The authorization URL to send the browser to, and the sign-in cookie that binds it to this browser. */
export async function startSignIn(
  settings: BffSettings,
  metadata: ProviderMetadata,
  returnTo: string | null,
  extra: { prompt?: string | null; loginHint?: string | null },
): Promise<{ location: string; cookie: string }> {
  const secrets = await createLoginSecrets()
  const handle = randomToken()
  await settings.store.setPending(sessionKey(handle), {
    state: secrets.state,
    nonce: secrets.nonce,
    codeVerifier: secrets.codeVerifier,
    returnTo: safeReturnPath(returnTo),
    expiresAt: settings.clock() + PENDING_LIFETIME * 1000,
  })
  const url = new URL(metadata.authorization_endpoint)
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: settings.client.clientId,
    redirect_uri: settings.redirectUri,
    scope: settings.scope,
    state: secrets.state,
    nonce: secrets.nonce,
    code_challenge: secrets.codeChallenge,
    code_challenge_method: 'S256',
    ...(extra.prompt ? { prompt: extra.prompt } : {}),
    ...(extra.loginHint ? { login_hint: extra.loginHint } : {}),
  }).toString()
  return { location: url.href, cookie: hostCookie(settings.pendingCookieName, handle, PENDING_LIFETIME) }
}

/** Completes the callback: the new session (not yet stored) and where the browser goes next. */
export async function finishSignIn(
  settings: BffSettings,
  metadata: ProviderMetadata,
  checks: ProviderTokenChecks,
  cookieHeader: HeaderValue,
  query: URLSearchParams,
): Promise<{ session: BffSession; returnTo: string }> {
  const handle = readCookie(cookieHeader, settings.pendingCookieName)
  const pending = handle ? await settings.store.takePending(sessionKey(handle)) : undefined
  if (!pending)
    throw new BffCallbackInvalid(
      'no sign-in was in progress in this browser (or it took over 10 minutes): start again',
    )
  // RFC 9207 §2.4: with the provider advertising `iss`, a response without it (or with another) is a mix-up.
  const iss = query.get('iss')
  if (metadata.authorization_response_iss_parameter_supported && iss === null)
    throw new BffCallbackInvalid(
      'the authorization response has no iss, which this provider always sends (RFC 9207)',
    )
  if (iss !== null && iss !== metadata.issuer)
    throw new BffCallbackInvalid(
      'the authorization response comes from another issuer (its iss is not ours, RFC 9207)',
    )
  if (query.get('state') !== pending.state)
    throw new BffCallbackInvalid('the authorization response carries another state than this sign-in sent')
  const oauthError = query.get('error')
  if (oauthError !== null)
    throw new BffCallbackInvalid(
      `the provider answered ${oauthError.slice(0, 64)}: ${(query.get('error_description') ?? '').slice(0, 200)}`,
      oauthError,
    )
  const code = query.get('code')
  if (!code) throw new BffCallbackInvalid('the authorization response has no code')
  const tokens = await tokenRequest(
    metadata,
    settings.client,
    {
      grant_type: 'authorization_code',
      code,
      redirect_uri: settings.redirectUri,
      code_verifier: pending.codeVerifier,
    },
    settings.fetch,
  )
  if (!tokens.id_token)
    throw new BffCallbackInvalid('the token response has no id_token (is openid in the scope?)')
  const claims = await checks.idToken(tokens.id_token, pending.nonce)
  const sub = String(claims.sub)
  const userinfo = await fetchUserinfo(metadata, tokens.access_token, sub, settings.fetch)
  const now = settings.clock()
  const { nonce: _nonce, at_hash: _atHash, c_hash: _cHash, ...identity } = claims
  return {
    session: {
      sub,
      sid: typeof claims.sid === 'string' ? claims.sid : undefined,
      user: { ...identity, ...userinfo },
      idToken: tokens.id_token,
      accessToken: tokens.access_token,
      accessTokenExpiresAt: now + (tokens.expires_in ?? 300) * 1000,
      refreshToken: tokens.refresh_token,
      scope: tokens.scope,
      createdAt: now,
      expiresAt: now + settings.sessionLifetimeMs,
    },
    returnTo: pending.returnTo,
  }
}
