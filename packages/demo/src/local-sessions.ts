/**
 * @module An app's own sessions, in memory: a random id in the app's own cookie (its own name, because
 * cookies do not isolate by port and Notes shares its host with the provider), the sign-in in progress
 * (state, nonce, PKCE verifier), the signed-in user's tokens, and a notice saying why it last ended.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { readCookie, setCookie } from './http.js'

export interface PendingSignIn {
  state: string
  nonce: string
  codeVerifier: string
  startedAt: number
}

export interface SignedIn {
  sub: string
  /** The provider session's id (the ID token's `sid`), what back-channel logout names. */
  sid: string | undefined
  displayName: string
  idToken: string
  idTokenClaims: Record<string, unknown>
  userinfo: Record<string, unknown>
  accessToken: string
  refreshToken: string | undefined
  accessExpiresAt: number | undefined
  signedInAt: number
  refreshedAt: number | undefined
}

export interface LocalSession {
  id: string
  csrf: string
  pending?: PendingSignIn
  user?: SignedIn
  /** Why the last sign-in ended, shown once on the page. */
  notice?: string
}

/** Sessions kept at most (a demo in memory: enough for a room of people, bounded against a flood). */
const MAX_SESSIONS = 10_000
/** How long a sign-in may take between leaving for the provider and coming back. */
export const PENDING_TTL_MS = 10 * 60_000

const random = () => randomBytes(24).toString('base64url')

export class LocalSessions {
  readonly #sessions = new Map<string, LocalSession>()

  constructor(readonly cookieName: string) {}

  /** The caller's session, or a new one (with its cookie set) when it has none. */
  get(request: IncomingMessage, response: ServerResponse): LocalSession {
    const id = readCookie(request, this.cookieName)
    const found = id === undefined ? undefined : this.#sessions.get(id)
    if (found) return found
    const session: LocalSession = { id: random(), csrf: random() }
    // Bounded: every cookie-less request makes one, so the oldest go first past the cap.
    if (this.#sessions.size >= MAX_SESSIONS) this.#sessions.delete(this.#sessions.keys().next().value!)
    this.#sessions.set(session.id, session)
    setCookie(response, this.cookieName, session.id)
    return session
  }

  /** Constant-time check of a form's CSRF token against the session's. */
  checkCsrf(session: LocalSession, given: string | null): boolean {
    const a = Buffer.from(session.csrf)
    const b = Buffer.from(given ?? '')
    return a.length === b.length && timingSafeEqual(a, b)
  }

  /** Ends every local sign-in under provider session `sid` (or of `sub` when no sid was sent). */
  endByProviderSession(sid: string | undefined, sub: string | undefined, notice: string): number {
    let ended = 0
    for (const session of this.#sessions.values()) {
      const user = session.user
      if (!user) continue
      const matches = sid !== undefined ? user.sid === sid : sub !== undefined && user.sub === sub
      if (matches) {
        delete session.user
        session.notice = notice
        ended++
      }
    }
    return ended
  }

  /** How many sessions are signed in (the apps' JSON state shows it). */
  signedInCount(): number {
    let count = 0
    for (const session of this.#sessions.values()) if (session.user) count++
    return count
  }
}
