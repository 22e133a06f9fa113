/**
 * @module `tessera serve` end to end: the built binary on a free port with a temp SQLite file; its first
 * log line gives the URL; its JWKS verifies the access tokens it issues through `tessera jwt verify`
 * (URL and exported file); `tessera compare` measures it and disables its throwaway user, also when the
 * run fails; SIGTERM shuts it down cleanly.
 */
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { stderrCode, tempDir, tessera } from './support/run-cli.js'
import { type ServeProcess, serve } from './support/serve.js'

const dir = tempDir()
const database = `sqlite:${join(dir.path, 'tessera.db')}`
let server: ServeProcess
let accessToken = ''

before(async () => {
  server = await serve(['--database', database], dir.path)
  const username = 'cli-e2e-user'
  const password = 'correct horse battery staple 42'
  const register = await fetch(`${server.url}/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  })
  assert.ok(register.status === 201 || register.status === 200, `register: ${register.status}`)
  const login = await fetch(`${server.url}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  })
  assert.equal(login.status, 200)
  accessToken = ((await login.json()) as { access_token: string }).access_token
})
/** The users `tessera compare` made in this test's store, as `tessera users list --json` shows them. */
function compareUsers(): Array<{ username: string; disabled: boolean }> {
  const list = tessera(['users', 'list', '--database', database, '--json'], { cwd: dir.path })
  assert.equal(list.status, 0, list.stderr)
  const users = JSON.parse(list.stdout) as Array<{ username: string; disabled: boolean }>
  return users.filter((user) => user.username.startsWith('compare-'))
}

after(async () => {
  await server?.stop()
  dir.remove()
})

