/**
 * @module Cookie sessions, after OWASP Session Management: ids of 256 random bits stored only
 * as SHA-256 hashes (a leaked table cannot be replayed), a fresh id at login and at privilege change (no
 * fixation: an id the browser held before is never promoted), idle and absolute timeouts enforced here
 * with the injected clock, logout that deletes the row, and "log out everywhere" that also ends the
 * user's refresh-token families. Routes call this; it never sees HTTP. Sessions live in the Store, so
 * they follow `--database` (and Redis when `--redis` is given). The same session is the OpenID Connect
 * provider's: it carries a public `sid` (the ID token's, never the cookie value), the time the user
 * last proved their password (`authTime`) and how (`amr`). A session that ends here without a logout (a
 * timeout noticed, a disabled account's session, log out everywhere) is announced (session-endings.ts),
 * so the provider's clients hear of it like of a logout.
 */
import { createHash, randomBytes } from 'node:crypto'
import type { Clock } from '../clock.js'
import { SessionExpired, SessionInvalid } from '../errors.js'
import type { SessionRecord, Store, UserRecord } from '../store/types.js'
import { announceSessionsEnded } from './session-endings.js'

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
  async login(user: UserRecord, previousId?: string, amr: string[] = ['pwd']): Promise<IssuedSession> {
    const { store, clock, policy } = this.#d
    if (previousId !== undefined && SESSION_ID.test(previousId)) await this.#end(hashSessionId(previousId))
    const now = clock()
    const issued = await this.#create(user.id, now, now + policy.absoluteTtl * 1000, {
      sid: randomBytes(16).toString('base64url'),
      authTime: now,
      amr,
    })
    await store.audit.append({ at: now, type: 'session.login', userId: user.id })
    return issued
  }

  /**
   * A new id for the same session (privilege change): the absolute deadline is kept, so rotating never
   * extends a session; the old id stops working at once.
   */
  async rotate(id: string): Promise<IssuedSession> {
    const { record } = await this.resolve(id)
    // Same provider session: the sid, and when and how the user authenticated, carry over. The sid is
    // unique, so the old row goes first (the old id is to stop working anyway).
    await this.#d.store.sessions.delete(record.hash)
    return this.#create(record.userId, this.#d.clock(), record.absoluteExpiresAt, {
      sid: record.sid,
      authTime: record.authTime,
      amr: record.amr,
    })
  }

  /**
   * The user of a live session proved their password again (`prompt=login`, `max_age`): `authTime`
   * moves to now and `amr` is replaced; the cookie and the sid stay (the session already belonged to
   * this user, so there is nothing to fixate). Returns the updated record.
   */
  async reauthenticate(record: SessionRecord, amr: string[] = ['pwd']): Promise<SessionRecord> {
    const now = this.#d.clock()
    if (!(await this.#d.store.sessions.reauthenticate(record.hash, now, amr)))
      throw new SessionInvalid('this session has ended or never existed: log in again')
    await this.#d.store.audit.append({ at: now, type: 'session.reauthenticated', userId: record.userId })
    return { ...record, authTime: now, amr }
  }

  async #create(
    userId: string,
    now: number,
    absoluteExpiresAt: number,
    provider: Pick<SessionRecord, 'sid' | 'authTime' | 'amr'>,
  ): Promise<IssuedSession> {
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
      ...provider,
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
      // Noticed on its next use: the relying parties it signed in to are told now.
      await announceSessionsEnded(store, {
        sid: record.sid,
        userId: record.userId,
        reason: 'session_expired',
      })
      throw new SessionExpired(
        now >= record.absoluteExpiresAt
          ? `the session reached its absolute lifetime (${policy.absoluteTtl} s): log in again`
          : `the session was idle longer than ${policy.idleTtl} s: log in again`,
      )
    }
    const user = await store.users.findById(record.userId)
    if (!user || user.disabled) {
      await store.sessions.delete(hash)
      await announceSessionsEnded(store, { userId: record.userId, reason: 'user_disabled' })
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
    const record = await this.#end(hashSessionId(id), 'logout')
    if (!record) return false
    await this.#d.store.audit.append({ at: this.#d.clock(), type: 'session.logout', userId: record.userId })
    return true
  }

  /** Deletes the session `hash` and announces its end; the record, or undefined when there was none. */
  async #end(hash: string, reason = 'session_replaced'): Promise<SessionRecord | undefined> {
    const { store } = this.#d
    const record = await store.sessions.find(hash)
    if (!record || !(await store.sessions.delete(hash))) return undefined
    await announceSessionsEnded(store, { sid: record.sid, userId: record.userId, reason })
    return record
  }

  /**
   * Ends the provider session whose public id is `sid` (RP-initiated and back-channel logout know the
   * sid from an ID token, never the cookie). False when it was already gone.
   */
  async endBySid(sid: string): Promise<boolean> {
    const record = await this.#d.store.sessions.findBySid(sid)
    if (!record) return false
    const deleted = await this.#d.store.sessions.deleteBySid(sid)
    if (deleted)
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
    await announceSessionsEnded(this.#d.store, { userId, reason: 'logout_everywhere' })
    return { sessions, families }
  }
}
