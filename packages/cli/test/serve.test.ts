/**
 * @module `tessera serve` end to end: the built binary on a free port with a temp SQLite file; its first
 * log line gives the URL; its JWKS verifies the access tokens it issues through `tessera jwt verify`
 * (URL and exported file); `tessera compare` measures it; SIGTERM shuts it down cleanly.
 */
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
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

  test('compare measures token mode with every figure present, and says plainly what it could not measure', () => {
    const result = tessera(
      ['compare', '--url', server.url, '--duration', '1s', '--connections', '4', '--json'],
      {
        cwd: dir.path,
      },
    )
    assert.equal(result.status, 0, result.stderr)
    const report = JSON.parse(result.stdout)
    assert.equal(report.token.available, true)
    assert.ok(report.token.access_token_bytes > 100)
    assert.equal(
      report.token.credential_header_bytes_per_request,
      report.token.access_token_bytes + 'Authorization: Bearer \r\n'.length,
    )
    assert.ok(report.token.signature_check_microseconds > 0)
    assert.ok(report.token.me.requests > 0)
    assert.equal(report.token.me.errors, 0)
    assert.ok(report.token.me.requests_per_second > 0)
    assert.equal(report.token.access_token_lifetime_seconds, 900)
    assert.match(report.token.revocation.auth_server_after_logout, /refused immediately/)
    if (report.session.available) {
      assert.ok(report.session.credential_header_bytes_per_request > 0)
      assert.ok(report.session.me.requests > 0)
    } else {
      assert.match(report.session.missing, /session/)
    }
    assert.ok(Array.isArray(report.notes) && report.notes.length > 0)
  })

  test('compare as a table: every figure with its unit, and a missing mode said in capitals', () => {
    const result = tessera(['compare', '--url', server.url, '--duration', '1s', '--connections', '2'], {
      cwd: dir.path,
    })
    assert.equal(result.status, 0, result.stderr)
    assert.match(result.stdout, /credential bytes per request\s+\d+ B \(Authorization\)/)
    assert.match(result.stdout, /ES256 signature check, [\d.]+ µs/)
    assert.match(result.stdout, /GET \/me requests per second\s+\d+ req\/s/)
    assert.match(result.stdout, /latency p50 \/ p99\s+[\d.]+ \/ [\d.]+ ms/)
    if (!/\d+ B \(Cookie\)/.test(result.stdout)) assert.match(result.stdout, /session mode: NOT MEASURED/)
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
