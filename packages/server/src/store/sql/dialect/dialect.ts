/**
 * @module What the one SQL store needs from a dialect: the Kysely instance, the column types its
 * migrations use, how a write transaction is run and locked, and the few shared-database features
 * (notices, exclusive locks) only PostgreSQL has. Everything else is the same SQL for both.
 */
import type { ColumnDefinitionBuilder, Kysely } from 'kysely'
import type { Executor } from '../prepared.js'
import type { Database } from '../schema.js'

/** The SQL types that differ between the dialects, as the migrations spell them. */
export interface MigrationColumns {
  /** Milliseconds since the epoch (BIGINT / INTEGER). */
  millis: 'bigint' | 'integer'
  /** A true/false flag (BOOLEAN / INTEGER 0-1). */
  flag: 'boolean' | 'integer'
  /** The literal a flag column defaults to when false. */
  flagFalse: boolean | number
  /** The audit table's generated key (BIGSERIAL / INTEGER AUTOINCREMENT). */
  serialId: {
    type: 'bigserial' | 'integer'
    build: (column: ColumnDefinitionBuilder) => ColumnDefinitionBuilder
  }
}

export interface SqlDialect {
  readonly kind: 'sqlite' | 'postgres'
  /** PostgreSQL: the schema the tables live in (the URL's `schema=`, also the search_path). */
  readonly schema?: string
  /** Builds and compiles queries, and runs the migrations. */
  readonly db: Kysely<Database>
  /** Runs one precompiled statement on its own (autocommit). */
  readonly run: Executor
  readonly columns: MigrationColumns
  /**
   * PostgreSQL: a transaction locks what it is about to change (`SELECT … FOR UPDATE`). SQLite:
   * `BEGIN IMMEDIATE` already holds the one write lock, and SQLite has no row locks.
   */
  readonly rowLocks: boolean
  /** PostgreSQL: data-modifying CTEs, so a compare-and-set and an insert go in one statement. */
  readonly writableCte: boolean
  /** Runs `work` as one write transaction (retried from the top where the dialect can ask for it). */
  transaction<T>(work: (trx: Executor) => Promise<T>): Promise<T>
  /**
   * Inside a transaction: waits until no other instance's transaction holds the lock `name`, and holds
   * it until this one ends (PostgreSQL transaction-scoped advisory lock; SQLite's IMMEDIATE transaction
   * is already the only writer).
   */
  serialize(trx: Executor, name: string): Promise<void>
  /** The error is a unique-constraint violation. */
  isUniqueViolation(error: unknown): boolean
  /** Runs the migrations while no other instance can (or simply runs them, where one lock suffices). */
  withMigrationLock(run: () => Promise<void>): Promise<void>
  /** Inside a transaction that changed signing keys: tell the other instances at commit. */
  signingKeysChanged(trx: Executor): Promise<void>
  watchSigningKeys?(listener: () => void): () => void
  exclusive?<T>(name: string, work: () => Promise<T>): Promise<T | undefined>
  close(): Promise<void>
}
