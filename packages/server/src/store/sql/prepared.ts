/**
 * @module Queries built and compiled once, run many times: a query is written with Kysely's builder
 * against named placeholders, compiled at start, and each call only swaps the parameter values in.
 *
 * Building and compiling a Kysely query costs a few microseconds of allocation each time; the refresh
 * path runs the same handful of statements on every request, so they are compiled when the store opens.
 * The SQLite driver then also reuses one prepared better-sqlite3 statement per SQL text.
 */
import type { Compilable, CompiledQuery, QueryResult } from 'kysely'

const MARK = '\u0000tessera-param:'

/** Anything that runs a compiled query: the Kysely instance or an open transaction. */
export interface Executor {
  executeQuery<R>(query: CompiledQuery<R>): Promise<QueryResult<R>>
}

export interface Prepared<P, O> {
  readonly sql: string
  run(on: Executor, params: P): Promise<QueryResult<O>>
  rows(on: Executor, params: P): Promise<O[]>
  first(on: Executor, params: P): Promise<O | undefined>
  /** Rows changed by an INSERT/UPDATE/DELETE. */
  changed(on: Executor, params: P): Promise<number>
}

/**
 * Compiles `build(p)` once, where each `p.name` read is a placeholder (so name every column: a
 * builder that enumerates `p`, such as `values(p)`, sees no keys); `run(on, { name: value })`
 * executes it with the values in place.
 */
export function prepare<P extends object, O>(build: (p: P) => Compilable<O>): Prepared<P, O> {
  const placeholders = new Proxy({}, { get: (_, name) => `${MARK}${String(name)}` }) as P
  const compiled = build(placeholders).compile()
  const slots = compiled.parameters.map((value) =>
    typeof value === 'string' && value.startsWith(MARK) ? value.slice(MARK.length) : undefined,
  )
  const bind = (params: P): CompiledQuery<O> => ({
    ...compiled,
    parameters: slots.map((name, i) =>
      name === undefined ? compiled.parameters[i] : (params as Record<string, unknown>)[name],
    ),
  })
  return {
    sql: compiled.sql,
    run: (on, params) => on.executeQuery(bind(params)),
    rows: async (on, params) => (await on.executeQuery(bind(params))).rows,
    first: async (on, params) => (await on.executeQuery(bind(params))).rows[0],
    changed: async (on, params) => Number((await on.executeQuery(bind(params))).numAffectedRows ?? 0),
  }
}
