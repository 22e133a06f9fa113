/**
 * @module keys generate → jwt sign → jwt verify through the built binary, for each key form a user has:
 * JWK pairs (ES256, EdDSA), an HMAC JWK secret, PEM files, a JWK Set, and tokens on stdin.
 */
import assert from 'node:assert/strict'
import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { stderrCode, tempDir, tessera } from './support/run-cli.js'

const dir = tempDir()
const at = (name: string) => join(dir.path, name)

function generate(alg: string, name: string, extra: string[] = []): void {
  const result = tessera(['keys', 'generate', '--alg', alg, '--out', at(name), ...extra], { cwd: dir.path })
  assert.equal(result.status, 0, result.stderr)
}

function sign(key: string, claims: string, extra: string[] = []): string {
  const result = tessera(['jwt', 'sign', '--key', at(key), '--exp', '15m', ...extra, claims])
  assert.equal(result.status, 0, result.stderr)
  return result.stdout.trim()
}

before(() => {
  for (const [alg, name] of [
    ['ES256', 'es256'],
    ['EdDSA', 'ed25519'],
  ] as const) {
    const result = tessera(['keys', 'generate', '--alg', alg, '--out', at(`${name}.json`), '--public'])
    assert.equal(result.status, 0, result.stderr)
    writeFileSync(at(`${name}.pub.json`), result.stdout)
  }
  generate('HS256', 'hs256.json')
})
after(() => dir.remove())

describe('sign → verify round trip', () => {
  for (const [alg, name] of [
    ['ES256', 'es256'],
    ['EdDSA', 'ed25519'],
  ] as const) {
    test(`${alg}: a token signed with the private JWK verifies with the public JWK`, () => {
      const token = sign(`${name}.json`, '{"sub":"u1","scope":"read"}', ['--iss', 'https://auth.example'])
      const result = tessera([
        'jwt',
        'verify',
        '--key',
        at(`${name}.pub.json`),
        '--iss',
        'https://auth.example',
        token,
      ])
      assert.equal(result.status, 0, result.stderr)
      assert.match(result.stdout, new RegExp(`^valid: ${alg} signature`))
      assert.match(result.stdout, /"sub": "u1"/)
    })
  }

  test('HS256 from a JWK secret: signs and verifies with the same file', () => {
    const jwk = JSON.parse(readFileSync(at('hs256.json'), 'utf8'))
    assert.equal(jwk.kty, 'oct')
    assert.equal(jwk.alg, 'HS256')
    assert.equal(Buffer.from(jwk.k, 'base64url').length, 32)
    const token = sign('hs256.json', '{"sub":"u2"}')
    const result = tessera(['jwt', 'verify', '--key', at('hs256.json'), '--json', token])
    assert.equal(result.status, 0, result.stderr)
    const output = JSON.parse(result.stdout)
    assert.equal(output.valid, true)
    assert.equal(output.header.alg, 'HS256')
    assert.equal(output.header.kid, jwk.kid)
    assert.equal(output.payload.sub, 'u2')
  })

  test('HS256 from an environment variable secret (never on the command line)', () => {
    const env = { CLI_TEST_SECRET: 'a-test-secret-that-is-at-least-32-bytes-long' }
    const signed = tessera(
      ['jwt', 'sign', '--key', 'env:CLI_TEST_SECRET', '--alg', 'HS256', '--exp', '1m', '{}'],
      { env },
    )
    assert.equal(signed.status, 0, signed.stderr)
    const token = signed.stdout.trim()
    const ok = tessera(['jwt', 'verify', '--key', 'env:CLI_TEST_SECRET', '--alg', 'HS256', token], { env })
    assert.equal(ok.status, 0, ok.stderr)
    const wrong = tessera(['jwt', 'verify', '--key', 'env:CLI_TEST_SECRET', '--alg', 'HS256', token], {
      env: { CLI_TEST_SECRET: 'another-secret-that-is-also-32-bytes-long!!' },
    })
    assert.equal(wrong.status, 1)
    assert.equal(stderrCode(wrong.stderr), 'ERR_JWS_SIGNATURE_INVALID')
    assert.ok(!wrong.stderr.includes('another-secret'), 'the secret must never be printed')
  })

  test('claims and token can both come on stdin', () => {
    const signed = tessera(['jwt', 'sign', '--key', at('es256.json'), '--exp', '5m'], {
      input: '{"sub":"piped"}\n',
    })
    assert.equal(signed.status, 0, signed.stderr)
    const verified = tessera(['jwt', 'verify', '--key', at('es256.pub.json'), '--json'], {
      input: `${signed.stdout}`,
    })
    assert.equal(verified.status, 0, verified.stderr)
    assert.equal(JSON.parse(verified.stdout).payload.sub, 'piped')
    const dash = tessera(['jwt', 'decode', '-'], { input: `Bearer ${signed.stdout}` })
    assert.equal(dash.status, 0, dash.stderr)
    assert.match(dash.stdout, /"sub": "piped"/)
  })

  test('--json sign output parses and matches the claims and options', () => {
    const result = tessera([
      'jwt',
      'sign',
      '--key',
      at('es256.json'),
      '--exp',
      '15m',
      '--aud',
      'api,web',
      '--sub',
      'u9',
      '--jti',
      '--typ',
      'at+jwt',
      '--now',
      '2030-01-01T00:00:00Z',
      '--json',
      '{"scope":"read"}',
    ])
    assert.equal(result.status, 0, result.stderr)
    const output = JSON.parse(result.stdout)
    assert.equal(output.header.typ, 'at+jwt')
    assert.deepEqual(output.payload.aud, ['api', 'web'])
    assert.equal(output.payload.sub, 'u9')
    assert.equal(output.payload.iat, Date.UTC(2030, 0, 1) / 1000)
    assert.equal(output.payload.exp, output.payload.iat + 900)
    assert.equal(typeof output.payload.jti, 'string')
    assert.equal(output.token.split('.').length, 3)
  })
})

