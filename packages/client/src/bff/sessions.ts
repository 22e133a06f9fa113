/**
 * @module The BFF's sessions over its store: finding the caller's by the `__Host-` cookie, making one at
 * the callback, and the access token it needs — refreshed on the server ahead of expiry, one refresh at a
 * time per session (concurrent API calls share it, so a rotating refresh token is never replayed), and
 * the session ended when the provider refuses the refresh token (`invalid_grant`: it ended over there).
 */
import { randomToken } from '../pkce.js'
import { type HeaderValue, hostCookie, readCookie } from './cookies.js'
import { BffNotSignedIn } from './errors.js'
import type { BffSettings } from './options.js'
import { type ProviderMetadata, TokenEndpointRefusal, tokenRequest } from './provider.js'
import { sessionKey } from './session-key.js'
import type { BffSession } from './session-store.js'

export interface FoundSession {
  key: string
  session: BffSession
}

export class BffSessions {
  readonly #refreshing = new Map<string, Promise<BffSession>>()

  constructor(
    private readonly settings: BffSettings,
    private readonly metadata: ProviderMetadata,
  ) {}

  async find(cookieHeader: HeaderValue): Promise<FoundSession | undefined> {
    const value = readCookie(cookieHeader, this.settings.cookieName)
    if (!value) return undefined
    const key = sessionKey(value)
    const session = await this.settings.store.get(key)
    return session ? { key, session } : undefined
  }

  /** Stores a new session; returns the `Set-Cookie` value that hands its id to the browser. */
  async create(session: BffSession): Promise<string> {
    const value = randomToken()
    await this.settings.store.set(sessionKey(value), session)
    return hostCookie(this.settings.cookieName, value)
  }

  /** The `Set-Cookie` value that removes the session cookie. */
  clearCookie(): string {
    return hostCookie(this.settings.cookieName, '', 0)
  }

  async end(key: string): Promise<void> {
    this.#refreshing.delete(key)
    await this.settings.store.delete(key)
  }

  /** A usable access token for the session: the one held, or a refreshed one (`force`: after a 401). */
  async accessToken(found: FoundSession, force = false): Promise<string> {
    const { session } = found
    const fresh = session.accessTokenExpiresAt - this.settings.refreshAheadMs > this.settings.clock()
    if (fresh && !force) return session.accessToken
    return (await this.refresh(found)).accessToken
  }

  private refresh(found: FoundSession): Promise<BffSession> {
    const running = this.#refreshing.get(found.key)
    if (running) return running
    const refreshing = this.runRefresh(found).finally(() => this.#refreshing.delete(found.key))
    this.#refreshing.set(found.key, refreshing)
    return refreshing
  }

  private async runRefresh({ key, session }: FoundSession): Promise<BffSession> {
    if (!session.refreshToken) {
      await this.end(key)
      throw new BffNotSignedIn('the session has expired and holds no refresh token: sign in again')
    }
    let tokens: Awaited<ReturnType<typeof tokenRequest>>
    try {
      tokens = await tokenRequest(
        this.metadata,
        this.settings.client,
        { grant_type: 'refresh_token', refresh_token: session.refreshToken },
        this.settings.fetch,
      )
    } catch (error) {
      // invalid_grant: the provider ended the session (a logout elsewhere, reuse, a disabled user).
      if (error instanceof TokenEndpointRefusal && error.oauthError === 'invalid_grant') {
        await this.end(key)
        throw new BffNotSignedIn(
          'the provider ended this session (the refresh token was refused): sign in again',
        )
      }
      throw error
    }
    const now = this.settings.clock()
    const updated: BffSession = {
      ...session,
      accessToken: tokens.access_token,
      accessTokenExpiresAt: now + (tokens.expires_in ?? 300) * 1000,
      refreshToken: tokens.refresh_token ?? session.refreshToken,
      ...(tokens.id_token ? { idToken: tokens.id_token } : {}),
    }
    // A back-channel logout may have ended the session while the refresh ran: do not bring it back.
    if ((await this.settings.store.get(key)) === undefined) throw new BffNotSignedIn()
    await this.settings.store.set(key, updated)
    return updated
  }
}
