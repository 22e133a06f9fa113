/**
 * @module The PostgreSQL dialect (pg): a bounded pool on the URL's schema (search_path), row locks
 * (`FOR UPDATE`) under READ COMMITTED with a retry on 40001/40P01, advisory locks for migrations and for
 * `exclusive`, key notices with NOTIFY/LISTEN, and a database that is down reported as StoreUnavailable
 * (503) until the pool reconnects by itself.
 *
 * Why row locks under READ COMMITTED and not SERIALIZABLE: every change to a family first takes that
 * family's row `FOR UPDATE`, so rival instances queue on one row, and each later statement reads a
 * snapshot taken after the lock was granted: the loser sees the winner's commit. SERIALIZABLE was tried
 * first and measured: its page-level predicate locks aborted rotations of *unrelated* families.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, sql } from 'kysely'
import pg from 'pg'
import { parsePostgresUrl } from '../../postgres/connection-url.js'
import { isRetryable, mapPgError } from '../../postgres/pg-errors.js'
import { driverExecutor, inTransaction } from '../executor.js'
import { type Executor, prepare } from '../prepared.js'
import type { Database } from '../schema.js'
import type { SqlDialect } from './dialect.js'
import { PgDriver } from './postgres-driver.js'
import { KEYS_CHANNEL, KeyNotices } from './postgres-notices.js'

export interface PostgresOptions {
  /** Milliseconds to wait for a connection before answering 503 (default 3000). */
  connectTimeoutMs?: number
  /** Server-side limit on one statement (default 5000). */
  statementTimeoutMs?: number
}

/** Attempts of one transaction before giving up (each waits a little longer, with jitter). */
const MAX_ATTEMPTS = 12

export interface PostgresDialect extends SqlDialect {
  readonly schema: string
}

export function postgresDialect(url: string, options: PostgresOptions = {}): PostgresDialect {
  const parsed = parsePostgresUrl(url)
  const schema = parsed.schema
  const statementTimeoutMs = options.statementTimeoutMs ?? 5000
  const pool = new pg.Pool({
    connectionString: parsed.connectionString,
    max: parsed.poolMax,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 3000,
    idleTimeoutMillis: 30_000,
    // A blackholed network must not hang requests: the client gives up a little after the server would.
    query_timeout: statementTimeoutMs + 2000,
    options: `-c search_path=${schema} -c statement_timeout=${statementTimeoutMs}`,
    application_name: 'tessera',
  })
  // An idle connection dropped by a restarting server must not crash the process: the pool discards
  // it and the next query opens a fresh one; likewise for a checked-out one between two statements.
  pool.on('error', () => {})
  pool.on('connect', (client) => client.on('error', () => {}))

  const driver = new PgDriver(pool)
  const db = new Kysely<Database>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => driver,
      createIntrospector: (k) => new PostgresIntrospector(k),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  })
  const notices = new KeyNotices(parsed.connectionString, schema)
  // Delivered at COMMIT to every instance LISTENing (see postgres-notices.ts).
  const notify = sql`SELECT pg_notify(${KEYS_CHANNEL}, ${schema})`.compile(db)
  const lock = prepare((p: { key: string }) => ({
    compile: () => sql`SELECT pg_advisory_xact_lock(hashtext(${p.key}))`.compile(db),
  }))

  /** A pool connection of its own, for session-level advisory locks. */
  async function withClient<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    let client: pg.PoolClient
    try {
      client = await pool.connect()
    } catch (error) {
      throw mapPgError(error)
    }
    let broken: Error | undefined
    try {
      return await work(client)
    } catch (error) {
      broken = error as Error
      throw mapPgError(error)
    } finally {
      client.release(broken)
    }
  }

  return {
    kind: 'postgres',
    schema,
    db,
    columns: {
      millis: 'bigint',
      flag: 'boolean',
      flagFalse: false,
      serialId: { type: 'bigserial', build: (col) => col.primaryKey() },
    },
    rowLocks: true,
    async serialize(trx, name) {
      await lock.run(trx, { key: `tessera:${schema}:${name}` })
    },
    writableCte: true,
    run: driverExecutor(driver),
    async transaction<T>(work: (trx: Executor) => Promise<T>): Promise<T> {
      for (let attempt = 1; ; attempt++) {
        try {
          return await inTransaction(driver, work)
        } catch (error) {
          if (!isRetryable(error) || attempt >= MAX_ATTEMPTS) throw error
          await sleep(Math.random() * 2 ** Math.min(attempt, 6))
        }
      }
    },
    isUniqueViolation: (error) => (error as { code?: string }).code === '23505',
    withMigrationLock: (run) =>
      withClient(async (client) => {
        // Session-level, held on this connection while the migrator works on others; the server
        // releases it if this process dies.
        const key = `tessera:migrate:${schema}`
        await client.query('SELECT pg_advisory_lock(hashtext($1))', [key])
        try {
          await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`)
          await run()
        } finally {
          await client.query('SELECT pg_advisory_unlock(hashtext($1))', [key])
        }
      }),
    async signingKeysChanged(trx) {
      await trx.executeQuery(notify)
    },
    watchSigningKeys: (listener) => notices.watch(listener),
    exclusive: <T>(name: string, work: () => Promise<T>) =>
      withClient(async (client): Promise<T | undefined> => {
        const key = `tessera:${schema}:${name}`
        // Session-level and non-blocking: released below, or by the server if this process dies.
        const got = await client.query('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [key])
        if (got.rows[0]?.ok !== true) return undefined
        try {
          return await work()
        } finally {
          await client.query('SELECT pg_advisory_unlock(hashtext($1))', [key])
        }
      }),
    async close() {
      await notices.close()
      await db.destroy()
    },
  }
}
