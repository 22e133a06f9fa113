/**
 * @module Invalid tokens exit 1 with the reason as `code: message` on stderr; `--json` failures parse.
 * Time is injected with --now, never waited for.
 */
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { stderrCode, tempDir, tessera } from './support/run-cli.js'

const dir = tempDir()
const key = join(dir.path, 'key.json')
const pub = join(dir.path, 'pub.json')
let token = ''

before(() => {
  const pair = tessera(['keys', 'generate', '--alg', 'ES256', '--out', key, '--public'])
  assert.equal(pair.status, 0, pair.stderr)
  writeFileSync(pub, pair.stdout)
  const signed = tessera([
    'jwt',
    'sign',
    '--key',
    key,
    '--exp',
    '15m',
    '--iss',
    'https://a.example',
    '--aud',
    'api',
    '--now',
    '2030-01-01T00:00:00Z',
    '{"sub":"u1"}',
  ])
  assert.equal(signed.status, 0, signed.stderr)
  token = signed.stdout.trim()
})
after(() => dir.remove())

const NOW = ['--now', '2030-01-01T00:05:00Z']

function verify(args: string[], tok = token) {
  return tessera(['jwt', 'verify', '--key', pub, ...NOW, ...args, tok])
}

describe('jwt verify failures', () => {
  test('the untouched token is valid at the injected time', () => {
    const result = verify(['--iss', 'https://a.example', '--aud', 'api'])
    assert.equal(result.status, 0, result.stderr)
  })

  test('a tampered payload (sub changed, signature kept) exits 1: ERR_JWS_SIGNATURE_INVALID', () => {
    const [header, payload, signature] = token.split('.')
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString())
    claims.sub = 'admin'
    const forged = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`
    const result = verify([], forged)
    assert.equal(result.status, 1)
    assert.equal(stderrCode(result.stderr), 'ERR_JWS_SIGNATURE_INVALID')
    assert.match(result.stderr, /signature verification failed/)
    assert.equal(result.stdout, '')
  })

  test('a flipped signature bit exits 1', () => {
    const [header, payload, signature] = token.split('.')
    const bytes = Buffer.from(signature!, 'base64url')
    bytes[10]! ^= 1
    const result = verify([], `${header}.${payload}.${bytes.toString('base64url')}`)
    assert.equal(result.status, 1)
    assert.equal(stderrCode(result.stderr), 'ERR_JWS_SIGNATURE_INVALID')
  })

  test('expired (clock moved past exp) exits 1: ERR_JWT_EXPIRED; --leeway does not stretch 1 h', () => {
    const late = tessera([
      'jwt',
      'verify',
      '--key',
      pub,
      '--now',
      '2030-01-01T01:00:00Z',
      '--leeway',
      '30s',
      token,
    ])
    assert.equal(late.status, 1)
    assert.equal(stderrCode(late.stderr), 'ERR_JWT_EXPIRED')
  })

  test('wrong issuer and wrong audience name the claim', () => {
    const iss = verify(['--iss', 'https://evil.example'])
    assert.equal(iss.status, 1)
    assert.equal(stderrCode(iss.stderr), 'ERR_JWT_CLAIM_INVALID')
    assert.match(iss.stderr, /"iss"/)
    const aud = verify(['--aud', 'other'])
    assert.equal(aud.status, 1)
    assert.match(aud.stderr, /"aud"/)
  })

  test('an algorithm outside --alg is refused before any key use: ERR_JOSE_ALG_NOT_ALLOWED', () => {
    const result = verify(['--alg', 'ES384'])
    assert.equal(result.status, 1)
    assert.ok(
      ['ERR_JOSE_ALG_NOT_ALLOWED', 'ERR_KEY_ALG_MISMATCH'].includes(stderrCode(result.stderr)!),
      result.stderr,
    )
  })

  test('alg "none" is refused even though the decoder can read it', () => {
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"u1"}').toString('base64url')}.`
    // With an empty signature either check may refuse it first (the allow-list or the empty signature).
    const empty = verify([], none)
    assert.equal(empty.status, 1)
    assert.ok(
      ['ERR_JOSE_ALG_NOT_ALLOWED', 'ERR_JWS_INVALID'].includes(stderrCode(empty.stderr)!),
      empty.stderr,
    )
    const result = verify([], `${none}AAAA`)
    assert.equal(result.status, 1)
    assert.equal(stderrCode(result.stderr), 'ERR_JOSE_ALG_NOT_ALLOWED')
    const decoded = tessera(['jwt', 'decode', '--json', none])
    assert.equal(decoded.status, 0, decoded.stderr)
    assert.ok(JSON.parse(decoded.stdout).warnings.some((w: string) => w.includes('"none"')))
  })

  test('--json failure output parses and carries the same code as stderr', () => {
    const result = tessera(['jwt', 'verify', '--key', pub, '--now', '2031-01-01T00:00:00Z', '--json', token])
    assert.equal(result.status, 1)
    const output = JSON.parse(result.stdout)
    assert.equal(output.valid, false)
    assert.equal(output.error.code, 'ERR_JWT_EXPIRED')
    assert.equal(stderrCode(result.stderr), 'ERR_JWT_EXPIRED')
  })

  test('garbage is an invalid token (exit 1), not a crash', () => {
    for (const garbage of ['not-a-token', 'a.b.c', '....']) {
      const result = verify([], garbage)
      assert.equal(result.status, 1, garbage)
      assert.match(stderrCode(result.stderr) ?? '', /^ERR_(JWS|JWT)_/)
    }
  })
})