describe('tessera serve', () => {
  test('the first log line says where it listens, and /.well-known/jwks.json answers there', async () => {
    assert.match(server.firstLine, /listening on http:\/\/127\.0\.0\.1:\d+/)
    assert.doesNotMatch(server.url, /:0$/)
    const response = await fetch(`${server.url}/.well-known/jwks.json`)
    assert.equal(response.status, 200)
    const jwks = (await response.json()) as { keys: Array<{ kid: string; d?: string }> }
    assert.ok(jwks.keys.length >= 1)
    assert.ok(
      jwks.keys.every((key) => key.d === undefined),
      'no private member in the JWKS',
    )
    assert.ok(existsSync(join(dir.path, 'tessera.db')), 'the SQLite file is where --database said')
  })

  test('jwt verify accepts its access token through the JWKS URL (issuer, audience, typ checked)', () => {
    const result = tessera([
      'jwt',
      'verify',
      '--key',
      `${server.url}/.well-known/jwks.json`,
      '--iss',
      server.url,
      '--aud',
      'tessera',
      '--typ',
      'at+jwt',
      '--require',
      'exp,sub,jti,sid',
      '--json',
      accessToken,
    ])
    assert.equal(result.status, 0, result.stderr)
    const output = JSON.parse(result.stdout)
    assert.equal(output.valid, true)
    assert.equal(output.header.typ, 'at+jwt')
    const wrongAudience = tessera([
      'jwt',
      'verify',
      '--key',
      `${server.url}/.well-known/jwks.json`,
      '--aud',
      'other',
      accessToken,
    ])
    assert.equal(wrongAudience.status, 1)
    assert.equal(stderrCode(wrongAudience.stderr), 'ERR_JWT_CLAIM_INVALID')
  })

  test('keys export-jwks on the same database (server running) verifies the token offline', () => {
    const file = join(dir.path, 'jwks.json')
    const exported = tessera(['keys', 'export-jwks', '--database', database, '--out', file], {
      cwd: dir.path,
    })
    assert.equal(exported.status, 0, exported.stderr)
    const result = tessera(['jwt', 'verify', '--key', file, accessToken])
    assert.equal(result.status, 0, result.stderr)
  })

  test('compare measures token mode and session mode with every figure present', () => {
    const result = tessera(
      [
        'compare',
        '--url',
        server.url,
        '--database',
        database,
        '--duration',
        '1s',
        '--connections',
        '4',
        '--json',
      ],
      {
        cwd: dir.path,
      },
    )
    assert.equal(result.status, 0, result.stderr)
    const report = JSON.parse(result.stdout)
    const token = report.token
    assert.equal(token.available, true)
    assert.ok(token.credential_value_bytes > 100)
    assert.equal(
      token.credential_bytes_per_request,
      token.credential_value_bytes + 'Authorization: Bearer \r\n'.length,
    )
    assert.ok(token.signature_check_microseconds > 0)
    assert.ok(
      token.server_work_microseconds_per_request === null || token.server_work_microseconds_per_request > 0,
    )
    assert.ok(token.requests > 0)
    assert.equal(token.errors, 0)
    assert.ok(token.requests_per_second > 0)
    assert.ok(token.latency_p50_ms > 0 && token.latency_p99_ms >= token.latency_p50_ms)
    assert.equal(token.access_token_lifetime_seconds, 900)
    assert.match(token.revocation, /answered 401 after \d+ ms/)
    assert.match(token.revocation, /still accepted it until exp/)
    assert.equal(report.session.available, true, report.session.missing)
    {
      const session = report.session
      assert.ok(session.credential_bytes_per_request > session.credential_value_bytes)
      assert.ok(
        session.server_work_microseconds_per_request === null ||
          session.server_work_microseconds_per_request > 0,
      )
      assert.ok(session.requests > 0)
      assert.equal(session.errors, 0)
      assert.match(session.revocation, /answered 401 after \d+ ms/)
    }
    assert.ok(Array.isArray(report.notes) && report.notes.length > 0)
  })

  test('compare as a table: every figure of both modes with its unit', () => {
    const result = tessera(
      ['compare', '--url', server.url, '--database', database, '--duration', '1s', '--connections', '2'],
      { cwd: dir.path },
    )
    assert.equal(result.status, 0, result.stderr)
    assert.match(
      result.stdout,
      /credential sent with each request\s+Authorization: Bearer <access token>\s+Cookie: \S+=<session id>/,
    )
    assert.match(result.stdout, /credential bytes per request\s+\d+ B\s+\d+ B/)
    assert.match(result.stdout, /server work per request \(median\)\s+\d+ µs\s+\d+ µs/)
    assert.match(result.stdout, /signature check alone\s+\d+ µs \(ES256\)/)
    assert.match(result.stdout, /resource server with the JWKS\s+\d+ req\/s/)
    assert.match(result.stdout, /store read per request\s+no\s+yes/)
    assert.match(result.stdout, /GET requests per second\s+\d+ req\/s\s+\d+ req\/s/)
    assert.match(result.stdout, /latency p50 \/ p99\s+[\d.]+ \/ [\d.]+ ms\s+[\d.]+ \/ [\d.]+ ms/)
    assert.doesNotMatch(result.stdout, /NOT MEASURED/)
  })

  test('after the compare runs above, every throwaway user they made is disabled', () => {
    const throwaway = compareUsers()
    assert.ok(throwaway.length >= 2, `compare users: ${JSON.stringify(throwaway)}`)
    for (const user of throwaway) assert.equal(user.disabled, true, user.username)
  })

  test('a compare run that fails still disables its throwaway user', async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise((resolve) => closed.close(resolve))
    const before = new Set(compareUsers().map((user) => user.username))
    const result = tessera(
      ['compare', '--url', `http://127.0.0.1:${port}`, '--database', database, '--duration', '1s'],
      { cwd: dir.path },
    )
    assert.equal(result.status, 1, result.stderr)
    assert.equal(stderrCode(result.stderr), 'ERR_CLI_REMOTE')
    const made = compareUsers().filter((user) => !before.has(user.username))
    assert.equal(made.length, 1, JSON.stringify(made))
    assert.equal(made[0]!.disabled, true)
  })

  test('compare refuses a store that does not exist instead of creating one', () => {
    const missing = `sqlite:${join(dir.path, 'nowhere.db')}`
    const result = tessera(['compare', '--url', server.url, '--database', missing], { cwd: dir.path })
    assert.equal(result.status, 2)
    assert.equal(stderrCode(result.stderr), 'ERR_CLI_USAGE')
    assert.match(result.stderr, /no store at .*nowhere\.db.*--database.*--username/)
    assert.ok(!existsSync(join(dir.path, 'nowhere.db')))
  })

  test('a bad setting is a usage error naming it (exit 2), before anything listens', () => {
    const result = tessera(['serve', '--port', 'eighty'], { cwd: dir.path })
    assert.equal(result.status, 2)
    assert.equal(stderrCode(result.stderr), 'ERR_CONFIG_INVALID')
    assert.match(result.stderr, /--port/)
  })

  test('SIGTERM closes it gracefully with exit status 0', async () => {
    const second = await serve(['--database', `sqlite:${join(dir.path, 'second.db')}`], dir.path)
    // Once it has answered a request, start-up (which installs the signal handlers) has finished.
    assert.equal((await fetch(`${second.url}/.well-known/jwks.json`)).status, 200)
    assert.equal(await second.stop(), 0)
    assert.ok(
      second.lines.some((line) => line.includes('received SIGTERM')),
      'it logged the graceful shutdown',
    )
  })
})
