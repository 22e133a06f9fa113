/**
 * @module The one SQL store: the repositories over a dialect (SQLite or PostgreSQL), opened after the
 * migrations ran. What differs between the dialects lives in dialect/; everything here is shared.
 */
import type { RevokedSessionRepository, Store } from '../types.js'
import type { SqlDialect } from './dialect/dialect.js'
import { migrate } from './migrations/migrate.js'
import { prepare } from './prepared.js'
import { SqlAudit } from './repositories/audit.js'
import { SqlRefresh } from './repositories/refresh.js'
import { SqlRevocations } from './repositories/revocations.js'
import { SqlSessions } from './repositories/sessions.js'
import { SqlSigningKeys } from './repositories/signing-keys.js'
import { SqlThrottle } from './repositories/throttle.js'
import { SqlUsers } from './repositories/users.js'

export interface SqlStoreOptions {
  /** Redis composition: revocations also leave a marker there, and `findFamily` asks it first. */
  revokedSessions?: RevokedSessionRepository
  /** Redis composition: called after a signing key was added or retired. */
  signingKeysChanged?: (kid: string) => Promise<void>
}

/** Abandoned throttle counters are dropped a day after their last hit. */
const THROTTLE_KEEP_MS = 86_400_000

export class SqlStore implements Store {
  readonly kind: 'sqlite' | 'postgres'
  readonly dialect: SqlDialect
  readonly users: SqlUsers
  readonly refresh: SqlRefresh
  readonly sessions: SqlSessions
  readonly signingKeys: SqlSigningKeys
  readonly audit: SqlAudit
  readonly throttle: SqlThrottle
  readonly revocations: SqlRevocations
  readonly watchSigningKeys?: (listener: () => void) => () => void
  readonly exclusive?: <T>(name: string, work: () => Promise<T>) => Promise<T | undefined>
  readonly #purge

  private constructor(dialect: SqlDialect, options: SqlStoreOptions) {
    this.kind = dialect.kind
    this.dialect = dialect
    this.audit = new SqlAudit(dialect)
    this.users = new SqlUsers(dialect)
    this.refresh = new SqlRefresh(dialect, this.audit, options.revokedSessions)
    this.sessions = new SqlSessions(dialect)
    this.signingKeys = new SqlSigningKeys(dialect, options.signingKeysChanged)
    this.throttle = new SqlThrottle(dialect)
    this.revocations = new SqlRevocations(dialect)
    if (dialect.watchSigningKeys) this.watchSigningKeys = dialect.watchSigningKeys.bind(dialect)
    if (dialect.exclusive) this.exclusive = dialect.exclusive.bind(dialect)
    const db = dialect.db
    this.#purge = [
      prepare((p: { now: number }) =>
        db.deleteFrom('refresh_families').where('absolute_expires_at', '<=', p.now),
      ),
      prepare((p: { now: number }) =>
        db
          .deleteFrom('sessions')
          .where((eb) => eb.or([eb('idle_expires_at', '<=', p.now), eb('absolute_expires_at', '<=', p.now)])),
      ),
      prepare((p: { now: number }) => db.deleteFrom('throttle').where('last_at', '<=', p.now)),
    ] as const
  }

  /** Migrates the database (once, across instances) and opens the store on it; closes it on failure. */
  static async open(dialect: SqlDialect, options: SqlStoreOptions = {}): Promise<SqlStore> {
    try {
      await migrate(dialect)
    } catch (error) {
      await dialect.close().catch(() => {})
      throw error
    }
    return new SqlStore(dialect, options)
  }

  async purgeExpired(now: number): Promise<void> {
    const [families, sessions, throttle] = this.#purge
    await this.dialect.transaction(async (trx) => {
      await families.run(trx, { now })
      await sessions.run(trx, { now })
      await throttle.run(trx, { now: now - THROTTLE_KEEP_MS })
    })
  }

  close(): Promise<void> {
    return this.dialect.close()
  }
}
