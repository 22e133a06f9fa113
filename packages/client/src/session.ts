/**
 * @module The signed-in session of one tab, and how the tabs of an origin share it.
 *
 * Access and ID tokens live in this object's memory only. The refresh token and the DPoP key live in
 * IndexedDB with a generation number. A refresh runs under the origin-wide refresh lock: inside it the tab
 * first takes tokens another tab already has (over BroadcastChannel, by generation), and only when none
 * has them spends the stored refresh token, stores its successor and hands the new tokens to every tab.
 * So N tabs whose tokens expire together make one refresh request, and no tab ever replays a refresh
 * token another tab already rotated. A refresh that fails on the network is retried with back-off and
 * never ends the session; only the provider refusing the grant (`invalid_grant`) does.
 */
import type { Backoff } from './backoff.js'
import type { ProviderEndpoints } from './discovery.js'
import { DPoPSigner } from './dpop.js'
import {
  ClientIdTokenInvalid,
  ClientNetworkError,
  ClientNotSignedIn,
  ClientTokenRequestFailed,
  TesseraClientError,
} from './errors.js'
import type { ClientEventEmitter } from './events.js'
import type { IdTokenVerifier, UserClaims } from './id-token.js'
import type { SessionDatabase, StoredSession } from './idb.js'
import type { CheckedOptions } from './options.js'
import type { RunExclusive } from './refresh-lock.js'
import type { SharedTokens, TabChannel, TabMessage } from './tab-channel.js'
import { requestTokens, type TokenResponse } from './token-endpoint.js'
import { isFresh, msUntilRefresh } from './token-lifetime.js'

/** How long a tab waits for another tab to hand over tokens before it refreshes itself. */
const PEER_WAIT_MS = 300

export interface SessionDeps {
  options: CheckedOptions
  endpoints: ProviderEndpoints
  db: SessionDatabase
  idTokens: IdTokenVerifier
  events: ClientEventEmitter
  nonces: Map<string, string>
  lock: RunExclusive
  backoff: Backoff
  /** Made with the session's message handler (`session.receive`). */
  channel: (receive: (message: TabMessage) => void) => TabChannel
}

const isGrantRefused = (error: unknown) =>
  error instanceof ClientTokenRequestFailed && error.oauthError === 'invalid_grant'

const asClientError = (error: unknown): TesseraClientError =>
  error instanceof TesseraClientError
    ? error
    : new ClientNetworkError('the refresh failed unexpectedly', { cause: error })

export class Session {
  readonly #d: SessionDeps
  readonly #channel: TabChannel
  #tokens: SharedTokens | undefined
  #inflight: Promise<SharedTokens> | undefined
  #lastError: TesseraClientError | undefined
  #timer: ReturnType<typeof setTimeout> | undefined
  #signer: { generation: number; signer: DPoPSigner | undefined } | undefined
  readonly #peerWaiters = new Set<() => void>()

  constructor(deps: SessionDeps) {
    this.#d = deps
    this.#channel = deps.channel((message) => this.#receive(message))
  }

  get user(): UserClaims | undefined {
    return this.#tokens?.user
  }

  get tokens(): SharedTokens | undefined {
    return this.#tokens
  }

  /** A fresh access token: the one in memory, or a shared refresh. */
  async accessToken(): Promise<SharedTokens> {
    const tokens = this.#tokens
    if (tokens && isFresh(tokens, Date.now())) return tokens
    return this.refresh()
  }

  /**
   * New tokens for this tab, at most one refresh in flight per tab and one per origin. `rejected` is an
   * access token a resource server refused: tokens equal to it are not taken as fresh.
   */
  refresh(rejected?: string): Promise<SharedTokens> {
    return this.#startRefresh(rejected, false)
  }

