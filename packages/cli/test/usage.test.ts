/**
 * @module Usage errors exit 2 with `ERR_CLI_USAGE: …` saying what to do; `--help` works on every command.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { stderrCode, tessera } from './support/run-cli.js'

describe('usage', () => {
  test('no arguments prints the command list on stderr and exits 2; --help prints it on stdout, exit 0', () => {
    const result = tessera([])
    assert.equal(result.status, 2)
    assert.equal(result.stdout, '')
    assert.match(result.stderr, /jwt verify/)
    assert.equal(stderrCode(result.stderr), 'ERR_CLI_USAGE')
    for (const flag of ['--help', '-h', 'help']) {
      const help = tessera([flag])
      assert.equal(help.status, 0, flag)
      assert.match(help.stdout, /jwt verify/, flag)
    }
  })

  test('an unknown command, verb or flag exits 2 with ERR_CLI_USAGE', () => {
    for (const args of [['frobnicate'], ['jwt', 'frob'], ['jwt'], ['jwt', 'verify', '--bogus', 'x']]) {
      const result = tessera(args)
      assert.equal(result.status, 2, args.join(' '))
      assert.equal(stderrCode(result.stderr), 'ERR_CLI_USAGE', args.join(' '))
    }
  })

  test('a missing required flag says which one', () => {
    const result = tessera(['jwt', 'verify', 'a.b.c'])
    assert.equal(result.status, 2)
    assert.match(result.stderr, /--key is required/)
  })

  test('no token and nothing on stdin is a usage/input error, not a hang', () => {
    const result = tessera(['jwt', 'decode'])
    assert.equal(result.status, 2)
    assert.equal(stderrCode(result.stderr), 'ERR_CLI_INPUT')
  })

  test('bad claims JSON exits 2 with ERR_CLI_INPUT; an unset env: secret with ERR_CLI_KEY_FILE', () => {
    const env = { CLI_TEST_SECRET: 'a-test-secret-that-is-at-least-32-bytes-long' }
    for (const claims of ['{"sub":', '[1,2]', '"text"']) {
      const result = tessera(['jwt', 'sign', '--key', 'env:CLI_TEST_SECRET', '--alg', 'HS256', claims], {
        env,
      })
      assert.equal(result.status, 2, claims)
      assert.equal(stderrCode(result.stderr), 'ERR_CLI_INPUT', claims)
    }
    const unset = tessera(['jwt', 'sign', '--key', 'env:CLI_TEST_UNSET', '--alg', 'HS256', '{}'])
    assert.equal(unset.status, 2)
    assert.equal(stderrCode(unset.stderr), 'ERR_CLI_KEY_FILE')
  })

  test('--public without --out would lose the private key: usage error', () => {
    const arrays = tessera(['keys', 'generate', '--alg', 'ES256', '--public'])
    assert.equal(arrays.status, 2)
    assert.match(arrays.stderr, /--out/)
  })

  test('--help on every command exits 0 and shows usage and examples', async () => {
    const { COMMANDS } = await import('../src/registry.js')
    for (const entry of COMMANDS) {
      const result = tessera([...entry.name.split(' '), '--help'])
      assert.equal(result.status, 0, entry.name)
      assert.match(result.stdout, new RegExp(`Usage: tessera ${entry.name}`), entry.name)
    }
  })

  test('--version prints the package version', () => {
    const result = tessera(['--version'])
    assert.equal(result.status, 0)
    assert.match(result.stdout, /^\d+\.\d+\.\d+/)
  })
})
