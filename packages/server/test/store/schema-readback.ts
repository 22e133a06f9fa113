/**
 * @module Reads a live database's schema back — SQLite from sqlite_master and its pragmas, PostgreSQL
 * from information_schema, pg_indexes and pg_constraint — into one normalised shape, so a test can show
 * both dialects hold the same tables, columns, nullability, keys, indexes (partial ones with their
 * predicate), foreign keys and checks.
 */
import type Database from 'better-sqlite3'
import type pg from 'pg'

export interface ColumnShape {
  name: string
  /** `int` (INTEGER, BIGINT, BOOLEAN, serials) or `text` (TEXT, VARCHAR). */
  type: 'int' | 'text'
  nullable: boolean
  default: string | null
}

export interface TableShape {
  columns: ColumnShape[]
  primaryKey: string[]
  /** Each unique constraint's columns, joined by commas. */
  unique: string[]
  /** Created indexes (not those behind constraints): `name(cols) [unique] [where …]`. */
  indexes: string[]
  /** `column -> table.column on delete …`. */
  foreignKeys: string[]
  /** `column in (values)`. */
  checks: string[]
}

export type SchemaShape = Record<string, TableShape>

const sorted = <T>(items: T[]) => [...items].sort()

function normaliseType(type: string): 'int' | 'text' {
  const t = type.toLowerCase()
  if (/^(integer|bigint|boolean|bigserial|int)/.test(t)) return 'int'
  if (/^(text|varchar|character varying)/.test(t)) return 'text'
  throw new Error(`unexpected column type ${type}`)
}

function normaliseDefault(value: string | null): string | null {
  if (value === null) return null
  const v = value.toLowerCase().replace(/::\w+/g, '')
  if (v.startsWith('nextval(')) return null
  if (v === 'false') return '0'
  if (v === 'true') return '1'
  return v.replace(/^'(.*)'$/, '$1')
}

/** `(state = 'active'::text)` and `"state" = 'active'` both become `state='active'`. */
function normaliseExpression(sql: string): string {
  return sql
    .toLowerCase()
    .replace(/::\w+/g, '')
    .replace(/["()\s]/g, '')
}

/** A check on one column listing its allowed values, as `column in (a, b, c)`. */
function normaliseCheck(sql: string): string {
  const column = /([a-z_]+)\s*(=|in\b)/i.exec(sql.replace(/"/g, ''))?.[1] ?? '?'
  const values = sorted([...sql.matchAll(/'([^']*)'/g)].map((m) => m[1]!))
  return `${column} in (${values.join(', ')})`
}

export function sqliteSchema(db: Database.Database): SchemaShape {
  const shape: SchemaShape = {}
  const tables = db
    .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    .all() as { name: string; sql: string }[]
  for (const { name, sql } of tables) {
    const info = db.prepare(`PRAGMA table_info("${name}")`).all() as {
      name: string
      type: string
      notnull: number
      pk: number
      dflt_value: string | null
    }[]
    const indexList = db.prepare(`PRAGMA index_list("${name}")`).all() as {
      name: string
      unique: number
      origin: string
      partial: number
    }[]
    const indexColumns = (index: string) =>
      (db.prepare(`PRAGMA index_info("${index}")`).all() as { name: string }[]).map((c) => c.name).join(',')
    const indexes = indexList
      .filter((i) => i.origin === 'c')
      .map((i) => {
        const text = (
          db.prepare('SELECT sql FROM sqlite_master WHERE name = ?').get(i.name) as { sql: string }
        ).sql
        const where = /\bwhere\b(.*)$/is.exec(text)?.[1]
        return `${i.name}(${indexColumns(i.name)})${i.unique ? ' unique' : ''}${where ? ` where ${normaliseExpression(where)}` : ''}`
      })
    const fks = db.prepare(`PRAGMA foreign_key_list("${name}")`).all() as {
      table: string
      from: string
      to: string
      on_delete: string
    }[]
    const checks = [...sql.matchAll(/check\s*\(((?:[^()]|\([^()]*\))*)\)/gi)].map((m) =>
      normaliseCheck(m[1]!),
    )
    shape[name] = {
      columns: info.map((c) => ({
        name: c.name,
        type: normaliseType(c.type),
        nullable: c.notnull === 0 && c.pk === 0,
        default: normaliseDefault(c.dflt_value),
      })),
      primaryKey: info
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.name),
      unique: sorted(indexList.filter((i) => i.origin === 'u').map((i) => indexColumns(i.name))),
      indexes: sorted(indexes),
      foreignKeys: sorted(
        fks.map((f) => `${f.from} -> ${f.table}.${f.to} on delete ${f.on_delete.toLowerCase()}`),
      ),
      checks: sorted(checks),
    }
  }
  return shape
}

export async function postgresSchema(client: pg.Client, schema: string): Promise<SchemaShape> {
  const shape: SchemaShape = {}
  const q = async <R>(text: string, values: unknown[] = [schema]) =>
    (await client.query(text, values)).rows as R[]
  const tables = await q<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE'",
  )
  for (const { table_name: name } of tables) {
    const columns = await q<{
      column_name: string
      data_type: string
      is_nullable: string
      column_default: string | null
    }>(
      `SELECT column_name, data_type, is_nullable, column_default FROM information_schema.columns
       WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
      [schema, name],
    )
    const constraints = await q<{ contype: string; def: string; columns: string[]; conindid: number }>(
      `SELECT c.contype, pg_get_constraintdef(c.oid) AS def, c.conindid::int AS conindid,
         ARRAY(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(n, o)
               JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.o)::text[] AS columns
       FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace s ON s.oid = t.relnamespace
       WHERE s.nspname = $1 AND t.relname = $2`,
      [schema, name],
    )
    const indexes = await q<{ name: string; unique: boolean; columns: string[]; predicate: string | null }>(
      `SELECT i.relname AS name, x.indisunique AS unique, pg_get_expr(x.indpred, x.indrelid) AS predicate,
         ARRAY(SELECT a.attname FROM unnest(x.indkey) WITH ORDINALITY k(n, o)
               JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.n ORDER BY k.o)::text[] AS columns
       FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
       JOIN pg_namespace s ON s.oid = t.relnamespace
       WHERE s.nspname = $1 AND t.relname = $2
         AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)`,
      [schema, name],
    )
    const fk = constraints.filter((c) => c.contype === 'f')
    shape[name] = {
      columns: columns.map((c) => ({
        name: c.column_name,
        type: normaliseType(c.data_type),
        nullable: c.is_nullable === 'YES',
        default: normaliseDefault(c.column_default),
      })),
      primaryKey: constraints.find((c) => c.contype === 'p')?.columns ?? [],
      unique: sorted(constraints.filter((c) => c.contype === 'u').map((c) => c.columns.join(','))),
      indexes: sorted(
        indexes.map(
          (i) =>
            `${i.name}(${i.columns.join(',')})${i.unique ? ' unique' : ''}${i.predicate ? ` where ${normaliseExpression(i.predicate)}` : ''}`,
        ),
      ),
      foreignKeys: sorted(
        fk.map((c) => {
          const m =
            /FOREIGN KEY \((\w+)\) REFERENCES (?:\w+\.)?(\w+)\((\w+)\)(?: ON DELETE (\w+(?: \w+)?))?/.exec(
              c.def,
            )
          return `${m?.[1]} -> ${m?.[2]}.${m?.[3]} on delete ${(m?.[4] ?? 'no action').toLowerCase()}`
        }),
      ),
      checks: sorted(constraints.filter((c) => c.contype === 'c').map((c) => normaliseCheck(c.def))),
    }
  }
  return shape
}
