/**
 * @module The one SQL store: the repositories over a dialect (SQLite or PostgreSQL), opened after the
 * migrations ran. What differs between the dialects lives in dialect/; everything here is shared.
 */
import type { RevokedSessionRepository, Store } from '../types.js'
import type { SqlDialect } from './dialect/dialect.js'
import { migrate } from './migrations/migrate.js'
import { prepare } from './prepared.js'
import { SqlAudit } from './repositories/audit.js'
import { SqlBackchannelLogouts } from './repositories/backchannel-logouts.js'
import { SqlClients } from './repositories/clients.js'
import { SqlCodes } from './repositories/codes.js'
import { SqlConsents } from './repositories/consents.js'
import { SqlRefresh } from './repositories/refresh.js'
import { SqlReplay } from './repositories/replay.js'
import { SqlRevocations } from './repositories/revocations.js'
import { SqlSessionClients } from './repositories/session-clients.js'
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
/**
 * Used codes are kept a day past their expiry, so a replay within it still revokes what the first
 * redemption issued; a back-channel delivery a day after it was queued (delivered or given up on).
 */
const CODE_KEEP_MS = 86_400_000
const LOGOUT_KEEP_MS = 86_400_000
/** Sign-in records outlive no provider session: sessions last at most 30 days (--session-ttl). */
const SESSION_CLIENT_KEEP_MS = 31 * 86_400_000

export class SqlStore implements Store {
  readonly kind: 'sqlite' | 'postgres'
  readonly dialect: SqlDialect
  readonly users: SqlUsers
  readonly refresh: SqlRefresh
  readonly sessions: SqlSessions
  readonly signingKeys: SqlSigningKeys
  readonly audit: SqlAudit
  readonly throttle: SqlThrottle
  readonly clients: SqlClients
  readonly codes: SqlCodes
  readonly consents: SqlConsents
  readonly sessionClients: SqlSessionClients
  readonly backchannelLogouts: SqlBackchannelLogouts
  readonly replay: SqlReplay
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
    this.clients = new SqlClients(dialect)
    this.codes = new SqlCodes(dialect)
    this.consents = new SqlConsents(dialect)
    this.sessionClients = new SqlSessionClients(dialect)
    this.backchannelLogouts = new SqlBackchannelLogouts(dialect)
    this.replay = new SqlReplay(dialect)
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
      prepare((p: { now: number }) => db.deleteFrom('authorization_codes').where('expires_at', '<=', p.now)),
      prepare((p: { now: number }) => db.deleteFrom('backchannel_logouts').where('created_at', '<=', p.now)),
      prepare((p: { now: number }) => db.deleteFrom('replay_ids').where('expires_at', '<=', p.now)),
      prepare((p: { now: number }) => db.deleteFrom('session_clients').where('created_at', '<=', p.now)),
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
    const [families, sessions, throttle, codes, logouts, replay, sessionClients] = this.#purge
    await this.dialect.transaction(async (trx) => {
      await families.run(trx, { now })
      await sessions.run(trx, { now })
      await throttle.run(trx, { now: now - THROTTLE_KEEP_MS })
      await codes.run(trx, { now: now - CODE_KEEP_MS })
      await logouts.run(trx, { now: now - LOGOUT_KEEP_MS })
      await replay.run(trx, { now })
      await sessionClients.run(trx, { now: now - SESSION_CLIENT_KEEP_MS })
    })
  }

  close(): Promise<void> {
    return this.dialect.close()
  }
}
