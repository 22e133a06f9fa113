/**
 * @module Single-use ids in SQL: the first use inserts the id; a later use conflicts and changes
 * nothing while the id is unexpired. One upsert statement, so it holds across instances.
 */
import type { ReplayRepository } from '../../types.js'
import type { SqlDialect } from '../dialect/dialect.js'
import { prepare } from '../prepared.js'

export class SqlReplay implements ReplayRepository {
  readonly #d: SqlDialect
  readonly #use

  constructor(dialect: SqlDialect) {
    const db = dialect.db
    this.#d = dialect
    // An expired row (not yet purged) counts as unused: the id may be taken again.
    this.#use = prepare((p: { id: string; expiresAt: number; now: number }) =>
      db
        .insertInto('replay_ids')
        .values({ id: p.id, expires_at: p.expiresAt })
        .onConflict((oc) =>
          oc
            .column('id')
            .doUpdateSet({ expires_at: p.expiresAt })
            .where('replay_ids.expires_at', '<=', p.now),
        ),
    )
  }

  async firstUse(id: string, expiresAt: number, now: number): Promise<boolean> {
    return (await this.#use.changed(this.#d.run, { id, expiresAt, now })) === 1
  }
}
