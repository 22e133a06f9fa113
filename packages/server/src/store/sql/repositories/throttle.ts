/** @module Brute-force counters in SQL (when no Redis is configured): one upsert per hit. */
import { sql } from 'kysely'
import type { ThrottleRecord, ThrottleRepository } from '../../types.js'
import type { SqlDialect } from '../dialect/dialect.js'
import { prepare } from '../prepared.js'
import { toThrottle } from '../rows.js'

export class SqlThrottle implements ThrottleRepository {
  readonly #d: SqlDialect
  readonly #hit
  readonly #get
  readonly #clear

  constructor(dialect: SqlDialect) {
    const db = dialect.db
    this.#d = dialect
    // One statement: insert, or restart a stale window, or count one more (atomic under concurrency).
    this.#hit = prepare((p: { key: string; now: number; windowMs: number }) => {
      const stale = sql<boolean>`${p.now} - throttle.first_at >= ${p.windowMs}`
      return db
        .insertInto('throttle')
        .values({ key: p.key, count: 1, first_at: p.now, last_at: p.now })
        .onConflict((oc) =>
          oc.column('key').doUpdateSet({
            count: sql<number>`CASE WHEN ${stale} THEN 1 ELSE throttle.count + 1 END`,
            first_at: sql<number>`CASE WHEN ${stale} THEN excluded.first_at ELSE throttle.first_at END`,
            last_at: sql<number>`excluded.last_at`,
          }),
        )
        .returningAll()
    })
    this.#get = prepare((p: { key: string }) =>
      db.selectFrom('throttle').selectAll().where('key', '=', p.key),
    )
    this.#clear = prepare((p: { key: string }) => db.deleteFrom('throttle').where('key', '=', p.key))
  }

  async hit(key: string, now: number, windowMs: number): Promise<ThrottleRecord> {
    const row = await this.#hit.first(this.#d.run, { key, now, windowMs })
    return toThrottle(row!)
  }

  async get(key: string): Promise<ThrottleRecord | undefined> {
    const row = await this.#get.first(this.#d.run, { key })
    return row ? toThrottle(row) : undefined
  }

  async clear(key: string): Promise<void> {
    await this.#clear.run(this.#d.run, { key })
  }
}
