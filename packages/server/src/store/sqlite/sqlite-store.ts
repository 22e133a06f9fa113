/**
 * @module The SQLite Store (better-sqlite3): WAL journal, a busy timeout so concurrent processes wait
 * instead of failing, migrations at open, and every multi-row change in one IMMEDIATE transaction.
 *
 * better-sqlite3 is synchronous; a write holds the file lock only for microseconds, so the async
 * interface simply wraps it. SQLITE_BUSY after the timeout surfaces as StoreUnavailable (503).
 */
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { StoreUnavailable, UserExists } from '../../errors.js'
import type {
  AuditEvent,
  ConsumeRefreshInput,
  ConsumeRefreshResult,
  NewRefreshToken,
  NewUser,
  RefreshFamily,
  RefreshTokenRecord,
  SessionRecord,
  SigningKeyRecord,
  Store,
  ThrottleRecord,
  UserRecord,
} from '../types.js'
import { SQLITE_MIGRATIONS } from './migrations.js'

type Row = Record<string, unknown>

export interface SqliteStoreOptions {
  /** Milliseconds a writer waits for another process's lock before giving up (503). */
  busyTimeoutMs?: number
}

const toUser = (r: Row): UserRecord => ({
  id: r.id as string,
  username: r.username as string,
  passwordHash: r.password_hash as string,
  disabled: r.disabled === 1,
  createdAt: r.created_at as number,
  updatedAt: r.updated_at as number,
})

const toFamily = (r: Row): RefreshFamily => ({
  id: r.id as string,
  userId: r.user_id as string,
  clientId: r.client_id as string,
  scope: r.scope as string,
  cookieBound: r.cookie_bound === 1,
  createdAt: r.created_at as number,
  absoluteExpiresAt: r.absolute_expires_at as number,
  revokedAt: (r.revoked_at as number | null) ?? null,
  revokedReason: (r.revoked_reason as string | null) ?? null,
})

const toToken = (r: Row): RefreshTokenRecord => ({
  hash: r.hash as string,
  familyId: r.family_id as string,
  generation: r.generation as number,
  state: r.state as RefreshTokenRecord['state'],
  createdAt: r.created_at as number,
  idleExpiresAt: r.idle_expires_at as number,
  rotatedAt: (r.rotated_at as number | null) ?? null,
  successorHash: (r.successor_hash as string | null) ?? null,
})

const toSession = (r: Row): SessionRecord => ({
  hash: r.hash as string,
  userId: r.user_id as string,
  createdAt: r.created_at as number,
  lastSeenAt: r.last_seen_at as number,
  idleExpiresAt: r.idle_expires_at as number,
  absoluteExpiresAt: r.absolute_expires_at as number,
  csrfToken: (r.csrf_token as string | null) ?? null,
})

const toKey = (r: Row): SigningKeyRecord => ({
  kid: r.kid as string,
  alg: r.alg as string,
  publicJwk: r.public_jwk as string,
  encryptedPrivateJwk: r.encrypted_private_jwk as string,
  createdAt: r.created_at as number,
  activatesAt: r.activates_at as number,
  retiresAt: (r.retires_at as number | null) ?? null,
  removeAt: (r.remove_at as number | null) ?? null,
})

/** Runs a synchronous database step, turning lock/IO failures into StoreUnavailable. */
function guard<T>(step: () => T): Promise<T> {
  try {
    return Promise.resolve(step())
  } catch (error) {
    const code = (error as { code?: string }).code ?? ''
    if (/^SQLITE_(BUSY|LOCKED|IOERR|CANTOPEN|READONLY|FULL|CORRUPT|NOTADB)/.test(code)) {
      return Promise.reject(
        new StoreUnavailable(`the SQLite database is unavailable (${code}); retry shortly`, { cause: error }),
      )
    }
    return Promise.reject(error)
  }
}

