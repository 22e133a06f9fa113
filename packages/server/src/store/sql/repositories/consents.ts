/**
 * @module Consents in SQL: per user and client, the union of the scopes granted so far. A grant reads
 * and widens the row under a lock (the row's on PostgreSQL, the one writer on SQLite), so two grants at
 * once never lose a scope.
 */
import type { ConsentRepository } from '../../types.js'
import type { SqlDialect } from '../dialect/dialect.js'
import { prepare } from '../prepared.js'

/** Scopes in `before` then any new ones from `added`, each once. */
export function scopeUnion(before: string, added: string): string {
  return [...new Set([...before.split(/\s+/), ...added.split(/\s+/)].filter(Boolean))].join(' ')
}

export class SqlConsents implements ConsentRepository {
  readonly #d: SqlDialect
  readonly #find
  readonly #lock
  readonly #claim
  readonly #widen
  readonly #delete

  constructor(dialect: SqlDialect) {
    const db = dialect.db
    this.#d = dialect
    this.#find = prepare((p: { userId: string; clientId: string }) =>
      db
        .selectFrom('consents')
        .select(['scope', 'granted_at'])
        .where('user_id', '=', p.userId)
        .where('client_id', '=', p.clientId),
    )
    this.#lock = prepare((p: { userId: string; clientId: string }) =>
      db
        .selectFrom('consents')
        .select(['scope', 'granted_at'])
        .where('user_id', '=', p.userId)
        .where('client_id', '=', p.clientId)
        .$if(dialect.rowLocks, (q) => q.forUpdate()),
    )
    // Creates the row if absent (a rival's insert waits for ours, then finds it), so the lock below has a row.
    this.#claim = prepare((p: { userId: string; clientId: string; now: number }) =>
      db
        .insertInto('consents')
        .values({ user_id: p.userId, client_id: p.clientId, scope: '', granted_at: p.now })
        .onConflict((oc) => oc.columns(['user_id', 'client_id']).doNothing()),
    )
    this.#widen = prepare((p: { userId: string; clientId: string; scope: string; now: number }) =>
      db
        .updateTable('consents')
        .set({ scope: p.scope, granted_at: p.now })
        .where('user_id', '=', p.userId)
        .where('client_id', '=', p.clientId),
    )
    this.#delete = prepare((p: { userId: string; clientId: string }) =>
      db.deleteFrom('consents').where('user_id', '=', p.userId).where('client_id', '=', p.clientId),
    )
  }

  async find(userId: string, clientId: string): Promise<{ scope: string; grantedAt: number } | undefined> {
    const row = await this.#find.first(this.#d.run, { userId, clientId })
    return row ? { scope: row.scope, grantedAt: Number(row.granted_at) } : undefined
  }

  grant(userId: string, clientId: string, scope: string, now: number): Promise<void> {
    return this.#d.transaction(async (trx) => {
      await this.#claim.run(trx, { userId, clientId, now })
      const row = await this.#lock.first(trx, { userId, clientId })
      await this.#widen.run(trx, { userId, clientId, scope: scopeUnion(row?.scope ?? '', scope), now })
    })
  }

  async revoke(userId: string, clientId: string): Promise<boolean> {
    return (await this.#delete.changed(this.#d.run, { userId, clientId })) === 1
  }
}
