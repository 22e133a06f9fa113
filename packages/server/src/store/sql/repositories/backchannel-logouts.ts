/**
 * @module Back-channel logout deliveries in SQL, a small work queue. `claimDue` leases due rows by
 * moving their `next_attempt_at` past the lease, in one transaction that locks them (`FOR UPDATE SKIP
 * LOCKED` on PostgreSQL, so instances claim different rows without waiting; SQLite's one writer), so no
 * two claimers hold one delivery at once. A claimer that dies leaves the row due again when the lease ends.
 */
import type { BackchannelLogoutRecord, BackchannelLogoutRepository } from '../../types.js'
import type { SqlDialect } from '../dialect/dialect.js'
import { prepare } from '../prepared.js'
import { toBackchannelLogout } from '../rows.js'

export class SqlBackchannelLogouts implements BackchannelLogoutRepository {
  readonly #d: SqlDialect
  readonly #insert
  readonly #due
  readonly #lease
  readonly #delivered
  readonly #reschedule

  constructor(dialect: SqlDialect) {
    const db = dialect.db
    this.#d = dialect
    this.#insert = prepare((p: BackchannelLogoutRecord) =>
      db.insertInto('backchannel_logouts').values({
        id: p.id,
        client_id: p.clientId,
        uri: p.uri,
        sid: p.sid,
        sub: p.sub,
        created_at: p.createdAt,
        attempts: p.attempts,
        next_attempt_at: p.nextAttemptAt,
        delivered_at: p.deliveredAt,
        last_error: p.lastError,
      }),
    )
    this.#due = prepare((p: { now: number; limit: number }) =>
      db
        .selectFrom('backchannel_logouts')
        .selectAll()
        .where('delivered_at', 'is', null)
        .where('next_attempt_at', '<=', p.now)
        .orderBy('next_attempt_at')
        .orderBy('id')
        .limit(p.limit)
        .$if(dialect.rowLocks, (q) => q.forUpdate().skipLocked()),
    )
    // The guard repeats the due condition: a row another claimer leased since it was read is not taken.
    this.#lease = prepare((p: { id: string; now: number; until: number }) =>
      db
        .updateTable('backchannel_logouts')
        .set({ next_attempt_at: p.until })
        .where('id', '=', p.id)
        .where('delivered_at', 'is', null)
        .where('next_attempt_at', '<=', p.now),
    )
    this.#delivered = prepare((p: { id: string; now: number }) =>
      db.updateTable('backchannel_logouts').set({ delivered_at: p.now }).where('id', '=', p.id),
    )
    this.#reschedule = prepare(
      (p: { id: string; attempts: number; nextAttemptAt: number; lastError: string }) =>
        db
          .updateTable('backchannel_logouts')
          .set({ attempts: p.attempts, next_attempt_at: p.nextAttemptAt, last_error: p.lastError })
          .where('id', '=', p.id)
          .where('delivered_at', 'is', null),
    )
  }

  async enqueue(record: BackchannelLogoutRecord): Promise<void> {
    await this.#insert.run(this.#d.run, record)
  }

  claimDue(now: number, limit: number, leaseMs: number): Promise<BackchannelLogoutRecord[]> {
    return this.#d.transaction(async (trx) => {
      const due = await this.#due.rows(trx, { now, limit })
      const claimed: BackchannelLogoutRecord[] = []
      for (const row of due) {
        const until = now + leaseMs
        if ((await this.#lease.changed(trx, { id: row.id, now, until })) === 1)
          claimed.push({ ...toBackchannelLogout(row), nextAttemptAt: until })
      }
      return claimed
    })
  }

  async markDelivered(id: string, now: number): Promise<void> {
    await this.#delivered.run(this.#d.run, { id, now })
  }

  async reschedule(id: string, attempts: number, nextAttemptAt: number, lastError: string): Promise<void> {
    // Error text from a relying party's answer: kept short, it is only for the operator.
    await this.#reschedule.run(this.#d.run, {
      id,
      attempts,
      nextAttemptAt,
      lastError: lastError.slice(0, 500),
    })
  }
}
