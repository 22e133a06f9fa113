/** @module Which clients each provider session signed in to, in SQL: what back-channel logout notifies. */
import type { SessionClientRepository } from '../../types.js'
import type { SqlDialect } from '../dialect/dialect.js'
import { prepare } from '../prepared.js'

export class SqlSessionClients implements SessionClientRepository {
  readonly #d: SqlDialect
  readonly #add
  readonly #list
  readonly #listForUser
  readonly #remove

  constructor(dialect: SqlDialect) {
    const db = dialect.db
    this.#d = dialect
    this.#add = prepare((p: { sid: string; clientId: string; userId: string; now: number }) =>
      db
        .insertInto('session_clients')
        .values({ sid: p.sid, client_id: p.clientId, user_id: p.userId, created_at: p.now })
        .onConflict((oc) => oc.columns(['sid', 'client_id']).doNothing()),
    )
    this.#list = prepare((p: { sid: string }) =>
      db
        .selectFrom('session_clients')
        .select(['client_id', 'user_id'])
        .where('sid', '=', p.sid)
        .orderBy('created_at')
        .orderBy('client_id'),
    )
    // Rare (logout everywhere, disable): a scan of the user's rows, no index of its own.
    this.#listForUser = prepare((p: { userId: string }) =>
      db
        .selectFrom('session_clients')
        .select(['sid', 'client_id'])
        .where('user_id', '=', p.userId)
        .orderBy('sid')
        .orderBy('client_id'),
    )
    this.#remove = prepare((p: { sid: string }) => db.deleteFrom('session_clients').where('sid', '=', p.sid))
  }

  async add(sid: string, clientId: string, userId: string, now: number): Promise<void> {
    await this.#add.run(this.#d.run, { sid, clientId, userId, now })
  }

  async listForSession(sid: string): Promise<{ clientId: string; userId: string }[]> {
    const rows = await this.#list.rows(this.#d.run, { sid })
    return rows.map((r) => ({ clientId: r.client_id, userId: r.user_id }))
  }

  async listForUser(userId: string): Promise<{ sid: string; clientId: string }[]> {
    const rows = await this.#listForUser.rows(this.#d.run, { userId })
    return rows.map((r) => ({ sid: r.sid, clientId: r.client_id }))
  }

  async removeSession(sid: string): Promise<void> {
    await this.#remove.run(this.#d.run, { sid })
  }
}
