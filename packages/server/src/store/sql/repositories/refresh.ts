/**
 * @module Refresh families and tokens in SQL, with the one rotation operation: lock, read what the
 * policy needs, apply its decision and the audit row, all in one transaction.
 *
 * On PostgreSQL the rotation read takes the family row `FOR UPDATE`. Under READ COMMITTED a read that
 * had to wait for that lock still returns the token and successor rows of its own (earlier) snapshot,
 * so a rival's rotation can be missed; the compare-and-set then changes no row. The transaction, which
 * now holds the lock, reads again — a fresh statement, a fresh snapshot — and asks the policy again, so
 * `decide` may run more than once (it is pure). The common, uncontended refresh is one read and one
 * write. On SQLite `BEGIN IMMEDIATE` holds the only write lock from the start and the read is current.
 */
import type {
  AuditEvent,
  NewRefreshToken,
  RefreshFamily,
  RefreshRepository,
  RefreshTokenRecord,
  RevokedSessionRepository,
  RotationRead,
  RotationStep,
  UserRecord,
} from '../../types.js'
import type { SqlDialect } from '../dialect/dialect.js'
import type { Executor } from '../prepared.js'
import { toFamily, toToken, toUser } from '../rows.js'
import type { AuditWriter } from './audit.js'
import { pickFamily, pickSuccessor, pickToken, pickUser, refreshQueries } from './refresh-queries.js'

/** Reads and compare-and-sets one rotation may need before its view of the family is current. */
const MAX_READS = 3

export class SqlRefresh implements RefreshRepository {
  readonly #d: SqlDialect
  readonly #q: ReturnType<typeof refreshQueries>
  readonly #audit: AuditWriter
  readonly #revoked: RevokedSessionRepository | undefined

  constructor(dialect: SqlDialect, audit: AuditWriter, revoked?: RevokedSessionRepository) {
    this.#d = dialect
    this.#q = refreshQueries(dialect)
    this.#audit = audit
    this.#revoked = revoked
  }