  #startRefresh(rejected: string | undefined, scheduled: boolean): Promise<SharedTokens> {
    this.#inflight ??= this.#refreshWithRetry(rejected, scheduled).finally(() => {
      this.#inflight = undefined
    })
    return this.#inflight
  }

  /** After a reload: brings the stored session back (from another tab, or by a refresh with the key). */
  async restore(): Promise<void> {
    if (!(await this.#d.db.loadSession())) return
    await this.refresh().catch(() => undefined)
  }

  /** Takes a login's tokens: stores the refresh token and key, tells every tab. */
  async establish(
    response: TokenResponse,
    user: UserClaims,
    keyPair: CryptoKeyPair | undefined,
  ): Promise<void> {
    const tokens = await this.#d.lock(async () => {
      const stored = await this.#d.db.loadSession()
      const generation = (stored?.generation ?? 0) + 1
      if (response.refreshToken !== undefined)
        await this.#d.db.saveSession({ keyPair, refreshToken: response.refreshToken, generation })
      else await this.#d.db.deleteSession()
      this.#signer = { generation, signer: keyPair && new DPoPSigner(keyPair, this.#d.nonces) }
      return this.#take(response, user, generation)
    })
    this.#channel.post({ type: 'tokens', tokens })
    this.#d.backoff.succeed()
    this.#lastError = undefined
    this.#d.events.emit('signedIn', { user })
  }

  /** The DPoP signer of the stored key (undefined with `dpop: false`), read again after each new login. */
  async signer(): Promise<DPoPSigner | undefined> {
    const generation = this.#tokens?.generation ?? -1
    if (this.#signer?.generation !== generation) {
      const stored = await this.#d.db.loadSession()
      const keyPair = stored?.keyPair
      this.#signer = { generation, signer: keyPair && new DPoPSigner(keyPair, this.#d.nonces) }
    }
    return this.#signer.signer
  }

  /**
   * Ends the session in every tab: the stored key and refresh token are deleted under the refresh lock,
   * and the other tabs are told before anything else happens. Answers what was stored (to revoke it).
   */
  async end(): Promise<StoredSession | undefined> {
    const stored = await this.#d.lock(async () => {
      const found = await this.#d.db.loadSession()
      await this.#d.db.deleteSession()
      return found
    })
    this.#channel.post({ type: 'signedOut' })
    this.#forget('logout')
    return stored
  }

  close(): void {
    clearTimeout(this.#timer)
    this.#channel.close()
  }

  async #refreshWithRetry(rejected: string | undefined, scheduled: boolean): Promise<SharedTokens> {
    // During a back-off, calls fail fast with the last error instead of making requests of their own;
    // only the scheduled retry tries again.
    if (!scheduled && this.#lastError && this.#d.backoff.waitFrom(Date.now()) > 0) throw this.#lastError
    try {
      const tokens = await this.#d.lock(() => this.#refreshLocked(rejected))
      this.#d.backoff.succeed()
      this.#lastError = undefined
      return tokens
    } catch (thrown) {
      const error = asClientError(thrown)
      if (error instanceof ClientNotSignedIn || isGrantRefused(error)) throw error
      const retryInMs = this.#d.backoff.fail(Date.now())
      this.#lastError = error
      this.#d.events.emit('error', { error, retryInMs })
      this.#schedule(retryInMs)
      throw error
    }
  }

  async #refreshLocked(rejected: string | undefined): Promise<SharedTokens> {
    const current = this.#tokens
    if (current && current.accessToken !== rejected && isFresh(current, Date.now())) return current
    const stored = await this.#d.db.loadSession()
    if (!stored) {
      if (current) this.#forget('other-tab')
      throw new ClientNotSignedIn()
    }
    if (!current || stored.generation > current.generation) {
      const handed = await this.#awaitPeerTokens(stored.generation, rejected)
      if (handed) return handed
    }
    const signer = stored.keyPair && new DPoPSigner(stored.keyPair, this.#d.nonces)
    let response: TokenResponse
    try {
      response = await requestTokens(
        { url: this.#d.endpoints.tokenEndpoint, clientId: this.#d.options.clientId, nonces: this.#d.nonces },
        { grant_type: 'refresh_token', refresh_token: stored.refreshToken },
        signer,
      )
    } catch (error) {
      if (isGrantRefused(error)) {
        // The provider ended the grant (revoked, expired, reuse detected): signed out everywhere. Still
        // under the lock, so no tab waiting for it spends the dead token again.
        await this.#d.db.deleteSession()
        this.#channel.post({ type: 'signedOut' })
        this.#forget('refresh-refused')
      }
      throw error
    }
    let user = current?.user
    if (response.idToken !== undefined)
      user = await this.#d.idTokens.verify(response.idToken, user ? { subject: String(user.sub) } : {})
    if (!user) throw new ClientIdTokenInvalid('the refresh answer has no ID token to say who is signed in')
    const generation = stored.generation + 1
    await this.#d.db.saveSession({
      keyPair: stored.keyPair,
      refreshToken: response.refreshToken ?? stored.refreshToken,
      generation,
    })
    this.#signer = { generation, signer }
    const tokens = this.#take(response, user, generation)
    this.#channel.post({ type: 'tokens', tokens })
    this.#d.events.emit('tokenRefreshed', { expiresAt: tokens.expiresAt, by: 'this-tab' })
    if (!current) this.#d.events.emit('signedIn', { user })
    return tokens
  }

  /** Asks the other tabs for tokens of at least `generation`; undefined when none answers in time. */
  async #awaitPeerTokens(
    generation: number,
    rejected: string | undefined,
  ): Promise<SharedTokens | undefined> {
    const usable = () => {
      const t = this.#tokens
      return t && t.generation >= generation && t.accessToken !== rejected && isFresh(t, Date.now())
        ? t
        : undefined
    }
    if (usable()) return usable()
    this.#channel.post({ type: 'ask', generation })
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer)
        this.#peerWaiters.delete(check)
        resolve()
      }
      const check = () => {
        if (usable()) done()
      }
      const timer = setTimeout(done, PEER_WAIT_MS)
      this.#peerWaiters.add(check)
    })
    return usable()
  }

  #receive(message: TabMessage): void {
    const now = Date.now()
    if (message.type === 'signedOut') {
      if (this.#tokens) this.#forget('other-tab')
      return
    }
    if (message.type === 'ask') {
      const t = this.#tokens
      if (t && t.generation >= message.generation && isFresh(t, now))
        this.#channel.post({ type: 'tokens', tokens: t })
      return
    }
    const offered = message.tokens
    const current = this.#tokens
    if (current && offered.generation <= current.generation) return
    this.#set(offered)
    this.#lastError = undefined
    this.#d.backoff.succeed()
    this.#d.events.emit('tokenRefreshed', { expiresAt: offered.expiresAt, by: 'other-tab' })
    if (!current || current.user.sub !== offered.user.sub)
      this.#d.events.emit('signedIn', { user: offered.user })
    for (const check of [...this.#peerWaiters]) check()
  }

  #take(response: TokenResponse, user: UserClaims, generation: number): SharedTokens {
    const lifetimeMs = response.expiresIn * 1000
    const tokens: SharedTokens = {
      accessToken: response.accessToken,
      tokenType: response.tokenType,
      expiresAt: Date.now() + lifetimeMs,
      lifetimeMs,
      idToken: response.idToken ?? this.#tokens?.idToken,
      user,
      generation,
    }
    this.#set(tokens)
    return tokens
  }

  #set(tokens: SharedTokens): void {
    this.#tokens = tokens
    this.#schedule(Math.max(0, msUntilRefresh(tokens, Date.now())))
  }

  /** Refreshes ahead of expiry (or retries after a failure) at `delay`; failures are reported as events. */
  #schedule(delay: number): void {
    clearTimeout(this.#timer)
    this.#timer = setTimeout(() => {
      this.#startRefresh(undefined, true).catch(() => undefined)
    }, delay)
  }

  #forget(reason: 'logout' | 'other-tab' | 'refresh-refused'): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
    const hadTokens = this.#tokens !== undefined
    this.#tokens = undefined
    this.#signer = undefined
    this.#lastError = undefined
    this.#d.backoff.succeed()
    if (hadTokens || reason !== 'other-tab') this.#d.events.emit('signedOut', { reason })
  }
}
