/**
 * @module docs/cli.md's table of the CLI's own error codes and src/errors.ts list the same codes (both
 * ways), each with the exit status the code really gives; the server codes the doc says exit 2 do.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import * as errors from '../src/errors.js'
import { errorCode, exitCodeFor } from '../src/output.js'

const doc = readFileSync(new URL('../../../docs/cli.md', import.meta.url), 'utf8')
const documented = new Map(
  [...doc.matchAll(/^\| `(ERR_CLI_[A-Z_]+)` +\| (\d) +\|/gm)].map((m) => [m[1]!, Number(m[2])]),
)
const source = readFileSync(new URL('../src/errors.ts', import.meta.url), 'utf8')
const classCodes = [...source.matchAll(/readonly code = '(ERR_CLI_[A-Z_]+)'/g)].map((m) => m[1]!)
const unionCodes = [
  ...(/export type CliErrorCode =([^;]+?)\n\n/s.exec(source)?.[1] ?? '').matchAll(/'(ERR_[A-Z_]+)'/g),
].map((m) => m[1]!)

/** Every concrete error class errors.ts exports, made once, by code. */
const made = new Map(
  Object.values(errors)
    .filter((value): value is new (message: string) => errors.CliError => {
      const prototype = (value as { prototype?: unknown }).prototype
      return typeof value === 'function' && prototype instanceof errors.CliError
    })
    .map((Class) => {
      const error = new Class('x')
      return [error.code, error] as const
    }),
)

test('the doc table lists exactly the codes of errors.ts (classes and the CliErrorCode union)', () => {
  assert.ok(documented.size >= 5, `found ${documented.size} rows`)
  assert.deepEqual([...documented.keys()].sort(), [...new Set(classCodes)].sort())
  assert.deepEqual([...new Set(unionCodes)].sort(), [...new Set(classCodes)].sort())
  assert.deepEqual([...made.keys()].sort(), [...new Set(classCodes)].sort())
})

test('each documented exit status is the one the error class exits with', () => {
  for (const [code, exit] of documented) {
    const error = made.get(code)
    assert.ok(error, code)
    assert.equal(error.exitCode, exit, code)
    assert.equal(exitCodeFor(error), exit, code)
  }
})

test('an error without a code is reported as ERR_CLI_INTERNAL with the documented status', () => {
  const bug = new TypeError('x is not a function')
  assert.equal(errorCode(bug), 'ERR_CLI_INTERNAL')
  assert.equal(exitCodeFor(bug), documented.get('ERR_CLI_INTERNAL'))
})

test('the server codes the doc says exit 2 do, and other library codes exit 1', () => {
  const sentence = /^((?:`ERR_[A-Z_]+`[^`\n]*)+) from the server also exit 2/m.exec(doc)?.[1]
  assert.ok(sentence, 'the sentence naming the server codes that exit 2')
  const codes = [...sentence.matchAll(/`(ERR_[A-Z_]+)`/g)].map((m) => m[1]!)
  assert.deepEqual(codes, ['ERR_CONFIG_INVALID', 'ERR_REQUEST_INVALID'])
  for (const code of codes) assert.equal(exitCodeFor({ code }), 2, code)
  for (const code of ['ERR_JWT_EXPIRED', 'ERR_USER_EXISTS', 'ERR_KEY_USAGE_FORBIDDEN'])
    assert.equal(exitCodeFor({ code }), 1, code)
})