  createFamily(
    family: Omit<RefreshFamily, 'revokedAt' | 'revokedReason' | 'sid' | 'authTime'> &
      Partial<Pick<RefreshFamily, 'sid' | 'authTime'>>,
    first: NewRefreshToken,
    audit?: AuditEvent,
  ): Promise<void> {
    return this.#d.transaction(async (trx) => {
      await this.#q.insertFamily.run(trx, {
        ...family,
        cookieBound: family.cookieBound ? 1 : 0,
        sid: family.sid ?? null,
        authTime: family.authTime ?? null,
        dpopJkt: family.dpopJkt ?? null,
      })
      await this.#q.insertToken.run(trx, { ...first, familyId: family.id })
      if (audit) await this.#audit.appendIn(trx, audit)
    })
  }

  async findToken(hash: string): Promise<{ token: RefreshTokenRecord; family: RefreshFamily } | undefined> {
    const row = await this.#q.findToken.first(this.#d.run, { hash })
    if (!row) return undefined
    const r = row as Record<string, unknown>
    return { token: toToken(pickToken(r)!), family: toFamily(pickFamily(r)!) }
  }

  async findFamily(id: string): Promise<RefreshFamily | undefined> {
    const cached = await this.#revoked?.cachedFamily(id)
    if (cached) return cached
    const row = await this.#q.familyById.first(this.#d.run, { id })
    const family = row ? toFamily(row) : undefined
    // Not awaited: filling the cache must never slow the answer (a Redis that hangs costs its timeout).
    if (family && family.revokedAt === null) void this.#revoked?.cacheFamily(family)
    return family
  }

  async rotate<R>(
    hash: string,
    now: number,
    decide: (read: RotationRead | undefined) => RotationStep<R>,
  ): Promise<R> {
    let revokedFamily: string | undefined
    const result = await this.#d.transaction(async (trx) => {
      revokedFamily = undefined
      for (let reads = 1; ; reads++) {
        const read = await this.#read(trx, hash)
        const step = decide(read)
        const write = step.write
        if (write.kind === 'rotate') {
          if (!read) throw new TypeError('the rotation policy cannot rotate a token that does not exist')
          if (!(await this.#rotateIn(trx, hash, read.family.id, now, write.successor))) {
            if (reads < MAX_READS) continue
            throw new Error('the refresh token changed under the family lock; the rotation was not applied')
          }
        } else if (write.kind === 'revoke') {
          if (!read) throw new TypeError('the rotation policy cannot revoke the family of an unknown token')
          await this.#revokeIn(trx, read.family.id, write.reason, now)
          revokedFamily = read.family.id
        }
        if (step.audit) await this.#audit.appendIn(trx, step.audit)
        return step.result
      }
    })
    if (revokedFamily) await this.#revoked?.markFamilyRevoked(revokedFamily)
    return result
  }

  async #read(on: Executor, hash: string): Promise<RotationRead | undefined> {
    const row = (await this.#q.rotationRead.first(on, { hash })) as Record<string, unknown> | undefined
    if (!row) return undefined
    const successor = pickSuccessor(row)
    const user = pickUser(row)
    return {
      token: toToken(pickToken(row)!),
      family: toFamily(pickFamily(row)!),
      successor: successor ? toToken(successor) : undefined,
      user: user ? (toUser(user) satisfies UserRecord) : undefined,
    }
  }

  /** The compare-and-set and the successor insert; false when the presented token was no longer active. */
  async #rotateIn(
    trx: Executor,
    presented: string,
    familyId: string,
    now: number,
    successor: NewRefreshToken,
  ): Promise<boolean> {
    const params = { ...successor, presented, now }
    if (this.#q.casAndInsert) return (await this.#q.casAndInsert.changed(trx, params)) === 1
    if ((await this.#q.cas.changed(trx, params)) !== 1) return false
    await this.#q.insertToken.run(trx, { ...successor, familyId })
    return true
  }

  async #revokeIn(trx: Executor, id: string, reason: string, now: number): Promise<boolean> {
    const changed = (await this.#q.revokeFamily.changed(trx, { id, reason, now })) === 1
    await this.#q.revokeTokens.run(trx, { id })
    return changed
  }

  async revokeFamily(id: string, reason: string, now: number, audit?: AuditEvent): Promise<boolean> {
    const changed = await this.#d.transaction(async (trx) => {
      if (this.#d.rowLocks) await this.#q.lockFamily.run(trx, { id })
      const changed = await this.#revokeIn(trx, id, reason, now)
      if (audit) await this.#audit.appendIn(trx, audit)
      return changed
    })
    await this.#revoked?.markFamilyRevoked(id)
    return changed
  }

  async revokeUserFamilies(userId: string, reason: string, now: number): Promise<number> {
    const count = await this.#d.transaction(async (trx) => {
      if (this.#d.rowLocks) await this.#q.lockUserFamilies.run(trx, { userId })
      const count = await this.#q.revokeUserFamilies.changed(trx, { userId, reason, now })
      await this.#q.revokeUserTokens.run(trx, { userId })
      return count
    })
    // Every family created up to `now` is revoked: one marker for the user covers them all.
    await this.#revoked?.markUserRevoked(userId, now)
    return count
  }

  async revokeSessionFamilies(sid: string, reason: string, now: number): Promise<number> {
    const revoked = await this.#d.transaction(async (trx) => {
      const ids = this.#d.rowLocks
        ? await this.#q.lockSessionFamilies.rows(trx, { sid })
        : await this.#q.sessionFamilies.rows(trx, { sid })
      await this.#q.revokeSessionFamilies.run(trx, { sid, reason, now })
      await this.#q.revokeSessionTokens.run(trx, { sid })
      return ids.map((r) => r.id)
    })
    for (const id of revoked) await this.#revoked?.markFamilyRevoked(id)
    return revoked.length
  }

  async countActiveFamilies(userId: string, now: number): Promise<number> {
    const row = await this.#q.countActive.first(this.#d.run, { userId, now })
    return Number(row?.n ?? 0)
  }
}
