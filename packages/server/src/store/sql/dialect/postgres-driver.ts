/**
 * @module Kysely's connection to a pg pool, Tessera's way: every statement with parameters runs as a
 * named prepared statement (parsed and planned once per connection, not on every refresh), outages
 * become StoreUnavailable, and a connection that broke mid-transaction is destroyed, never pooled.
 */
import { createHash } from 'node:crypto'
import type { CompiledQuery, DatabaseConnection, Driver, QueryResult } from 'kysely'
import type pg from 'pg'
import { isUnavailable, mapPgError } from '../../postgres/pg-errors.js'

class PgConnection implements DatabaseConnection {
  readonly client: pg.PoolClient
  broken: Error | undefined
  readonly #names: Map<string, string>

  constructor(client: pg.PoolClient, names: Map<string, string>) {
    this.client = client
    this.#names = names
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const values = query.parameters as unknown[]
    try {
      const result = await this.client.query(
        values.length > 0 ? { name: this.#name(query.sql), text: query.sql, values } : query.sql,
      )
      const changes =
        result.command === 'INSERT' || result.command === 'UPDATE' || result.command === 'DELETE'
          ? BigInt(result.rowCount ?? 0)
          : undefined
      return {
        rows: (result.rows ?? []) as R[],
        ...(changes === undefined ? {} : { numAffectedRows: changes }),
      }
    } catch (error) {
      if (isUnavailable(error)) this.broken = error as Error
      throw mapPgError(error)
    }
  }

  /** A short stable name per SQL text (pg keeps the prepared statement per connection by name). */
  #name(sql: string): string {
    let name = this.#names.get(sql)
    if (!name) {
      name = `t${createHash('sha256').update(sql).digest('hex').slice(0, 20)}`
      this.#names.set(sql, name)
    }
    return name
  }

  // biome-ignore lint/correctness/useYield: the store never streams
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('the PostgreSQL store does not stream queries')
  }
}

export class PgDriver implements Driver {
  readonly #pool: pg.Pool
  readonly #names = new Map<string, string>()

  constructor(pool: pg.Pool) {
    this.#pool = pool
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    try {
      return new PgConnection(await this.#pool.connect(), this.#names)
    } catch (error) {
      throw mapPgError(error)
    }
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as PgConnection).executeQuery({
      sql: 'BEGIN ISOLATION LEVEL READ COMMITTED',
      parameters: [],
    } as unknown as CompiledQuery)
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as PgConnection).executeQuery({
      sql: 'COMMIT',
      parameters: [],
    } as unknown as CompiledQuery)
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const c = connection as PgConnection
    if (c.broken) return
    try {
      await c.client.query('ROLLBACK')
    } catch (error) {
      // The transaction's own error is what the caller must see; this connection is not reused.
      c.broken = error as Error
    }
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const c = connection as PgConnection
    c.client.release(c.broken)
  }

  async destroy(): Promise<void> {
    await this.#pool.end()
  }
}
