/**
 * @module docs/errors.md lists exactly the error codes packages/jose/src/errors.ts exports, both ways, with the
 * right class name; and the `JOSEErrorCode` union in errors.ts names the same codes.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import * as errors from '../src/errors.ts'

const DOC = new URL('../../../docs/errors.md', import.meta.url)
const SOURCE = new URL('../src/errors.ts', import.meta.url)

/** code → class name, from the classes errors.ts exports (each carries a static `code`). */
function exportedCodes(): Map<string, string> {
  const codes = new Map<string, string>()
  for (const [name, value] of Object.entries(errors)) {
    if (
      typeof value !== 'function' ||
      !(value === errors.JOSEError || value.prototype instanceof errors.JOSEError)
    )
      continue
    const code = (value as unknown as { code: string }).code
    assert.ok(!codes.has(code), `${code} is used by both ${codes.get(code)} and ${name}`)
    codes.set(code, name)
    // The instance code must equal the static one (a subclass that forgot to override would inherit its parent's).
    const instance = Reflect.construct(value, ['m', {}, 'claim']) as errors.JOSEError
    assert.equal(instance.code, code, `${name}: instance code differs from the static code`)
    assert.equal(instance.name, name)
  }
  return codes
}

interface Row {
  code: string
  className: string
  meaning: string
  fix: string
  added: string
}

/** The rows of the one table in docs/errors.md whose header starts with "| Code |". */
function documentedRows(): Row[] {
  const lines = readFileSync(DOC, 'utf8').split('\n')
  const start = lines.findIndex((line) => /^\|\s*Code\s*\|/.test(line))
  assert.ok(start !== -1, 'docs/errors.md has a table whose first column is "Code"')
  const rows: Row[] = []
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break
    const cells = line
      .slice(1, line.trimEnd().endsWith('|') ? line.trimEnd().length - 1 : undefined)
      .split(' | ')
      .map((cell) => cell.trim())
    assert.equal(cells.length, 5, `a row of docs/errors.md has five cells: ${line.slice(0, 80)}`)
    const [code, className, meaning, fix, added] = cells.map((cell) => cell.replace(/^`|`$/g, '')) as [
      string,
      string,
      string,
      string,
      string,
    ]
    rows.push({ code, className, meaning, fix, added })
  }
  return rows
}

test('docs/errors.md documents every exported error code, with its class', () => {
  const documented = new Map(documentedRows().map((row) => [row.code, row.className]))
  for (const [code, className] of exportedCodes()) {
    assert.ok(documented.has(code), `${code} (${className}) is missing from docs/errors.md`)
    assert.equal(documented.get(code), className, `docs/errors.md gives ${code} the wrong class`)
  }
})

test('docs/errors.md lists no code that errors.ts does not export (and none twice)', () => {
  const exported = exportedCodes()
  const seen = new Set<string>()
  for (const row of documentedRows()) {
    assert.ok(!seen.has(row.code), `${row.code} appears twice in docs/errors.md`)
    seen.add(row.code)
    assert.ok(exported.has(row.code), `docs/errors.md lists ${row.code}, which errors.ts does not export`)
  }
})

test('every row of docs/errors.md has a meaning, a fix and a version', () => {
  for (const row of documentedRows()) {
    assert.match(row.code, /^ERR_[A-Z0-9_]+$/)
    assert.ok(row.meaning.length > 10, `${row.code}: meaning is empty`)
    assert.ok(row.fix.length > 10, `${row.code}: "what to do" is empty`)
    assert.match(row.added, /^\d+\.\d+\.\d+$/, `${row.code}: "Added" must be a version`)
  }
})

test('the JOSEErrorCode union in errors.ts names exactly the exported codes', () => {
  const source = readFileSync(SOURCE, 'utf8')
  const union = source.slice(source.indexOf('export type JOSEErrorCode'))
  const inUnion = new Set([...union.matchAll(/'(ERR_[A-Z0-9_]+)'/g)].map((match) => match[1]!))
  assert.deepEqual([...inUnion].sort(), [...exportedCodes().keys()].sort())
})
