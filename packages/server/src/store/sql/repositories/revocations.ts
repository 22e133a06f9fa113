/**
 * @module What every instance's revocation set is rebuilt from: the refresh families revoked since a
 * moment, and the users disabled since then (their `updated_at` is when). Two indexed-range reads, run
 * at start, on each reconnect of the revocation channel, and every few seconds as a reconcile.
 */
import { sql } from 'kysely'
import type { RevocationRepository, RevocationSnapshot } from '../../types.js'
import type { SqlDialect } from '../dialect/dialect.js'
import { prepare } from '../prepared.js'

export class SqlRevocations implements RevocationRepository {
  readonly #d: SqlDialect
  readonly #families
  readonly #users
  readonly #ping

  constructor(dialect: SqlDialect) {
    const db = dialect.db
    this.#d = dialect
    this.#ping = sql`SELECT 1`.compile(db)
    this.#families = prepare((p: { since: number }) =>
      db
        .selectFrom('refresh_families')
        .select(['id', 'user_id', 'revoked_at'])
        .where('revoked_at', 'is not', null)
        .where('revoked_at', '>=', p.since),
    )
    // A flag column is 0/1 on SQLite and BOOLEAN on PostgreSQL, which reads the text '1' as true.
    this.#users = prepare((p: { since: number; yes: number }) =>
      db
        .selectFrom('users')
        .select(['id', 'updated_at'])
        .where('disabled', '=', p.yes as never)
        .where('updated_at', '>=', p.since),
    )
  }

  async since(since: number): Promise<RevocationSnapshot> {
    const [families, users] = await Promise.all([
      this.#families.rows(this.#d.run, { since }),
      this.#users.rows(this.#d.run, { since, yes: 1 }),
    ])
    return {
      families: families.map((row) => ({
        id: row.id,
        userId: row.user_id,
        revokedAt: Number(row.revoked_at),
      })),
      disabledUsers: users.map((row) => ({ id: row.id, disabledAt: Number(row.updated_at) })),
    }
  }

  /** The cheapest statement that proves the database answers (`/readyz`). */
  async ping(): Promise<void> {
    await this.#d.run.executeQuery(this.#ping)
  }
}
