/**
 * @module `tessera users add|list|disable|enable` against a temp SQLite store: passwords only from
 * stdin or the environment and never printed; the server's policy and errors come through with codes.
 */
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import { stderrCode, tempDir, tessera } from './support/run-cli.js'

const dir = tempDir()
const database = `sqlite:${join(dir.path, 'users.db')}`
const PASSWORD = 'a long and unusual passphrase 7'
after(() => dir.remove())

function users(args: string[], input = '', env: Record<string, string> = {}) {
  return tessera(['users', ...args, '--database', database], { cwd: dir.path, input, env })
}

function listed(): Array<{ username: string; disabled: boolean }> {
  const result = users(['list', '--json'])
  assert.equal(result.status, 0, result.stderr)
  return JSON.parse(result.stdout)
}

describe('tessera users', () => {
  test('add reads the password from stdin, never echoes it, and list shows the user', () => {
    const result = users(['add', 'alice'], `${PASSWORD}\n`)
    assert.equal(result.status, 0, result.stderr)
    assert.match(result.stdout, /added alice/)
    assert.ok(!result.stdout.includes(PASSWORD) && !result.stderr.includes(PASSWORD))
    const alice = listed().find((user) => user.username === 'alice')
    assert.ok(alice)
    assert.equal(alice.disabled, false)
    const text = users(['list'])
    assert.match(text.stdout, /^USERNAME\s+STATUS/)
    assert.ok(!text.stdout.includes('argon2'), 'no password hash in the listing')
  })

  test('add with --password-env, and --json output parses', () => {
    const result = users(['add', 'bob', '--password-env', 'CLI_TEST_PW', '--json'], '', {
      CLI_TEST_PW: PASSWORD,
    })
    assert.equal(result.status, 0, result.stderr)
    assert.equal(JSON.parse(result.stdout).username, 'bob')
  })

  test('a duplicate user exits 1 with ERR_USER_EXISTS', () => {
    const result = users(['add', 'alice'], `${PASSWORD}\n`)
    assert.equal(result.status, 1)
    assert.equal(stderrCode(result.stderr), 'ERR_USER_EXISTS')
  })

  test('a common password is refused by the policy (exit 1, ERR_PASSWORD_REJECTED), without echoing it', () => {
    const result = users(['add', 'carol'], '123qweasdzxc\n')
    assert.equal(result.status, 1)
    assert.equal(stderrCode(result.stderr), 'ERR_PASSWORD_REJECTED')
    assert.ok(!result.stderr.includes('123qweasdzxc'))
    assert.ok(!listed().some((user) => user.username === 'carol'))
  })

  test('disable marks the user disabled; enable undoes it; an unknown user is ERR_USER_NOT_FOUND', () => {
    const disabled = users(['disable', 'alice'])
    assert.equal(disabled.status, 0, disabled.stderr)
    assert.equal(listed().find((user) => user.username === 'alice')?.disabled, true)
    const enabled = users(['enable', 'alice', '--json'])
    assert.equal(enabled.status, 0, enabled.stderr)
    assert.equal(JSON.parse(enabled.stdout).disabled, false)
    const unknown = users(['disable', 'nobody'])
    assert.equal(unknown.status, 1)
    assert.equal(stderrCode(unknown.stderr), 'ERR_USER_NOT_FOUND')
  })

  test('no username, or a malformed one, is a usage error (exit 2)', () => {
    assert.equal(users(['add']).status, 2)
    const bad = users(['add', '!!'], `${PASSWORD}\n`)
    assert.equal(bad.status, 2)
    assert.equal(stderrCode(bad.stderr), 'ERR_REQUEST_INVALID')
  })
})
