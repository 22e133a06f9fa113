/**
 * @module A start-up that cannot finish says why on stderr and exits non-zero: a database that cannot be
 * opened (an SQLite path that is a directory, a PostgreSQL server that is not there), and a start-up whose
 * event loop runs dry because something it waits for can never happen.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'

const serve = fileURLToPath(new URL('./serve-instance.ts', import.meta.url))
const stalled = fileURLToPath(new URL('./stalled-instance.ts', import.meta.url))

function run(script: string, overrides: Record<string, unknown> = {}) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', script, JSON.stringify(overrides)], {
    encoding: 'utf8',
    timeout: 60_000,
  })
  if (result.error) throw result.error
  return result
}

test('an SQLite path that cannot be opened: exit 1, and stderr names the file and the reason', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-start-failure-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  const result = run(serve, { database: `sqlite:${dir}` })
  assert.equal(result.status, 1, result.stderr)
  assert.match(result.stderr, /ERR_STORE_UNAVAILABLE/)
  assert.match(result.stderr, new RegExp(`cannot open the SQLite database at ${dir} \\(SQLITE_CANTOPEN\\)`))
  assert.doesNotMatch(result.stdout, /tessera listening/)
})

test('a PostgreSQL server that is not there: exit 1, and stderr says the database is unavailable', () => {
  // Port 9 (discard) on loopback: nothing listens there, so the connection is refused at once.
  const result = run(serve, {
    database: 'postgres://postgres@127.0.0.1:9/test',
    secret: 'start-failure-secret-0123456789abcdef',
  })
  assert.equal(result.status, 1, result.stderr)
  assert.match(result.stderr, /ERR_STORE_UNAVAILABLE/)
  assert.doesNotMatch(result.stdout, /tessera listening/)
})

test('a start-up whose event loop runs dry says which step never finished and exits 1, not 0', () => {
  const result = run(stalled)
  assert.equal(result.status, 1, `stdout: ${result.stdout}\nstderr: ${result.stderr}`)
  assert.match(
    result.stderr,
    /tessera: start-up stopped while opening the database and loading the signing keys: it was waiting for something that can never happen/,
  )
})
