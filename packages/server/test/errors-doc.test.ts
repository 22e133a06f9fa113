/**
 * @module docs/server.md's error table and src/errors.ts list the same codes, with the same statuses and
 * OAuth errors (both ways), and every error maps to its documented HTTP answer.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import * as api from '../src/index.js'

const doc = readFileSync(new URL('../../../docs/server.md', import.meta.url), 'utf8')
const rows = new Map(
  [...doc.matchAll(/^\| `(ERR_[A-Z_]+)` +\|([^|]+)\|([^|]+)\|/gm)].map((m) => [
    m[1]!,
    { status: m[2]!.trim(), error: m[3]!.trim() },
  ]),
)

const source = readFileSync(new URL('../src/errors.ts', import.meta.url), 'utf8')
const codes = [...source.matchAll(/readonly code = '(ERR_[A-Z_]+)'/g)].map((m) => m[1]!)

test('every error code in errors.ts is documented, and every documented code exists', () => {
  assert.deepEqual(new Set(rows.keys()), new Set(codes))
})

test('each exposed error maps to the status and OAuth error the table gives', () => {
  type Ctor = new (...args: unknown[]) => api.ServerError
  const classes = (Object.values(api) as unknown[]).filter(
    (value) =>
      typeof value === 'function' && (value as { prototype?: unknown }).prototype instanceof api.ServerError,
  ) as Ctor[]
  let checked = 0
  for (const Class of classes) {
    // Constructors take (message), (setting, message), (seconds, scope), (scopes) or nothing.
    const made = Class === (api.ScopeInsufficient as unknown) ? new Class(['admin']) : new Class('x', 'y')
    const row = rows.get(made.code)
    if (!row || row.status === '—') continue
    const http = api.toHttpError(made)
    assert.equal(String(http.status), row.status, made.code)
    assert.equal(`\`${http.body.error}\``, row.error, made.code)
    checked++
  }
  assert.ok(checked >= 15, `checked ${checked}`)
})
