/**
 * @module The server's error registry, its classes and docs/server.md's error table agree both ways:
 * every class in src/errors.ts is in SERVER_ERRORS, every code is documented and every documented code
 * exists, and each maps to the documented HTTP status and OAuth error.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import * as api from '../src/index.js'
import { AuthorizeError } from '../src/oidc/authorize/authorize-error.js'

const doc = readFileSync(new URL('../../../docs/server.md', import.meta.url), 'utf8')
const rows = new Map(
  [...doc.matchAll(/^\| `(ERR_[A-Z_]+)` +\|([^|]+)\|([^|]+)\|([^|]+)\|/gm)].map((m) => [
    m[1]!,
    { status: m[2]!.trim(), error: m[3]!.trim(), meaning: m[4]!.trim() },
  ]),
)

const source = readFileSync(new URL('../src/errors.ts', import.meta.url), 'utf8')
const declared = [...source.matchAll(/^export class (\w+) extends ServerError/gm)].map((m) => m[1]!)

type Ctor = new (...args: unknown[]) => api.ServerError
const registry = api.SERVER_ERRORS as unknown as readonly Ctor[]

/** One instance of each class (constructors take a message, a setting and a message, or scopes). */
const instanceOf = (Class: Ctor) =>
  Class === (api.ScopeInsufficient as unknown) ? new Class(['admin']) : new Class('x', 'y')

test('every error class in errors.ts is in SERVER_ERRORS, and the registry holds nothing else', () => {
  assert.deepEqual(registry.map((Class) => Class.name).sort(), [...declared].sort())
  assert.ok(declared.length >= 26, `found ${declared.length} classes`)
})

test('every code the server can answer is documented, and every documented code exists', () => {
  const codes = [
    ...registry.map((Class) => instanceOf(Class).code),
    ...Object.keys(api.AUTHORIZE_ERRORS),
    'ERR_SERVER',
  ]
  assert.equal(new Set(codes).size, codes.length, 'a code is used twice')
  assert.deepEqual([...rows.keys()].sort(), [...codes].sort())
  for (const [code, row] of rows) assert.ok(row.meaning.length > 10, `${code}: no meaning given`)
})

test('each error maps to the status and OAuth error the table gives; start-up errors never reach a client', () => {
  for (const Class of registry) {
    const made = instanceOf(Class)
    const row = rows.get(made.code)!
    const http = api.toHttpError(made)
    if (row.status === '—') {
      // Thrown at start only: should one ever reach a request, it is a generic 500.
      assert.equal(http.status, 500, made.code)
      assert.equal(http.body.code, 'ERR_SERVER', made.code)
      continue
    }
    assert.equal(String(http.status), row.status, made.code)
    assert.equal(`\`${http.body.error}\``, row.error, made.code)
    assert.equal(http.body.code, made.code)
  }
  const unexpected = api.toHttpError(new Error('internal detail'))
  assert.equal(String(unexpected.status), rows.get('ERR_SERVER')!.status)
  assert.equal(`\`${unexpected.body.error}\``, rows.get('ERR_SERVER')!.error)
  assert.doesNotMatch(unexpected.body.error_description, /internal detail/)
})

test('each /authorize refusal has the status (400 on a page, 302 redirected) and OAuth error the table gives', () => {
  const authorizeCodes = Object.keys(api.AUTHORIZE_ERRORS) as api.AuthorizeErrorCode[]
  assert.ok(authorizeCodes.length >= 13, `found ${authorizeCodes.length} codes`)
  for (const code of authorizeCodes) {
    const row = rows.get(code)
    assert.ok(row, `${code} is not in docs/server.md`)
    const refusal = new AuthorizeError(code, 'x')
    assert.equal(refusal.code, code)
    assert.equal(row.status, refusal.redirect ? '302' : '400', code)
    assert.equal(`\`${refusal.error}\``, row.error, code)
  }
  const documented = [...rows.keys()].filter((code) => code.startsWith('ERR_AUTHORIZE_'))
  assert.deepEqual(documented.sort(), [...authorizeCodes].sort())
})

test('a database driver error that reaches the mapper is a 500, not a 503: each store converts its own', () => {
  const busy = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' })
  assert.equal(api.toHttpError(busy).status, 500)
  assert.equal(api.toHttpError(new api.StoreUnavailable('the database is busy')).status, 503)
})
