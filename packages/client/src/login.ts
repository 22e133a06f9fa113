/**
 * @module The authorization code flow of a public client (OIDC Core §3.1, OAuth 2.1): the authorization
 * request with PKCE S256, `state` and `nonce` (kept in IndexedDB across the redirect, never in
 * sessionStorage), and the checks of the response — its `state` is one this browser sent and not yet
 * used, its `iss` is the issuer (RFC 9207, against the mix-up attack) — before the code is exchanged
 * with the DPoP key it is bound to and the ID token is checked against the login's nonce.
 */
import type { ProviderEndpoints } from './discovery.js'
import { DPoPSigner, generateDPoPKeyPair, keyThumbprint } from './dpop.js'
import { ClientRedirectInvalid } from './errors.js'
import type { IdTokenVerifier, UserClaims } from './id-token.js'
import type { SessionDatabase } from './idb.js'
import type { CheckedOptions } from './options.js'
import { createLoginSecrets } from './pkce.js'
import { requestTokens, type TokenResponse } from './token-endpoint.js'

export interface LoginOptions {
  /** `login` forces the password page, `consent` the consent page, `none` fails unless signed in. */
  prompt?: 'none' | 'login' | 'consent'
  /** Pre-fills the user name on the provider's login page. */
  loginHint?: string
}

export interface LoginDeps {
  options: CheckedOptions
  endpoints: ProviderEndpoints
  db: SessionDatabase
  idTokens: IdTokenVerifier
  nonces: Map<string, string>
}

/**
 * The URL to send the browser to; the login's secrets are stored first. With DPoP the session's new key
 * is made now and the code bound to it (`dpop_jkt`, RFC 9449 §10): a code intercepted on its way back
 * cannot be redeemed without that key, on top of PKCE.
 */
export async function authorizationUrl(deps: LoginDeps, login: LoginOptions = {}): Promise<string> {
  const secrets = await createLoginSecrets()
  const keyPair = deps.options.dpop ? await generateDPoPKeyPair() : undefined
  await deps.db.dropStaleLogins()
  await deps.db.savePendingLogin({
    state: secrets.state,
    nonce: secrets.nonce,
    codeVerifier: secrets.codeVerifier,
    keyPair,
    createdAt: Date.now(),
  })
  const url = new URL(deps.endpoints.authorizationEndpoint)
  const params: Record<string, string> = {
    response_type: 'code',
    client_id: deps.options.clientId,
    redirect_uri: deps.options.redirectUri,
    scope: deps.options.scope,
    state: secrets.state,
    nonce: secrets.nonce,
    code_challenge: secrets.codeChallenge,
    code_challenge_method: 'S256',
  }
  if (keyPair) params.dpop_jkt = await keyThumbprint(keyPair)
  if (login.prompt !== undefined) params.prompt = login.prompt
  if (login.loginHint !== undefined) params.login_hint = login.loginHint
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value)
  return url.href
}

export interface SignedIn {
  response: TokenResponse
  user: UserClaims
  keyPair: CryptoKeyPair | undefined
}

/** Checks an authorization response and redeems its code. */
export async function completeLogin(deps: LoginDeps, responseUrl: string): Promise<SignedIn> {
  const params = new URL(responseUrl).searchParams
  const state = params.get('state')
  if (state === null) throw new ClientRedirectInvalid('the address has no authorization response (no state)')
  const pending = await deps.db.takePendingLogin(state)
  if (!pending)
    throw new ClientRedirectInvalid(
      'this authorization response answers no login of this browser (unknown or used state): sign in again',
    )
  const iss = params.get('iss')
  if (iss === null ? deps.endpoints.issInAuthorizationResponse : iss !== deps.options.issuer)
    throw new ClientRedirectInvalid('the authorization response is not from the configured issuer (iss)')
  const error = params.get('error')
  if (error !== null) {
    const description = params.get('error_description')
    throw new ClientRedirectInvalid(
      `the provider refused the login (${error.slice(0, 64)})${description ? `: ${description.slice(0, 200)}` : ''}`,
      error,
    )
  }
  const code = params.get('code')
  if (code === null || code === '') throw new ClientRedirectInvalid('the authorization response has no code')
  const keyPair = pending.keyPair
  if (deps.options.dpop && !keyPair)
    throw new ClientRedirectInvalid('this login was started without a DPoP key: sign in again')
  const response = await requestTokens(
    { url: deps.endpoints.tokenEndpoint, clientId: deps.options.clientId, nonces: deps.nonces },
    {
      grant_type: 'authorization_code',
      code,
      redirect_uri: deps.options.redirectUri,
      code_verifier: pending.codeVerifier,
    },
    keyPair && new DPoPSigner(keyPair, deps.nonces),
  )
  if (response.idToken === undefined)
    throw new ClientRedirectInvalid('the token response has no ID token (is "openid" in the scope?)')
  const user = await deps.idTokens.verify(response.idToken, { nonce: pending.nonce })
  return { response, user, keyPair }
}