describe('key files', () => {
  test('the private key file is written owner-only and never overwritten without --force', () => {
    assert.equal(statSync(at('es256.json')).mode & 0o777, 0o600)
    const again = tessera(['keys', 'generate', '--alg', 'ES256', '--out', at('es256.json')])
    assert.equal(again.status, 2)
    assert.equal(stderrCode(again.stderr), 'ERR_CLI_INPUT')
    assert.match(again.stderr, /--force/)
  })

  test('PEM: PKCS#8 signs, SPKI verifies (RS256 needs --alg, ES256 is implied by the curve)', () => {
    for (const alg of ['ES256', 'RS256']) {
      const pair = tessera([
        'keys',
        'generate',
        '--alg',
        alg,
        '--format',
        'pem',
        '--out',
        at(`${alg}.pem`),
        '--public',
      ])
      assert.equal(pair.status, 0, pair.stderr)
      assert.match(pair.stdout, /^-----BEGIN PUBLIC KEY-----/)
      assert.match(readFileSync(at(`${alg}.pem`), 'utf8'), /^-----BEGIN PRIVATE KEY-----/)
      writeFileSync(at(`${alg}.pub.pem`), pair.stdout)
      const token = sign(`${alg}.pem`, '{"sub":"pem"}', ['--alg', alg])
      const algFlag = alg === 'RS256' ? ['--alg', 'RS256'] : []
      const ok = tessera(['jwt', 'verify', '--key', at(`${alg}.pub.pem`), ...algFlag, token])
      assert.equal(ok.status, 0, ok.stderr)
    }
    const noAlg = tessera(['jwt', 'verify', '--key', at('RS256.pub.pem'), 'a.b.c'])
    assert.equal(noAlg.status, 2)
    assert.equal(stderrCode(noAlg.stderr), 'ERR_CLI_USAGE')
    assert.match(noAlg.stderr, /--alg/)
  })

  test('JWK Set: the token’s kid picks the key; a kid not in the set is invalid', () => {
    const keys = ['es256.pub.json', 'ed25519.pub.json'].map((name) =>
      JSON.parse(readFileSync(at(name), 'utf8')),
    )
    writeFileSync(at('jwks.json'), JSON.stringify({ keys }))
    for (const name of ['es256', 'ed25519']) {
      const token = sign(`${name}.json`, '{"sub":"set"}')
      const ok = tessera(['jwt', 'verify', '--key', at('jwks.json'), token])
      assert.equal(ok.status, 0, ok.stderr)
    }
    writeFileSync(at('jwks-other.json'), JSON.stringify({ keys: [keys[1]] }))
    const stranger = tessera(['jwt', 'verify', '--key', at('jwks-other.json'), sign('es256.json', '{}')])
    assert.equal(stranger.status, 1)
    assert.ok(
      ['ERR_JWKS_NO_MATCHING_KEY', 'ERR_JOSE_ALG_NOT_ALLOWED'].includes(stderrCode(stranger.stderr)!),
      stranger.stderr,
    )
  })

  test('a missing key file is a usage error that says how to make one', () => {
    const result = tessera(['jwt', 'sign', '--key', at('nope.json'), '{}'])
    assert.equal(result.status, 2)
    assert.equal(stderrCode(result.stderr), 'ERR_CLI_KEY_FILE')
    assert.match(result.stderr, /tessera keys generate/)
  })

  test('a public key cannot sign: exit 1 with the reason', () => {
    const result = tessera(['jwt', 'sign', '--key', at('es256.pub.json'), '--exp', '1m', '{}'])
    assert.equal(result.status, 1)
    assert.equal(stderrCode(result.stderr), 'ERR_KEY_USAGE_FORBIDDEN')
  })

  test('the private key never appears in stderr or in a --public run’s stdout', () => {
    const d = JSON.parse(readFileSync(at('es256.json'), 'utf8')).d as string
    const pub = readFileSync(at('es256.pub.json'), 'utf8')
    assert.ok(!pub.includes(d))
    assert.equal(JSON.parse(pub).d, undefined)
  })
})
