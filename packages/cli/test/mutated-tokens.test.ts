/**
 * @module Mutated tokens through the built binary (fast-check): whatever the change, `jwt verify` exits 1
 * with a library error code, never 0, never a crash (ERR_CLI_INTERNAL), never a hang.
 */
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, test } from 'node:test'
import fc from 'fast-check'
import { stderrCode, tempDir, tessera } from './support/run-cli.js'

const dir = tempDir()
after(() => dir.remove())

test('a mutated ES256 token never verifies and never crashes the CLI', () => {
  const key = join(dir.path, 'key.json')
  const pub = join(dir.path, 'pub.json')
  const pair = tessera(['keys', 'generate', '--alg', 'ES256', '--out', key, '--public'])
  assert.equal(pair.status, 0, pair.stderr)
  writeFileSync(pub, pair.stdout)
  const token = tessera(['jwt', 'sign', '--key', key, '--exp', '1h', '{"sub":"u1"}']).stdout.trim()
  assert.equal(tessera(['jwt', 'verify', '--key', pub, token]).status, 0)

  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.='
  const mutation = fc.oneof(
    // Replace one character with another.
    fc
      .tuple(fc.nat(token.length - 1), fc.constantFrom(...alphabet))
      .map(([i, c]) => token.slice(0, i) + c + token.slice(i + 1)),
    // Cut the token short.
    fc.nat(token.length - 1).map((n) => token.slice(0, n)),
    // Insert something.
    fc
      .tuple(fc.nat(token.length), fc.string({ minLength: 1, maxLength: 4 }))
      .map(([i, s]) => token.slice(0, i) + s + token.slice(i)),
  )
  fc.assert(
    fc.property(mutation, (mutated) => {
      // The CLI trims surrounding whitespace (a pasted token), so a mutation that only adds some is no mutation.
      fc.pre(mutated.trim() !== token && mutated.trim() !== '')
      const result = tessera(['jwt', 'verify', '--key', pub, '--', mutated])
      assert.equal(result.status, 1, `${mutated}\n${result.stderr}`)
      assert.match(stderrCode(result.stderr) ?? '', /^ERR_(JWS|JWT|JOSE|JWK|KEY)[A-Z_]*$/, result.stderr)
    }),
    { numRuns: 25 },
  )
})
