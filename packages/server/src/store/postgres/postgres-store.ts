/**
 * @module The PostgreSQL Store (pg): a bounded pool, migrations at open under an advisory lock, refresh
 * rotation and revocation as row-locked transactions (retried on 40001/40P01), signing-key changes
 * announced with NOTIFY, and a database that is down reported as StoreUnavailable (503) until the pool
 * reconnects by itself.
 *
 * Why row locks under READ COMMITTED and not SERIALIZABLE: every change to a family (rotation, reuse
 * revocation, logout) first takes that family's row `FOR UPDATE`, so rival instances queue on one row;
 * each later statement reads a fresh snapshot taken after the lock was granted, so the loser sees the
 * winner's commit — the token `rotated` — and answers with the same successor (grace) or revokes.
 * SERIALIZABLE was tried first and measured: its page-level predicate locks aborted rotations of
 * *unrelated* families (12 concurrent chains exhausted 12 retries, "identification as a pivot"). The
 * compare-and-set `WHERE state = 'active'` and the partial unique index `refresh_tokens_one_active`
 * stay as guards beneath the lock: two live successors are impossible in the schema itself.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import pg from 'pg'
import { UserExists } from '../../errors.js'
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
import { parsePostgresUrl } from './connection-url.js'
import { POSTGRES_MIGRATIONS } from './migrations.js'
import { isRetryable, isUnavailable, mapPgError } from './pg-errors.js'

type Row = Record<string, unknown>
type Q = Pick<pg.PoolClient, 'query'>

export interface PostgresStoreOptions {
  /** Milliseconds to wait for a connection before answering 503 (default 3000). */
  connectTimeoutMs?: number
  /** Server-side limit on one statement (default 5000). */
  statementTimeoutMs?: number
}

const num = (v: unknown): number => Number(v)
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v))
/** Attempts of one transaction before giving up with 503 (each waits a little longer, with jitter). */
const MAX_ATTEMPTS = 12
const KEYS_CHANNEL = 'tessera_signing_keys'

const toUser = (r: Row): UserRecord => ({
  id: r.id as string,
  username: r.username as string,
  passwordHash: r.password_hash as string,
  disabled: r.disabled === true,
  createdAt: num(r.created_at),
  updatedAt: num(r.updated_at),
})

const toFamily = (r: Row): RefreshFamily => ({
  id: r.id as string,
  userId: r.user_id as string,
  clientId: r.client_id as string,
  scope: r.scope as string,
  cookieBound: r.cookie_bound === true,
  createdAt: num(r.created_at),
  absoluteExpiresAt: num(r.absolute_expires_at),
  revokedAt: numOrNull(r.revoked_at),
  revokedReason: (r.revoked_reason as string | null) ?? null,
})

const toToken = (r: Row): RefreshTokenRecord => ({
  hash: r.hash as string,
  familyId: r.family_id as string,
  generation: num(r.generation),
  state: r.state as RefreshTokenRecord['state'],
  createdAt: num(r.created_at),
  idleExpiresAt: num(r.idle_expires_at),
  rotatedAt: numOrNull(r.rotated_at),
  successorHash: (r.successor_hash as string | null) ?? null,
})

const toSession = (r: Row): SessionRecord => ({
  hash: r.hash as string,
  userId: r.user_id as string,
  createdAt: num(r.created_at),
  lastSeenAt: num(r.last_seen_at),
  idleExpiresAt: num(r.idle_expires_at),
  absoluteExpiresAt: num(r.absolute_expires_at),
  csrfToken: (r.csrf_token as string | null) ?? null,
})

const toKey = (r: Row): SigningKeyRecord => ({
  kid: r.kid as string,
  alg: r.alg as string,
  publicJwk: r.public_jwk as string,
  encryptedPrivateJwk: r.encrypted_private_jwk as string,
  createdAt: num(r.created_at),
  activatesAt: num(r.activates_at),
  retiresAt: numOrNull(r.retires_at),
  removeAt: numOrNull(r.remove_at),
})

