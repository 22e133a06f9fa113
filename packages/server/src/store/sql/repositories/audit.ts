/** @module The audit log in SQL: append-only events, listed newest first. */
import type { AuditEvent, AuditRepository } from '../../types.js'
import type { SqlDialect } from '../dialect/dialect.js'
import { type Executor, prepare } from '../prepared.js'
import { auditRow, toAuditEvent } from '../rows.js'

/** Appends an event on a given executor, so other repositories write it inside their transaction. */
export interface AuditWriter {
  appendIn(on: Executor, event: AuditEvent): Promise<void>
}

export class SqlAudit implements AuditRepository, AuditWriter {
  readonly #d: SqlDialect
  readonly #insert
  readonly #latest
  readonly #latestForUser

  constructor(dialect: SqlDialect) {
    const db = dialect.db
    this.#d = dialect
    this.#insert = prepare((p: ReturnType<typeof auditRow>) =>
      db.insertInto('audit_events').values({
        at: p.at,
        type: p.type,
        user_id: p.user_id,
        family_id: p.family_id,
        ip: p.ip,
        detail: p.detail,
      }),
    )
    this.#latest = prepare((p: { limit: number }) =>
      db.selectFrom('audit_events').selectAll().orderBy('id', 'desc').limit(p.limit),
    )
    this.#latestForUser = prepare((p: { limit: number; userId: string }) =>
      db
        .selectFrom('audit_events')
        .selectAll()
        .where('user_id', '=', p.userId)
        .orderBy('id', 'desc')
        .limit(p.limit),
    )
  }

  append(event: AuditEvent): Promise<void> {
    return this.appendIn(this.#d.run, event)
  }

  async appendIn(on: Executor, event: AuditEvent): Promise<void> {
    await this.#insert.run(on, auditRow(event))
  }

  async list(options: { limit: number; userId?: string }): Promise<AuditEvent[]> {
    const rows = options.userId
      ? await this.#latestForUser.rows(this.#d.run, { limit: options.limit, userId: options.userId })
      : await this.#latest.rows(this.#d.run, { limit: options.limit })
    return rows.map(toAuditEvent)
  }
}
