/**
 * @module Cookie sessions (issue 7), after OWASP Session Management: ids of 256 random bits stored only
 * as SHA-256 hashes (a leaked table cannot be replayed), a fresh id at login and at privilege change (no
 * fixation: an id the browser held before is never promoted), idle and absolute timeouts enforced here
 * with the injected clock, logout that deletes the row, and "log out everywhere" that also ends the
 * user's refresh-token families. Routes call this; it never sees HTTP. Sessions live in the Store, so
 * they follow `--database` (and Redis when `--redis` is given).
 */
import { createHash, randomBytes } from 'node:crypto'
import type { Clock } from '../clock.js'
import { SessionExpired, SessionInvalid } from '../errors.js'
import type { SessionRecord, Store, UserRecord } from '../store/types.js'

export interface SessionPolicy {
  /** Seconds without a request after which the session ends. */
  idleTtl: number
  /** Seconds after login after which the session ends however busy it is. */
  absoluteTtl: number
}

export interface SessionServiceDeps {
  store: Store
  clock: Clock
  policy: SessionPolicy
}

export interface IssuedSession {
  /** The cookie value. Never stored, never logged. */
  id: string
  record: SessionRecord
}

export interface ActiveSession {
  record: SessionRecord
  user: UserRecord
}

/** 32 random bytes, base64url: 43 characters. Anything else is refused before the store is asked. */
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/

export const hashSessionId = (id: string): string => createHash('sha256').update(id).digest('hex')

export class SessionService {
  readonly #d: SessionServiceDeps

  constructor(deps: SessionServiceDeps) {
    this.#d = deps
  }

  get policy(): SessionPolicy {
    return this.#d.policy
  }

  /**
   * Starts a session for a user who just proved who they are. Whatever session id the browser presented
   * (`previousId`: its own old session, or one an attacker planted) is deleted, never reused.
   */
  async login(user: UserRecord, previousId?: string): Promise<IssuedSession> {
    const { store, clock, policy } = this.#d
    if (previousId !== undefined && SESSION_ID.test(previousId))
      await store.sessions.delete(hashSessionId(previousId))
    const now = clock()
    const issued = await this.#create(user.id, now, now + policy.absoluteTtl * 1000)
    await store.audit.append({ at: now, type: 'session.login', userId: user.id })
    return issued
  }

  /**
   * A new id for the same session (privilege change): the absolute deadline is kept, so rotating never
   * extends a session; the old id stops working at once.
   */
  async rotate(id: string): Promise<IssuedSession> {
    const { record } = await this.resolve(id)
    const issued = await this.#create(record.userId, this.#d.clock(), record.absoluteExpiresAt)
    await this.#d.store.sessions.delete(record.hash)
    return issued
  }

  async #create(userId: string, now: number, absoluteExpiresAt: number): Promise<IssuedSession> {
    const id = randomBytes(32).toString('base64url')
    const record: SessionRecord = {
      hash: hashSessionId(id),
      userId,
      createdAt: now,
      lastSeenAt: now,
      idleExpiresAt: Math.min(now + this.#d.policy.idleTtl * 1000, absoluteExpiresAt),
      absoluteExpiresAt,
      // The synchronizer CSRF token for clients that send neither Sec-Fetch-Site nor Origin.
      csrfToken: randomBytes(32).toString('base64url'),
    }
    await this.#d.store.sessions.create(record)
    return { id, record }
  }

  /**
   * The live session behind a cookie value, with its user; slides the idle deadline. Ended, expired or
   * unknown sessions throw (and an expired one is deleted on the way).
   */
  async resolve(id: string | undefined): Promise<ActiveSession> {
    if (id === undefined) throw new SessionInvalid('no session cookie: log in with POST /session/login')
    if (!SESSION_ID.test(id)) throw new SessionInvalid('the session cookie is malformed: log in again')
    const { store, clock, policy } = this.#d
    const hash = hashSessionId(id)
    const record = await store.sessions.find(hash)
    if (!record) throw new SessionInvalid('this session has ended or never existed: log in again')
    const now = clock()
    if (now >= record.absoluteExpiresAt || now >= record.idleExpiresAt) {
      await store.sessions.delete(hash)
      throw new SessionExpired(
        now >= record.absoluteExpiresAt
          ? `the session reached its absolute lifetime (${policy.absoluteTtl} s): log in again`
          : `the session was idle longer than ${policy.idleTtl} s: log in again`,
      )
    }
    const user = await store.users.findById(record.userId)
    if (!user || user.disabled) {
      await store.sessions.delete(hash)
      throw new SessionInvalid('the account of this session is disabled')
    }
    // Sliding the idle deadline costs a write; doing it at most every 1/30 of the idle lifetime (60 s by
    // default) keeps a busy session to one write a minute and moves the timeout by at most that much.
    if (now - record.lastSeenAt >= Math.min(60_000, (policy.idleTtl * 1000) / 30)) {
      const idleExpiresAt = Math.min(now + policy.idleTtl * 1000, record.absoluteExpiresAt)
      await store.sessions.touch(hash, now, idleExpiresAt)
      return { record: { ...record, lastSeenAt: now, idleExpiresAt }, user }
    }
    return { record, user }
  }

  /** Deletes the session on the server. False when it was already gone. */
  async logout(id: string | undefined): Promise<boolean> {
    if (id === undefined || !SESSION_ID.test(id)) return false
    const record = await this.#d.store.sessions.find(hashSessionId(id))
    if (!record) return false
    const deleted = await this.#d.store.sessions.delete(record.hash)
    await this.#d.store.audit.append({ at: this.#d.clock(), type: 'session.logout', userId: record.userId })
    return deleted
  }

  /** Ends every session and every refresh-token family of the user: "log out everywhere". */
  async logoutEverywhere(userId: string): Promise<{ sessions: number; families: number }> {
    const now = this.#d.clock()
    const sessions = await this.#d.store.sessions.deleteForUser(userId)
    const families = await this.#d.store.refresh.revokeUserFamilies(userId, 'logout_everywhere', now)
    await this.#d.store.audit.append({
      at: now,
      type: 'logout.everywhere',
      userId,
      detail: { sessions, families },
    })
    return { sessions, families }
  }
}