export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const
  readonly #db: Database.Database
  readonly #insertToken: Database.Statement
  readonly #tokenByHash: Database.Statement
  readonly #familyById: Database.Statement
  readonly #revokeFamilyTx: (id: string, reason: string, now: number) => boolean
  readonly #consumeTx: (input: ConsumeRefreshInput) => ConsumeRefreshResult
  /** Prepared statements, compiled once per SQL text (preparing costs more than running most of them). */
  readonly #statements = new Map<string, Database.Statement>()

  constructor(path: string, options: SqliteStoreOptions = {}) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
    let db: Database.Database | undefined
    try {
      db = new Database(path, { timeout: options.busyTimeoutMs ?? 5000 })
      db.pragma('journal_mode = WAL')
      db.pragma('synchronous = NORMAL')
      db.pragma('foreign_keys = ON')
      this.#db = db
      this.#migrate()
    } catch (error) {
      db?.close()
      const code = (error as { code?: string }).code ?? 'unknown error'
      throw new StoreUnavailable(
        `cannot open the SQLite database at ${path} (${code}): check the path and that it is a Tessera database`,
        {
          cause: error,
        },
      )
    }

    this.#insertToken = db.prepare(
      `INSERT INTO refresh_tokens (hash, family_id, generation, state, created_at, idle_expires_at)
       VALUES (?, ?, ?, 'active', ?, ?)`,
    )
    this.#tokenByHash = db.prepare('SELECT * FROM refresh_tokens WHERE hash = ?')
    this.#familyById = db.prepare('SELECT * FROM refresh_families WHERE id = ?')
    const revokeFamily = db.prepare(
      'UPDATE refresh_families SET revoked_at = ?, revoked_reason = ? WHERE id = ? AND revoked_at IS NULL',
    )
    const revokeTokens = db.prepare(
      "UPDATE refresh_tokens SET state = 'revoked' WHERE family_id = ? AND state = 'active'",
    )
    // The compare-and-set: only a row still 'active' can be rotated, whoever else is trying.
    const casRotate = db.prepare(
      `UPDATE refresh_tokens SET state = 'rotated', rotated_at = ?, successor_hash = ?
       WHERE hash = ? AND state = 'active'`,
    )

    this.#revokeFamilyTx = db
      .transaction((id: string, reason: string, now: number): boolean => {
        const changed = revokeFamily.run(now, reason, id).changes === 1
        revokeTokens.run(id)
        return changed
      })
      .immediate.bind(null) as never

    const revokeTx = (id: string, reason: string, now: number) => {
      revokeFamily.run(now, reason, id)
      revokeTokens.run(id)
    }

    this.#consumeTx = db
      .transaction((input: ConsumeRefreshInput): ConsumeRefreshResult => {
        const tokenRow = this.#tokenByHash.get(input.hash) as Row | undefined
        if (!tokenRow) return { outcome: 'invalid', reason: 'unknown' }
        const token = toToken(tokenRow)
        const family = toFamily(this.#familyById.get(token.familyId) as Row)
        if (family.revokedAt !== null || token.state === 'revoked')
          return { outcome: 'invalid', reason: 'revoked' }
        if (input.now >= family.absoluteExpiresAt) return { outcome: 'invalid', reason: 'expired' }
        if (token.state === 'active') {
          if (family.clientId !== input.clientId) return { outcome: 'invalid', reason: 'client_mismatch' }
          if (input.now >= token.idleExpiresAt) return { outcome: 'invalid', reason: 'expired' }
          const won = casRotate.run(input.now, input.successor.hash, input.hash).changes === 1
          if (!won) return { outcome: 'invalid', reason: 'revoked' }
          const s = input.successor
          this.#insertToken.run(s.hash, family.id, s.generation, s.createdAt, s.idleExpiresAt)
          return { outcome: 'rotated', family, token: toToken(this.#tokenByHash.get(s.hash) as Row) }
        }
        // state === 'rotated': a replay. Inside the grace window, from the same client, of the token whose
        // successor is still the live one: answer with that successor. Anything else is theft.
        const successorRow = token.successorHash
          ? (this.#tokenByHash.get(token.successorHash) as Row | undefined)
          : undefined
        const successor = successorRow ? toToken(successorRow) : undefined
        if (
          successor?.state === 'active' &&
          token.rotatedAt !== null &&
          input.now - token.rotatedAt <= input.graceMs &&
          family.clientId === input.clientId &&
          input.now < successor.idleExpiresAt
        ) {
          return { outcome: 'grace', family, token: successor }
        }
        revokeTx(family.id, 'reuse', input.now)
        return { outcome: 'reused', family: { ...family, revokedAt: input.now, revokedReason: 'reuse' } }
      })
      .immediate.bind(null) as never
  }

  #stmt(sql: string): Database.Statement {
    let statement = this.#statements.get(sql)
    if (!statement) {
      statement = this.#db.prepare(sql)
      this.#statements.set(sql, statement)
    }
    return statement
  }

  #migrate(): void {
    const db = this.#db
    db.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
    )
    const apply = db
      .transaction(() => {
        const done = new Set(
          (db.prepare('SELECT version FROM schema_migrations').all() as Row[]).map((r) => r.version),
        )
        for (const m of SQLITE_MIGRATIONS) {
          if (done.has(m.version)) continue
          db.exec(m.sql)
          db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
            m.version,
            m.name,
            Date.now(),
          )
        }
      })
      .immediate.bind(null)
    apply()
  }

  /** Migration versions applied, for tests and `tessera doctor`. */
  appliedMigrations(): number[] {
    return (this.#stmt('SELECT version FROM schema_migrations ORDER BY version').all() as Row[]).map(
      (r) => r.version as number,
    )
  }

  async close(): Promise<void> {
    if (this.#db.open) this.#db.close()
  }

  createUser(user: NewUser): Promise<UserRecord> {
    return guard(() => {
      try {
        this.#stmt(
          'INSERT INTO users (id, username, password_hash, disabled, created_at, updated_at) VALUES (?, ?, ?, 0, ?, ?)',
        ).run(user.id, user.username, user.passwordHash, user.createdAt, user.createdAt)
      } catch (error) {
        if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
          throw new UserExists(`the username "${user.username}" is taken; choose another`)
        }
        throw error
      }
      return { ...user, disabled: false, updatedAt: user.createdAt }
    })
  }

  findUserByUsername(username: string): Promise<UserRecord | undefined> {
    return guard(() => {
      const row = this.#stmt('SELECT * FROM users WHERE username = ?').get(username) as Row | undefined
      return row ? toUser(row) : undefined
    })
  }

  findUserById(id: string): Promise<UserRecord | undefined> {
    return guard(() => {
      const row = this.#stmt('SELECT * FROM users WHERE id = ?').get(id) as Row | undefined
      return row ? toUser(row) : undefined
    })
  }

  listUsers(): Promise<UserRecord[]> {
    return guard(() => (this.#stmt('SELECT * FROM users ORDER BY username').all() as Row[]).map(toUser))
  }

  setPasswordHash(userId: string, passwordHash: string, now: number): Promise<void> {
    return guard(() => {
      this.#stmt('UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?').run(
        passwordHash,
        now,
        userId,
      )
    })
  }

  setUserDisabled(userId: string, disabled: boolean, now: number): Promise<boolean> {
    return guard(
      () =>
        this.#stmt('UPDATE users SET disabled = ?, updated_at = ? WHERE id = ?').run(
          disabled ? 1 : 0,
          now,
          userId,
        ).changes === 1,
    )
  }

  createRefreshFamily(
    family: Omit<RefreshFamily, 'revokedAt' | 'revokedReason'>,
    first: NewRefreshToken,
  ): Promise<void> {
    return guard(() => {
      this.#db
        .transaction(() => {
          this.#stmt(
            `INSERT INTO refresh_families (id, user_id, client_id, scope, cookie_bound, created_at, absolute_expires_at)
               VALUES (?, ?, ?, ?, ?, ?, ?)`,
          ).run(
            family.id,
            family.userId,
            family.clientId,
            family.scope,
            family.cookieBound ? 1 : 0,
            family.createdAt,
            family.absoluteExpiresAt,
          )
          this.#insertToken.run(first.hash, family.id, first.generation, first.createdAt, first.idleExpiresAt)
        })
        .immediate()
    })
  }

  findRefreshToken(hash: string): Promise<{ token: RefreshTokenRecord; family: RefreshFamily } | undefined> {
    return guard(() => {
      const row = this.#tokenByHash.get(hash) as Row | undefined
      if (!row) return undefined
      const token = toToken(row)
      return { token, family: toFamily(this.#familyById.get(token.familyId) as Row) }
    })
  }

  findRefreshFamily(id: string): Promise<RefreshFamily | undefined> {
    return guard(() => {
      const row = this.#familyById.get(id) as Row | undefined
      return row ? toFamily(row) : undefined
    })
  }

  consumeRefreshToken(input: ConsumeRefreshInput): Promise<ConsumeRefreshResult> {
    return guard(() => this.#consumeTx(input))
  }

  revokeRefreshFamily(id: string, reason: string, now: number): Promise<boolean> {
    return guard(() => this.#revokeFamilyTx(id, reason, now))
  }

  revokeUserFamilies(userId: string, reason: string, now: number): Promise<number> {
    return guard(() =>
      this.#db
        .transaction(() => {
          const ids = (
            this.#db
              .prepare('SELECT id FROM refresh_families WHERE user_id = ? AND revoked_at IS NULL')
              .all(userId) as Row[]
          ).map((r) => r.id as string)
          for (const id of ids) {
            this.#db
              .prepare('UPDATE refresh_families SET revoked_at = ?, revoked_reason = ? WHERE id = ?')
              .run(now, reason, id)
            this.#db
              .prepare("UPDATE refresh_tokens SET state = 'revoked' WHERE family_id = ? AND state = 'active'")
              .run(id)
          }
          return ids.length
        })
        .immediate(),
    )
  }

  countActiveFamilies(userId: string, now: number): Promise<number> {
    return guard(
      () =>
        (
          this.#stmt(
            `SELECT COUNT(*) AS n FROM refresh_families f WHERE f.user_id = ? AND f.revoked_at IS NULL
               AND f.absolute_expires_at > ? AND EXISTS (SELECT 1 FROM refresh_tokens t WHERE t.family_id = f.id
               AND t.state = 'active' AND t.idle_expires_at > ?)`,
          ).get(userId, now, now) as Row
        ).n as number,
    )
  }

  createSession(s: SessionRecord): Promise<void> {
    return guard(() => {
      this.#stmt(
        `INSERT INTO sessions (hash, user_id, created_at, last_seen_at, idle_expires_at, absolute_expires_at, csrf_token)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ).run(s.hash, s.userId, s.createdAt, s.lastSeenAt, s.idleExpiresAt, s.absoluteExpiresAt, s.csrfToken)
    })
  }

  findSession(hash: string): Promise<SessionRecord | undefined> {
    return guard(() => {
      const row = this.#stmt('SELECT * FROM sessions WHERE hash = ?').get(hash) as Row | undefined
      return row ? toSession(row) : undefined
    })
  }

  touchSession(hash: string, lastSeenAt: number, idleExpiresAt: number): Promise<void> {
    return guard(() => {
      this.#stmt('UPDATE sessions SET last_seen_at = ?, idle_expires_at = ? WHERE hash = ?').run(
        lastSeenAt,
        idleExpiresAt,
        hash,
      )
    })
  }

  deleteSession(hash: string): Promise<boolean> {
    return guard(() => this.#stmt('DELETE FROM sessions WHERE hash = ?').run(hash).changes === 1)
  }

  deleteUserSessions(userId: string): Promise<number> {
    return guard(() => this.#stmt('DELETE FROM sessions WHERE user_id = ?').run(userId).changes)
  }

  insertSigningKey(k: SigningKeyRecord): Promise<void> {
    return guard(() => {
      this.#stmt(
        `INSERT INTO signing_keys (kid, alg, public_jwk, encrypted_private_jwk, created_at, activates_at, retires_at, remove_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        k.kid,
        k.alg,
        k.publicJwk,
        k.encryptedPrivateJwk,
        k.createdAt,
        k.activatesAt,
        k.retiresAt,
        k.removeAt,
      )
    })
  }

  listSigningKeys(): Promise<SigningKeyRecord[]> {
    return guard(() =>
      (this.#stmt('SELECT * FROM signing_keys ORDER BY activates_at, created_at').all() as Row[]).map(toKey),
    )
  }

  retireSigningKey(kid: string, retiresAt: number, removeAt: number): Promise<void> {
    return guard(() => {
      this.#stmt('UPDATE signing_keys SET retires_at = ?, remove_at = ? WHERE kid = ?').run(
        retiresAt,
        removeAt,
        kid,
      )
    })
  }

  deleteSigningKeysRemovedBefore(now: number): Promise<number> {
    return guard(
      () =>
        this.#stmt('DELETE FROM signing_keys WHERE remove_at IS NOT NULL AND remove_at <= ?').run(now)
          .changes,
    )
  }

  appendAudit(e: AuditEvent): Promise<void> {
    return guard(() => {
      this.#stmt(
        'INSERT INTO audit_events (at, type, user_id, family_id, ip, detail) VALUES (?, ?, ?, ?, ?, ?)',
      ).run(
        e.at,
        e.type,
        e.userId ?? null,
        e.familyId ?? null,
        e.ip ?? null,
        e.detail ? JSON.stringify(e.detail) : null,
      )
    })
  }

  listAudit(options: { limit: number; userId?: string }): Promise<AuditEvent[]> {
    return guard(() => {
      const rows = (
        options.userId
          ? this.#db
              .prepare('SELECT * FROM audit_events WHERE user_id = ? ORDER BY id DESC LIMIT ?')
              .all(options.userId, options.limit)
          : this.#stmt('SELECT * FROM audit_events ORDER BY id DESC LIMIT ?').all(options.limit)
      ) as Row[]
      return rows.map((r) => ({
        at: r.at as number,
        type: r.type as string,
        userId: (r.user_id as string | null) ?? null,
        familyId: (r.family_id as string | null) ?? null,
        ip: (r.ip as string | null) ?? null,
        ...(r.detail ? { detail: JSON.parse(r.detail as string) as Record<string, unknown> } : {}),
      }))
    })
  }

  hitThrottle(key: string, now: number, windowMs: number): Promise<ThrottleRecord> {
    return guard(() => {
      // One statement: insert, or restart a stale window, or count one more.
      const row = this.#stmt(
        `INSERT INTO throttle (key, count, first_at, last_at) VALUES (?, 1, ?, ?)
           ON CONFLICT(key) DO UPDATE SET
             count = CASE WHEN ? - first_at >= ? THEN 1 ELSE count + 1 END,
             first_at = CASE WHEN ? - first_at >= ? THEN excluded.first_at ELSE first_at END,
             last_at = excluded.last_at
           RETURNING key, count, first_at, last_at`,
      ).get(key, now, now, now, windowMs, now, windowMs) as Row
      return {
        key,
        count: row.count as number,
        firstAt: row.first_at as number,
        lastAt: row.last_at as number,
      }
    })
  }

  getThrottle(key: string): Promise<ThrottleRecord | undefined> {
    return guard(() => {
      const row = this.#stmt('SELECT * FROM throttle WHERE key = ?').get(key) as Row | undefined
      return row
        ? { key, count: row.count as number, firstAt: row.first_at as number, lastAt: row.last_at as number }
        : undefined
    })
  }

  clearThrottle(key: string): Promise<void> {
    return guard(() => {
      this.#stmt('DELETE FROM throttle WHERE key = ?').run(key)
    })
  }

  purgeExpired(now: number): Promise<void> {
    return guard(() => {
      this.#db
        .transaction(() => {
          this.#stmt('DELETE FROM refresh_families WHERE absolute_expires_at <= ?').run(now)
          this.#stmt('DELETE FROM sessions WHERE idle_expires_at <= ? OR absolute_expires_at <= ?').run(
            now,
            now,
          )
          this.#stmt('DELETE FROM throttle WHERE last_at <= ?').run(now - 86400_000)
        })
        .immediate()
    })
  }
}
