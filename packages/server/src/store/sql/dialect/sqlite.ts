/**
 * @module The SQLite dialect (better-sqlite3): WAL journal and a busy timeout so processes sharing a
 * file wait for each other instead of failing, every write transaction `BEGIN IMMEDIATE` (it takes the
 * file's write lock up front, so two rotations cannot both read "active"), one prepared statement per
 * SQL text, and lock or I/O failures reported as StoreUnavailable (503).
 *
 * better-sqlite3 is synchronous and a write holds the lock for microseconds, so the async driver simply
 * wraps it; one connection serves the store, handed to one caller at a time. A lock held by another
 * connection is waited for asynchronously (SQLite's own busy handler would block the event loop, and
 * with it a holder in the same process that needs the loop to reach its COMMIT).
 */
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import Database from 'better-sqlite3'
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  type QueryResult,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely'
import { StoreUnavailable } from '../../../errors.js'
import { driverExecutor, inTransaction } from '../executor.js'
import type { Database as Schema } from '../schema.js'
import type { SqlDialect } from './dialect.js'

export interface SqliteOptions {
  /** Milliseconds a writer waits for another process's lock before giving up (503). */
  busyTimeoutMs?: number
}

const UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|IOERR|CANTOPEN|READONLY|FULL|CORRUPT|NOTADB)/

function mapSqliteError(error: unknown): unknown {
  const code = (error as { code?: string }).code ?? ''
  return UNAVAILABLE.test(code)
    ? new StoreUnavailable(`the SQLite database is unavailable (${code}); retry shortly`, { cause: error })
    : error
}

const isBusy = (error: unknown) => /^SQLITE_BUSY/.test((error as { code?: string }).code ?? '')

/** One better-sqlite3 handle, its statements prepared once per SQL text. */
class SqliteConnection implements DatabaseConnection {
  readonly #db: Database.Database
  readonly #busyTimeoutMs: number
  readonly #statements = new Map<string, Database.Statement>()

  constructor(db: Database.Database, busyTimeoutMs: number) {
    this.#db = db
    this.#busyTimeoutMs = busyTimeoutMs
  }

  /** Runs a step; while another connection holds the lock, tries again a little later, up to the timeout. */
  async #patiently<T>(step: () => T): Promise<T> {
    const deadline = Date.now() + this.#busyTimeoutMs
    for (let wait = 1; ; wait = Math.min(wait * 2, 50)) {
      try {
        return step()
      } catch (error) {
        if (!isBusy(error) || Date.now() + wait > deadline) throw mapSqliteError(error)
      }
      await sleep(wait)
    }
  }

  #statement(sql: string): Database.Statement {
    let statement = this.#statements.get(sql)
    if (!statement) {
      statement = this.#db.prepare(sql)
      this.#statements.set(sql, statement)
    }
    return statement
  }

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return this.#patiently((): QueryResult<R> => {
      const statement = this.#statement(query.sql)
      const parameters = query.parameters as unknown[]
      if (statement.reader) return { rows: statement.all(...parameters) as R[] }
      return { rows: [], numAffectedRows: BigInt(statement.run(...parameters).changes) }
    })
  }

  // biome-ignore lint/correctness/useYield: the store never streams
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('the SQLite store does not stream queries')
  }

  /** A statement without parameters or rows (BEGIN, COMMIT, ROLLBACK), prepared once too. */
  exec(sql: string): Promise<void> {
    return this.#patiently(() => {
      this.#statement(sql).run()
    })
  }
}

/** Hands the one connection to one caller at a time (a transaction keeps it until it ends). */
class SqliteDriver implements Driver {
  readonly #connection: SqliteConnection
  readonly #db: Database.Database
  #queue: Promise<void> = Promise.resolve()
  #release: (() => void) | undefined

  constructor(db: Database.Database, busyTimeoutMs: number) {
    this.#db = db
    this.#connection = new SqliteConnection(db, busyTimeoutMs)
  }

  get connection(): SqliteConnection {
    return this.#connection
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    const previous = this.#queue
    let release!: () => void
    this.#queue = new Promise((resolve) => {
      release = resolve
    })
    await previous
    this.#release = release
    return this.#connection
  }

  beginTransaction(): Promise<void> {
    return this.#connection.exec('BEGIN IMMEDIATE')
  }

  commitTransaction(): Promise<void> {
    return this.#connection.exec('COMMIT')
  }

  async rollbackTransaction(): Promise<void> {
    if (this.#db.inTransaction) await this.#connection.exec('ROLLBACK')
  }

  async releaseConnection(): Promise<void> {
    const release = this.#release
    this.#release = undefined
    release?.()
  }

  async destroy(): Promise<void> {
    if (this.#db.open) this.#db.close()
  }
}

function openFile(path: string, options: SqliteOptions): Database.Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
  let db: Database.Database | undefined
  try {
    db = new Database(path, { timeout: options.busyTimeoutMs ?? 5000 })
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = NORMAL')
    db.pragma('foreign_keys = ON')
    // From here on no blocking busy handler: SqliteConnection waits for locks without holding the
    // event loop (opening is synchronous, so nothing in this process can be waiting on it).
    db.pragma('busy_timeout = 0')
    return db
  } catch (error) {
    db?.close()
    const code = (error as { code?: string }).code ?? 'unknown error'
    throw new StoreUnavailable(
      `cannot open the SQLite database at ${path} (${code}): check the path and that it is a Tessera database`,
      { cause: error },
    )
  }
}

export function sqliteDialect(path: string, options: SqliteOptions = {}): SqlDialect {
  const raw = openFile(path, options)
  const driver = new SqliteDriver(raw, options.busyTimeoutMs ?? 5000)
  const db = new Kysely<Schema>({
    dialect: {
      createAdapter: () => new SqliteAdapter(),
      createDriver: () => driver,
      createIntrospector: (k) => new SqliteIntrospector(k),
      createQueryCompiler: () => new SqliteQueryCompiler(),
    },
  })
  return {
    kind: 'sqlite',
    db,
    columns: {
      millis: 'integer',
      flag: 'integer',
      flagFalse: 0,
      serialId: { type: 'integer', build: (col) => col.primaryKey().autoIncrement() },
    },
    rowLocks: false,
    async serialize() {},
    writableCte: false,
    run: driverExecutor(driver),
    transaction: (work) => inTransaction(driver, work),
    isUniqueViolation: (error) =>
      /^SQLITE_CONSTRAINT_(UNIQUE|PRIMARYKEY)$/.test((error as { code?: string }).code ?? ''),
    async withMigrationLock(run) {
      // Kysely runs SQLite migrations outside a transaction; one IMMEDIATE transaction around the whole
      // run makes a second process starting on the same file wait, then find every migration applied.
      // Nothing else uses the connection while the store opens.
      await driver.connection.exec('BEGIN IMMEDIATE')
      try {
        await run()
        await driver.connection.exec('COMMIT')
      } catch (error) {
        if (raw.inTransaction) await driver.connection.exec('ROLLBACK')
        throw error
      }
    },
    async signingKeysChanged() {},
    close: () => db.destroy(),
  }
}
