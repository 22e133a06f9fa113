/**
 * @module Where the BFF keeps its sessions (the tokens never leave the server): the store interface, and
 * a bounded in-memory store as the default. Keys are SHA-256 digests of the cookie value, so whoever can
 * read the store cannot turn what it holds back into a working cookie.
 */

/** One signed-in browser: its tokens, who it is, and the provider session it belongs to. */
export interface BffSession {
  sub: string
  /** The provider session's id (the ID token's `sid`), what back-channel logout names. */
  sid: string | undefined
  /** The ID token's claims and, when the provider has a userinfo endpoint, its answer merged over them. */
  user: Record<string, unknown>
  idToken: string
  accessToken: string
  /** Milliseconds since the epoch. */
  accessTokenExpiresAt: number
  refreshToken: string | undefined
  scope: string | undefined
  /** Milliseconds since the epoch; the store drops the session after `expiresAt`. */
  createdAt: number
  expiresAt: number
}

/** A sign-in in progress between the login route and the callback. */
export interface BffPendingSignIn {
  state: string
  nonce: string
  codeVerifier: string
  /** Where the browser goes after the callback (a path on the app's own origin). */
  returnTo: string
  expiresAt: number
}

/**
 * The contract a store fulfils (memory by default; Redis or SQL for several app instances). Every `key`
 * is already a digest; methods may be synchronous or return promises.
 */
export interface BffSessionStore {
  get(key: string): BffSession | undefined | Promise<BffSession | undefined>
  set(key: string, session: BffSession): void | Promise<void>
  delete(key: string): void | Promise<void>
  /** Ends every session of provider session `sid` (or of `sub` when no `sid` is given); returns how many. */
  deleteByProviderSession(match: { sid?: string; sub?: string }): number | Promise<number>
  /** Keeps a pending sign-in until it is taken or expires. */
  setPending(key: string, pending: BffPendingSignIn): void | Promise<void>
  /** Returns and removes a pending sign-in (used once). */
  takePending(key: string): BffPendingSignIn | undefined | Promise<BffPendingSignIn | undefined>
}

export interface MemorySessionStoreOptions {
  /** Sessions kept at most; past it the oldest goes first (default 10 000). */
  maxSessions?: number
  /** Pending sign-ins kept at most (default 10 000): every login click makes one. */
  maxPending?: number
  /** Milliseconds since the epoch (default Date.now). */
  clock?: () => number
}

/** Drops the oldest entry of an insertion-ordered map once it is full. */
function makeRoom<V>(map: Map<string, V>, max: number): void {
  while (map.size >= max) map.delete(map.keys().next().value!)
}

/** A store in this process's memory, bounded in entries, each dropped once past its expiry. */
export class MemorySessionStore implements BffSessionStore {
  readonly #sessions = new Map<string, BffSession>()
  readonly #pending = new Map<string, BffPendingSignIn>()
  readonly #maxSessions: number
  readonly #maxPending: number
  readonly #clock: () => number

  constructor(options: MemorySessionStoreOptions = {}) {
    this.#maxSessions = options.maxSessions ?? 10_000
    this.#maxPending = options.maxPending ?? 10_000
    this.#clock = options.clock ?? Date.now
  }

  get(key: string): BffSession | undefined {
    const session = this.#sessions.get(key)
    if (session && session.expiresAt <= this.#clock()) {
      this.#sessions.delete(key)
      return undefined
    }
    return session
  }

  set(key: string, session: BffSession): void {
    if (!this.#sessions.has(key)) makeRoom(this.#sessions, this.#maxSessions)
    this.#sessions.set(key, session)
  }

  delete(key: string): void {
    this.#sessions.delete(key)
  }

  deleteByProviderSession(match: { sid?: string; sub?: string }): number {
    let ended = 0
    for (const [key, session] of this.#sessions) {
      const hit =
        match.sid !== undefined
          ? session.sid === match.sid
          : match.sub !== undefined && session.sub === match.sub
      if (hit) {
        this.#sessions.delete(key)
        ended++
      }
    }
    return ended
  }

  setPending(key: string, pending: BffPendingSignIn): void {
    makeRoom(this.#pending, this.#maxPending)
    this.#pending.set(key, pending)
  }

  takePending(key: string): BffPendingSignIn | undefined {
    const pending = this.#pending.get(key)
    this.#pending.delete(key)
    return pending && pending.expiresAt > this.#clock() ? pending : undefined
  }

  /** How many sessions are held (tests and a status page read it). */
  get size(): number {
    return this.#sessions.size
  }
}
