/**
 * @module Runs the store's precompiled queries straight on a dialect's Kysely driver: one statement on a
 * connection of its own, or a transaction (begin, work, commit — rollback on any failure) on one.
 *
 * Kysely builds, compiles and migrates; on the request path its per-query executor (plugin transforms,
 * a connection provider, a transaction object per call) would only add allocations around queries that
 * were compiled at start, so the repositories hand those to the driver directly.
 */
import type { CompiledQuery, DatabaseConnection, Driver, QueryResult } from 'kysely'
import type { Executor } from './prepared.js'

/** An executor for single statements, each on a connection taken from the driver and given back. */
export function driverExecutor(driver: Driver): Executor {
  return {
    async executeQuery<R>(query: CompiledQuery<R>): Promise<QueryResult<R>> {
      const connection = await driver.acquireConnection()
      try {
        return await connection.executeQuery<R>(query)
      } finally {
        await driver.releaseConnection(connection)
      }
    },
  }
}

/** Runs `work` in one transaction on one connection of `driver`. */
export async function inTransaction<T>(driver: Driver, work: (trx: Executor) => Promise<T>): Promise<T> {
  const connection: DatabaseConnection = await driver.acquireConnection()
  try {
    await driver.beginTransaction(connection, {})
    let result: T
    try {
      result = await work(connection)
    } catch (error) {
      await driver.rollbackTransaction(connection)
      throw error
    }
    await driver.commitTransaction(connection)
    return result
  } finally {
    await driver.releaseConnection(connection)
  }
}
