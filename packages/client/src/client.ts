/**
 * @module `createClient`: the public face of the SDK. It wires discovery, the session shared across
 * tabs, the login flow and the token-carrying `fetch`, and exposes exactly `login`, `handleRedirect`,
 * `getAccessToken`, `fetch`, `user`, `logout` and the events.
 */
import { Backoff } from './backoff.js'
import { discover, type ProviderEndpoints } from './discovery.js'
import { asksForNonce, DPoPSigner, noteNonce } from './dpop.js'
import { ClientUnsupportedBrowser } from './errors.js'
import type { ClientEventEmitter, ClientEventName, ClientEvents } from './events.js'
import { ClientEventEmitter as Emitter } from './events.js'
import { IdTokenVerifier, type UserClaims } from './id-token.js'
import { SessionDatabase } from './idb.js'
import { authorizationUrl, completeLogin, type LoginDeps, type LoginOptions } from './login.js'
import { type CheckedOptions, type ClientOptions, checkOptions } from './options.js'
import { refreshLock } from './refresh-lock.js'
import { Session } from './session.js'
import { type SharedTokens, TabChannel } from './tab-channel.js'
import { postAsClient } from './token-endpoint.js'

export interface LogoutOptions {
  /** A registered post-logout redirect URI (default: the redirect URI's origin, `/`). */
  postLogoutRedirectUri?: string
}

/** Each client's session, for `createClient` to restore (not part of the client's own surface). */
const sessions = new WeakMap<TesseraClient, Session>()

export class TesseraClient {
  readonly #options: CheckedOptions
  readonly #endpoints: ProviderEndpoints
  readonly #events: ClientEventEmitter
  readonly #session: Session
  readonly #login: LoginDeps
  readonly #nonces: Map<string, string>

  /** Use `createClient`. */
  constructor(options: CheckedOptions, endpoints: ProviderEndpoints) {
    this.#options = options
    this.#endpoints = endpoints
    this.#events = new Emitter()
    this.#nonces = new Map()
    const db = new SessionDatabase(options.issuer, options.clientId)
    const idTokens = new IdTokenVerifier(options.issuer, options.clientId, endpoints.jwksUri)
    const name = `tessera-client ${options.issuer} ${options.clientId}`
    this.#login = { options, endpoints, db, idTokens, nonces: this.#nonces }
    this.#session = new Session({
      ...this.#login,
      events: this.#events,
      lock: refreshLock(`${name} refresh`),
      backoff: new Backoff(),
      channel: (receive) => new TabChannel(name, receive),
    })
    sessions.set(this, this.#session)
  }

  /** The signed-in user's claims (from the ID token), or undefined. */
  get user(): UserClaims | undefined {
    return this.#session.user
  }

  on<K extends ClientEventName>(name: K, listener: (event: ClientEvents[K]) => void): () => void {
    return this.#events.on(name, listener)
  }

  /** Sends the browser to the provider's login (code flow, PKCE S256, state, nonce). */
  async login(options: LoginOptions = {}): Promise<void> {
    location.assign(await authorizationUrl(this.#login, options))
  }

  /**
   * Completes a login on the redirect URI: checks the response, redeems the code, checks the ID token,
   * and takes the code and state out of the address bar. Returns the user.
   */
  async handleRedirect(url: string = location.href): Promise<UserClaims> {
    try {
      const { response, user, keyPair } = await completeLogin(this.#login, url)
      await this.#session.establish(response, user, keyPair)
      return user
    } finally {
      if (url === location.href) {
        const clean = new URL(url)
        for (const name of ['code', 'state', 'iss', 'error', 'error_description', 'session_state'])
          clean.searchParams.delete(name)
        history.replaceState(history.state, '', clean.href)
      }
    }
  }

  /** A fresh access token (refreshed ahead of expiry, once for all tabs). */
  async getAccessToken(): Promise<string> {
    return (await this.#session.accessToken()).accessToken
  }

  /**
   * `fetch` with the access token (DPoP with its proof, or Bearer). A 401 asking for a DPoP nonce is
   * retried once with it; a 401 for an invalid (expired, revoked) token refreshes once and retries once.
   */
  async fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const request = new Request(input, init)
    let tokens = await this.#session.accessToken()
    const response = await this.#send(request.clone(), tokens)
    if (response.status !== 401) return response
    const challenge = response.headers.get('www-authenticate') ?? ''
    if (tokens.tokenType === 'DPoP' && asksForNonce(response)) return this.#send(request, tokens)
    if (!/\berror="?invalid_token/i.test(challenge) && challenge !== '') return response
    tokens = await this.#session.refresh(tokens.accessToken)
    return this.#send(request, tokens)
  }

  /**
   * Signs out in every tab (the stored key and refresh token are deleted, the refresh token revoked),
   * then sends the browser to the provider's end-session endpoint (RP-initiated logout).
   */
  async logout(options: LogoutOptions = {}): Promise<void> {
    const idToken = this.#session.tokens?.idToken
    const stored = await this.#session.end()
    const revocationEndpoint = this.#endpoints.revocationEndpoint
    if (stored && revocationEndpoint !== undefined) {
      // The refresh token of a public client is bound to the key: revoking it takes a proof by it too.
      // Best effort: the session already ended here, and the provider's logout ends the grant as well.
      const signer = stored.keyPair && new DPoPSigner(stored.keyPair, this.#nonces)
      await postAsClient(
        'revoking the refresh token',
        { url: revocationEndpoint, clientId: this.#options.clientId, nonces: this.#nonces },
        { token: stored.refreshToken, token_type_hint: 'refresh_token' },
        signer,
      ).catch(() => undefined)
    }
    if (!this.#endpoints.endSessionEndpoint) return
    const url = new URL(this.#endpoints.endSessionEndpoint)
    url.searchParams.set('client_id', this.#options.clientId)
    url.searchParams.set(
      'post_logout_redirect_uri',
      options.postLogoutRedirectUri ?? new URL('/', this.#options.redirectUri).href,
    )
    if (idToken !== undefined) url.searchParams.set('id_token_hint', idToken)
    location.assign(url.href)
  }

  /** Stops this client's timers and its channel (a page normally never needs this). */
  close(): void {
    this.#session.close()
  }

  async #send(request: Request, tokens: SharedTokens): Promise<Response> {
    request.headers.set('authorization', `${tokens.tokenType} ${tokens.accessToken}`)
    const signer = tokens.tokenType === 'DPoP' ? await this.#session.signer() : undefined
    if (signer)
      request.headers.set(
        'dpop',
        await signer.proof({ method: request.method, url: request.url, accessToken: tokens.accessToken }),
      )
    const response = await fetch(request)
    if (signer) noteNonce(this.#nonces, request.url, response)
    return response
  }
}

/**
 * A client for one provider: reads its discovery document, then brings back a session stored by an
 * earlier page of this origin (from another tab's memory, or by a refresh with the stored key).
 */
export async function createClient(options: ClientOptions): Promise<TesseraClient> {
  const checked = checkOptions(options)
  if (!globalThis.crypto?.subtle)
    throw new ClientUnsupportedBrowser(
      'WebCrypto is missing: the page must be a secure context (https:, or http://localhost)',
    )
  const client = new TesseraClient(checked, await discover(checked.issuer))
  await sessions.get(client)!.restore()
  return client
}