const INSERT_TOKEN = `INSERT INTO refresh_tokens (hash, family_id, generation, state, created_at, idle_expires_at)
  VALUES ($1, $2, $3, 'active', $4, $5)`

export class PostgresStore implements Store {
  readonly kind = 'postgres' as const
  readonly schema: string
  readonly #pool: pg.Pool
  readonly #url: string
  readonly #statementTimeoutMs: number
  readonly #keyListeners = new Set<() => void>()
  #listener: pg.Client | undefined
  #listenRetry: NodeJS.Timeout | undefined
  #closed = false

  private constructor(url: string, options: PostgresStoreOptions) {
    const parsed = parsePostgresUrl(url)
    this.schema = parsed.schema
    this.#url = url
    this.#statementTimeoutMs = options.statementTimeoutMs ?? 5000
    this.#pool = new pg.Pool({
      connectionString: parsed.connectionString,
      max: parsed.poolMax,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 3000,
      idleTimeoutMillis: 30_000,
      // A blackholed network must not hang requests: the client gives up a little after the server would.
      query_timeout: this.#statementTimeoutMs + 2000,
      options: `-c search_path=${parsed.schema} -c statement_timeout=${this.#statementTimeoutMs}`,
      application_name: 'tessera',
    })
    // An idle connection dropped by a restarting server must not crash the process: the pool discards
    // it and the next query opens a fresh one.
    this.#pool.on('error', () => {})
    // Likewise for a checked-out connection that dies between two statements of a transaction: the
    // next statement fails and the transaction reports it.
    this.#pool.on('connect', (client) => client.on('error', () => {}))
  }

  /** Connects, creates the schema if needed and applies missing migrations (once, across instances). */
  static async open(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const store = new PostgresStore(url, options)
    try {
      await store.#migrate()
    } catch (error) {
      await store.#pool.end().catch(() => {})
      throw mapPgError(error)
    }
    return store
  }

  async #migrate(): Promise<void> {
    await this.#tx('read committed', async (c) => {
      // Transaction-scoped: released by COMMIT/ROLLBACK, or by the server if this process dies.
      await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`tessera:migrate:${this.schema}`])
      await c.query(`CREATE SCHEMA IF NOT EXISTS ${this.schema}`)
      await c.query(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)',
      )
      const done = new Set(
        (await c.query('SELECT version FROM schema_migrations')).rows.map((r: Row) => num(r.version)),
      )
      for (const m of POSTGRES_MIGRATIONS) {
        if (done.has(m.version)) continue
        await c.query(m.sql)
        await c.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
          m.version,
          m.name,
          Date.now(),
        ])
      }
    })
  }

  /** Migration versions applied, for tests and `tessera doctor`. */
  async appliedMigrations(): Promise<number[]> {
    return (await this.#q('SELECT version FROM schema_migrations ORDER BY version')).map((r) =>
      num(r.version),
    )
  }

  async #q(sql: string, params: unknown[] = []): Promise<Row[]> {
    try {
      return (await this.#pool.query(sql, params)).rows as Row[]
    } catch (error) {
      throw mapPgError(error)
    }
  }

  async #count(sql: string, params: unknown[]): Promise<number> {
    try {
      return (await this.#pool.query(sql, params)).rowCount ?? 0
    } catch (error) {
      throw mapPgError(error)
    }
  }

  /** One transaction, retried from the top on serialization failure or deadlock. */
  async #tx<T>(isolation: 'serializable' | 'read committed', work: (c: Q) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      let client: pg.PoolClient
      try {
        client = await this.#pool.connect()
      } catch (error) {
        throw mapPgError(error)
      }
      try {
        await client.query(
          isolation === 'serializable'
            ? 'BEGIN ISOLATION LEVEL SERIALIZABLE'
            : 'BEGIN ISOLATION LEVEL READ COMMITTED',
        )
        const result = await work(client)
        await client.query('COMMIT')
        client.release()
        return result
      } catch (error) {
        let broken = isUnavailable(error)
        if (!broken) {
          try {
            await client.query('ROLLBACK')
          } catch {
            broken = true
          }
        }
        // A broken connection is destroyed, not returned to the pool.
        client.release(broken ? (error as Error) : undefined)
        if (isRetryable(error) && attempt < MAX_ATTEMPTS) {
          await sleep(Math.random() * 2 ** Math.min(attempt, 6))
          continue
        }
        throw mapPgError(error)
      }
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    if (this.#listenRetry) clearTimeout(this.#listenRetry)
    this.#keyListeners.clear()
    await this.#listener?.end().catch(() => {})
    await this.#pool.end()
  }

  async createUser(user: NewUser): Promise<UserRecord> {
    try {
      await this.#pool.query(
        'INSERT INTO users (id, username, password_hash, disabled, created_at, updated_at) VALUES ($1, $2, $3, FALSE, $4, $4)',
        [user.id, user.username, user.passwordHash, user.createdAt],
      )
    } catch (error) {
      if ((error as { code?: string }).code === '23505')
        throw new UserExists(`the username "${user.username}" is taken; choose another`)
      throw mapPgError(error)
    }
    return { ...user, disabled: false, updatedAt: user.createdAt }
  }

  async findUserByUsername(username: string): Promise<UserRecord | undefined> {
    const [row] = await this.#q('SELECT * FROM users WHERE username = $1', [username])
    return row ? toUser(row) : undefined
  }

  async findUserById(id: string): Promise<UserRecord | undefined> {
    const [row] = await this.#q('SELECT * FROM users WHERE id = $1', [id])
    return row ? toUser(row) : undefined
  }

  async listUsers(): Promise<UserRecord[]> {
    return (await this.#q('SELECT * FROM users ORDER BY username')).map(toUser)
  }

  async setPasswordHash(userId: string, passwordHash: string, now: number): Promise<void> {
    await this.#q('UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3', [
      passwordHash,
      now,
      userId,
    ])
  }

  async setUserDisabled(userId: string, disabled: boolean, now: number): Promise<boolean> {
    return (
      (await this.#count('UPDATE users SET disabled = $1, updated_at = $2 WHERE id = $3', [
        disabled,
        now,
        userId,
      ])) === 1
    )
  }

  async createRefreshFamily(
    family: Omit<RefreshFamily, 'revokedAt' | 'revokedReason'>,
    first: NewRefreshToken,
  ): Promise<void> {
    await this.#tx('read committed', async (c) => {
      await c.query(
        `INSERT INTO refresh_families (id, user_id, client_id, scope, cookie_bound, created_at, absolute_expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [
          family.id,
          family.userId,
          family.clientId,
          family.scope,
          family.cookieBound,
          family.createdAt,
          family.absoluteExpiresAt,
        ],
      )
      await c.query(INSERT_TOKEN, [
        first.hash,
        family.id,
        first.generation,
        first.createdAt,
        first.idleExpiresAt,
      ])
    })
  }

  async findRefreshToken(
    hash: string,
  ): Promise<{ token: RefreshTokenRecord; family: RefreshFamily } | undefined> {
    // One round trip: the token row and its family's columns side by side.
    const [row] = await this.#q(
      `SELECT t.*, f.id AS f_id, f.user_id AS f_user_id, f.client_id AS f_client_id, f.scope AS f_scope,
         f.cookie_bound AS f_cookie_bound, f.created_at AS f_created_at,
         f.absolute_expires_at AS f_absolute_expires_at, f.revoked_at AS f_revoked_at,
         f.revoked_reason AS f_revoked_reason
       FROM refresh_tokens t JOIN refresh_families f ON f.id = t.family_id WHERE t.hash = $1`,
      [hash],
    )
    if (!row) return undefined
    const family: Row = {}
    for (const [key, value] of Object.entries(row)) if (key.startsWith('f_')) family[key.slice(2)] = value
    return { token: toToken(row), family: toFamily(family) }
  }

  async findRefreshFamily(id: string): Promise<RefreshFamily | undefined> {
    const [row] = await this.#q('SELECT * FROM refresh_families WHERE id = $1', [id])
    return row ? toFamily(row) : undefined
  }

  consumeRefreshToken(input: ConsumeRefreshInput): Promise<ConsumeRefreshResult> {
    return this.#tx('read committed', async (c): Promise<ConsumeRefreshResult> => {
      // Queue on the family row: every rotation and revocation of this family goes through it.
      const familyRows = (
        await c.query(
          `SELECT f.* FROM refresh_families f
           WHERE f.id = (SELECT family_id FROM refresh_tokens WHERE hash = $1) FOR UPDATE`,
          [input.hash],
        )
      ).rows as Row[]
      if (familyRows.length === 0) return { outcome: 'invalid', reason: 'unknown' }
      const family = toFamily(familyRows[0]!)
      const token = toToken(
        (await c.query('SELECT * FROM refresh_tokens WHERE hash = $1', [input.hash])).rows[0] as Row,
      )
      if (family.revokedAt !== null || token.state === 'revoked')
        return { outcome: 'invalid', reason: 'revoked' }
      if (input.now >= family.absoluteExpiresAt) return { outcome: 'invalid', reason: 'expired' }
      if (token.state === 'active') {
        if (family.clientId !== input.clientId) return { outcome: 'invalid', reason: 'client_mismatch' }
        if (input.now >= token.idleExpiresAt) return { outcome: 'invalid', reason: 'expired' }
        const won = await c.query(
          `UPDATE refresh_tokens SET state = 'rotated', rotated_at = $1, successor_hash = $2
           WHERE hash = $3 AND state = 'active'`,
          [input.now, input.successor.hash, input.hash],
        )
        if (won.rowCount !== 1) return { outcome: 'invalid', reason: 'revoked' }
        const s = input.successor
        const inserted = await c.query(`${INSERT_TOKEN} RETURNING *`, [
          s.hash,
          family.id,
          s.generation,
          s.createdAt,
          s.idleExpiresAt,
        ])
        return { outcome: 'rotated', family, token: toToken(inserted.rows[0] as Row) }
      }
      // 'rotated': a replay. Same rules as the SQLite store: the immediately previous token, by the same
      // client, inside the window, while its successor is still the live one → that same successor.
      const successorRow = token.successorHash
        ? ((await c.query('SELECT * FROM refresh_tokens WHERE hash = $1', [token.successorHash])).rows[0] as
            | Row
            | undefined)
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
      await this.#revokeIn(c, family.id, 'reuse', input.now)
      return { outcome: 'reused', family: { ...family, revokedAt: input.now, revokedReason: 'reuse' } }
    })
  }

  async #revokeIn(c: Q, id: string, reason: string, now: number): Promise<boolean> {
    const changed = await c.query(
      'UPDATE refresh_families SET revoked_at = $1, revoked_reason = $2 WHERE id = $3 AND revoked_at IS NULL',
      [now, reason, id],
    )
    await c.query("UPDATE refresh_tokens SET state = 'revoked' WHERE family_id = $1 AND state = 'active'", [
      id,
    ])
    return changed.rowCount === 1
  }

  revokeRefreshFamily(id: string, reason: string, now: number): Promise<boolean> {
    return this.#tx('read committed', async (c) => {
      await c.query('SELECT 1 FROM refresh_families WHERE id = $1 FOR UPDATE', [id])
      return this.#revokeIn(c, id, reason, now)
    })
  }

  revokeUserFamilies(userId: string, reason: string, now: number): Promise<number> {
    return this.#tx('read committed', async (c) => {
      // Locked in id order, as every other path locks one family: no deadlock between them.
      const ids = (
        await c.query(
          'SELECT id FROM refresh_families WHERE user_id = $1 AND revoked_at IS NULL ORDER BY id FOR UPDATE',
          [userId],
        )
      ).rows.map((r: Row) => r.id as string)
      for (const id of ids) await this.#revokeIn(c, id, reason, now)
      return ids.length
    })
  }

  async countActiveFamilies(userId: string, now: number): Promise<number> {
    const [row] = await this.#q(
      `SELECT COUNT(*) AS n FROM refresh_families f WHERE f.user_id = $1 AND f.revoked_at IS NULL
       AND f.absolute_expires_at > $2 AND EXISTS (SELECT 1 FROM refresh_tokens t WHERE t.family_id = f.id
       AND t.state = 'active' AND t.idle_expires_at > $2)`,
      [userId, now],
    )
    return num(row!.n)
  }

  async createSession(s: SessionRecord): Promise<void> {
    await this.#q(
      `INSERT INTO sessions (hash, user_id, created_at, last_seen_at, idle_expires_at, absolute_expires_at, csrf_token)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [s.hash, s.userId, s.createdAt, s.lastSeenAt, s.idleExpiresAt, s.absoluteExpiresAt, s.csrfToken],
    )
  }

  async findSession(hash: string): Promise<SessionRecord | undefined> {
    const [row] = await this.#q('SELECT * FROM sessions WHERE hash = $1', [hash])
    return row ? toSession(row) : undefined
  }

  async touchSession(hash: string, lastSeenAt: number, idleExpiresAt: number): Promise<void> {
    await this.#q('UPDATE sessions SET last_seen_at = $1, idle_expires_at = $2 WHERE hash = $3', [
      lastSeenAt,
      idleExpiresAt,
      hash,
    ])
  }

  async deleteSession(hash: string): Promise<boolean> {
    return (await this.#count('DELETE FROM sessions WHERE hash = $1', [hash])) === 1
  }

  deleteUserSessions(userId: string): Promise<number> {
    return this.#count('DELETE FROM sessions WHERE user_id = $1', [userId])
  }

  async insertSigningKey(k: SigningKeyRecord): Promise<void> {
    await this.#tx('read committed', async (c) => {
      await c.query(
        `INSERT INTO signing_keys (kid, alg, public_jwk, encrypted_private_jwk, created_at, activates_at, retires_at, remove_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          k.kid,
          k.alg,
          k.publicJwk,
          k.encryptedPrivateJwk,
          k.createdAt,
          k.activatesAt,
          k.retiresAt,
          k.removeAt,
        ],
      )
      // Delivered at COMMIT to every instance LISTENing (see watchSigningKeys).
      await c.query('SELECT pg_notify($1, $2)', [KEYS_CHANNEL, this.schema])
    })
  }

  async listSigningKeys(): Promise<SigningKeyRecord[]> {
    return (await this.#q('SELECT * FROM signing_keys ORDER BY activates_at, created_at')).map(toKey)
  }

  async retireSigningKey(kid: string, retiresAt: number, removeAt: number): Promise<void> {
    await this.#tx('read committed', async (c) => {
      await c.query('UPDATE signing_keys SET retires_at = $1, remove_at = $2 WHERE kid = $3', [
        retiresAt,
        removeAt,
        kid,
      ])
      await c.query('SELECT pg_notify($1, $2)', [KEYS_CHANNEL, this.schema])
    })
  }

  deleteSigningKeysRemovedBefore(now: number): Promise<number> {
    return this.#count('DELETE FROM signing_keys WHERE remove_at IS NOT NULL AND remove_at <= $1', [now])
  }

  async exclusive<T>(name: string, work: () => Promise<T>): Promise<T | undefined> {
    let client: pg.PoolClient
    try {
      client = await this.#pool.connect()
    } catch (error) {
      throw mapPgError(error)
    }
    const key = `tessera:${this.schema}:${name}`
    try {
      // Session-level and non-blocking: released below, or by the server if this process dies.
      const got = (await client.query('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [key]))
        .rows[0] as Row
      if (got.ok !== true) return undefined
      try {
        return await work()
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [key])
      }
    } catch (error) {
      throw mapPgError(error)
    } finally {
      client.release()
    }
  }

  /**
   * Calls `listener` whenever any instance on this database adds or retires a signing key (LISTEN/NOTIFY
   * on a dedicated connection, re-established after an outage), and once each time the LISTEN becomes
   * active — a key written before that had no one to notify. Returns the unsubscribe function.
   */
  watchSigningKeys(listener: () => void): () => void {
    this.#keyListeners.add(listener)
    if (!this.#listener && !this.#listenRetry) void this.#listen()
    return () => this.#keyListeners.delete(listener)
  }

  async #listen(): Promise<void> {
    this.#listenRetry = undefined
    if (this.#closed) return
    const { connectionString } = parsePostgresUrl(this.#url)
    const client = new pg.Client({
      connectionString,
      connectionTimeoutMillis: 3000,
      application_name: 'tessera-listen',
    })
    const retry = () => {
      if (this.#listener === client) this.#listener = undefined
      client.end().catch(() => {})
      if (!this.#closed && !this.#listenRetry) {
        this.#listenRetry = setTimeout(() => void this.#listen(), 1000)
        this.#listenRetry.unref()
      }
    }
    client.on('error', retry)
    client.on('end', retry)
    client.on('notification', (message) => {
      if (message.channel === KEYS_CHANNEL && message.payload === this.schema) this.#emitKeys()
    })
    try {
      await client.connect()
      await client.query(`LISTEN ${KEYS_CHANNEL}`)
      this.#listener = client
      // The connection's socket must not keep a finished process alive.
      ;(
        client as unknown as { connection?: { stream?: { unref?: () => void } } }
      ).connection?.stream?.unref?.()
      this.#emitKeys()
    } catch {
      retry()
    }
  }

  #emitKeys(): void {
    for (const listener of this.#keyListeners) listener()
  }

  async appendAudit(e: AuditEvent): Promise<void> {
    await this.#q(
      'INSERT INTO audit_events (at, type, user_id, family_id, ip, detail) VALUES ($1, $2, $3, $4, $5, $6)',
      [
        e.at,
        e.type,
        e.userId ?? null,
        e.familyId ?? null,
        e.ip ?? null,
        e.detail ? JSON.stringify(e.detail) : null,
      ],
    )
  }

  async listAudit(options: { limit: number; userId?: string }): Promise<AuditEvent[]> {
    const rows = options.userId
      ? await this.#q('SELECT * FROM audit_events WHERE user_id = $1 ORDER BY id DESC LIMIT $2', [
          options.userId,
          options.limit,
        ])
      : await this.#q('SELECT * FROM audit_events ORDER BY id DESC LIMIT $1', [options.limit])
    return rows.map((r) => ({
      at: num(r.at),
      type: r.type as string,
      userId: (r.user_id as string | null) ?? null,
      familyId: (r.family_id as string | null) ?? null,
      ip: (r.ip as string | null) ?? null,
      ...(r.detail ? { detail: JSON.parse(r.detail as string) as Record<string, unknown> } : {}),
    }))
  }

  async hitThrottle(key: string, now: number, windowMs: number): Promise<ThrottleRecord> {
    // One statement: insert, or restart a stale window, or count one more (atomic under concurrency).
    const [row] = await this.#q(
      `INSERT INTO throttle AS t (key, count, first_at, last_at) VALUES ($1, 1, $2, $2)
       ON CONFLICT (key) DO UPDATE SET
         count = CASE WHEN $2 - t.first_at >= $3 THEN 1 ELSE t.count + 1 END,
         first_at = CASE WHEN $2 - t.first_at >= $3 THEN $2 ELSE t.first_at END,
         last_at = $2
       RETURNING count, first_at, last_at`,
      [key, now, windowMs],
    )
    return { key, count: num(row!.count), firstAt: num(row!.first_at), lastAt: num(row!.last_at) }
  }

  async getThrottle(key: string): Promise<ThrottleRecord | undefined> {
    const [row] = await this.#q('SELECT * FROM throttle WHERE key = $1', [key])
    return row
      ? { key, count: num(row.count), firstAt: num(row.first_at), lastAt: num(row.last_at) }
      : undefined
  }

  async clearThrottle(key: string): Promise<void> {
    await this.#q('DELETE FROM throttle WHERE key = $1', [key])
  }

  async purgeExpired(now: number): Promise<void> {
    await this.#tx('read committed', async (c) => {
      await c.query('DELETE FROM refresh_families WHERE absolute_expires_at <= $1', [now])
      await c.query('DELETE FROM sessions WHERE idle_expires_at <= $1 OR absolute_expires_at <= $1', [now])
      await c.query('DELETE FROM throttle WHERE last_at <= $1', [now - 86_400_000])
    })
  }
}
