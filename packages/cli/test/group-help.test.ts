/**
 * @module A command group (`jwt`, `keys`, `users`) answers `--help` / `-h` with its commands and a
 * one-line description of each (exit 0, stdout); called with no command it prints the same on stderr
 * and exits 2 with ERR_CLI_USAGE.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { COMMANDS } from '../src/registry.js'
import { stderrCode, tessera } from './support/run-cli.js'

const groups = [...new Set(COMMANDS.filter((e) => e.name.includes(' ')).map((e) => e.name.split(' ')[0]!))]

function listsEveryCommand(text: string, group: string): void {
  const entries = COMMANDS.filter((entry) => entry.name.startsWith(`${group} `))
  assert.ok(entries.length > 1, group)
  for (const entry of entries) {
    const row = new RegExp(`^ +${entry.name} +${entry.summary.replace(/[()]/g, '\\$&')}$`, 'm')
    assert.match(text, row, `${group}: ${entry.name}`)
  }
}

describe('command groups', () => {
  test('the groups are clients, jwt, keys and users', () => {
    assert.deepEqual(groups.sort(), ['clients', 'jwt', 'keys', 'users'])
  })

  for (const group of groups) {
    for (const flag of ['--help', '-h']) {
      test(`tessera ${group} ${flag} lists its commands with a description each and exits 0`, () => {
        const result = tessera([group, flag])
        assert.equal(result.status, 0, result.stderr)
        assert.equal(result.stderr, '')
        assert.match(result.stdout, new RegExp(`^Usage: tessera ${group} <command>`, 'm'))
        listsEveryCommand(result.stdout, group)
      })
    }

    test(`tessera ${group} with no command prints the list on stderr and exits 2`, () => {
      const result = tessera([group])
      assert.equal(result.status, 2)
      assert.equal(result.stdout, '')
      assert.equal(stderrCode(result.stderr), 'ERR_CLI_USAGE')
      assert.match(result.stderr, new RegExp(`"tessera ${group}" needs a command`))
      listsEveryCommand(result.stderr, group)
    })
  }

  test('an unknown command in a group still exits 2 and names it', () => {
    const result = tessera(['keys', 'frobnicate'])
    assert.equal(result.status, 2)
    assert.equal(stderrCode(result.stderr), 'ERR_CLI_USAGE')
    assert.match(result.stderr, /no command "frobnicate"/)
  })
})
