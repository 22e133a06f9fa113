/**
 * @module A flag given a value it cannot take is a usage error (exit 2, ERR_CLI_USAGE) whose message
 * names the flag and what it accepts, for every duration, algorithm and number flag; durations need a
 * unit (`--exp 15` is refused, never read as seconds).
 */
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { stderrCode, tempDir, tessera } from './support/run-cli.js'

const dir = tempDir()
const key = join(dir.path, 'key.json')
const pub = join(dir.path, 'pub.json')
const encKey = join(dir.path, 'enc.json')
const encPub = join(dir.path, 'enc.pub.json')
const TOKEN = 'eyJhbGciOiJFUzI1NiJ9.e30.c2ln'
const JWE = 'eyJhbGciOiJFQ0RILUVTIiwiZW5jIjoiQTI1NkdDTSJ9..aXY.Y3Q.dGFn'

before(() => {
  const pair = tessera(['keys', 'generate', '--alg', 'ES256', '--out', key, '--public'])
  assert.equal(pair.status, 0, pair.stderr)
  writeFileSync(pub, pair.stdout)
  const enc = tessera(['keys', 'generate', '--alg', 'ECDH-ES+A256KW', '--out', encKey, '--public'])
  assert.equal(enc.status, 0, enc.stderr)
  writeFileSync(encPub, enc.stdout)
})
after(() => dir.remove())

/** Each command with a duration flag, as called with that flag's value. */
const DURATION_FLAGS: Array<[string, (value: string) => string[]]> = [
  ['--exp', (v) => ['jwt', 'sign', '--key', key, '--exp', v, '{}']],
  ['--nbf', (v) => ['jwt', 'sign', '--key', key, '--nbf', v, '{}']],
  ['--exp', (v) => ['jwt', 'encrypt', '--key', encPub, '--exp', v, '{}']],
  ['--nbf', (v) => ['jwt', 'encrypt', '--key', encPub, '--nbf', v, '{}']],
  ['--leeway', (v) => ['jwt', 'verify', '--key', pub, '--leeway', v, TOKEN]],
  ['--max-age', (v) => ['jwt', 'verify', '--key', pub, '--max-age', v, TOKEN]],
  ['--leeway', (v) => ['jwt', 'decrypt', '--key', encKey, '--leeway', v, JWE]],
  ['--max-age', (v) => ['jwt', 'decrypt', '--key', encKey, '--max-age', v, JWE]],
  ['--duration', (v) => ['compare', '--url', 'http://127.0.0.1:9', '--duration', v]],
]

function usageError(args: string[], flag: string, accepts: RegExp): void {
  const result = tessera(args)
  const label = args.join(' ')
  assert.equal(result.status, 2, `${label}\n${result.stderr}`)
  assert.equal(stderrCode(result.stderr), 'ERR_CLI_USAGE', label)
  const last = result.stderr.trim().split('\n').pop() ?? ''
  assert.ok(last.includes(flag), `${label}: the message names ${flag}: ${last}`)
  assert.match(last, accepts, label)
}

describe('duration flags', () => {
  for (const [flag, call] of DURATION_FLAGS) {
    const command = call('x').slice(0, 2).join(' ')
    test(`${command} ${flag} banana: exit 2, naming ${flag} and the forms it takes`, () => {
      usageError(call('banana'), flag, /30s, 15m, 2h or 7d/)
    })
    test(`${command} ${flag} 15 (no unit): exit 2, saying a unit is needed`, () => {
      usageError(call('15'), flag, /has no unit: write 15s, 15m, 15h or 15d/)
    })
  }

  test('--exp 15m means 900 seconds, --exp 2h 7200, --exp 30s 30, --exp 7d 604800', () => {
    for (const [value, seconds] of [
      ['15m', 900],
      ['2h', 7200],
      ['30s', 30],
      ['7d', 604800],
    ] as const) {
      const result = tessera(['jwt', 'sign', '--key', key, '--exp', value, '--json', '{}'])
      assert.equal(result.status, 0, result.stderr)
      const { payload } = JSON.parse(result.stdout) as { payload: { iat: number; exp: number } }
      assert.equal(payload.exp - payload.iat, seconds, value)
    }
  })
})

describe('algorithm flags', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['--alg', ['jwt', 'sign', '--key', key, '--alg', 'FOO', '{}'], /ES256.*EdDSA/],
    ['--alg', ['jwt', 'verify', '--key', pub, '--alg', 'ES256,none', TOKEN], /HS256.*ES256/],
    ['--alg', ['jwt', 'encrypt', '--key', encPub, '--alg', 'FOO', '{}'], /RSA-OAEP-256.*ECDH-ES\+A256KW/],
    ['--enc', ['jwt', 'encrypt', '--key', encPub, '--enc', 'A1GCM', '{}'], /A128GCM.*A256CBC-HS512/],
    ['--sign-alg', ['jwt', 'encrypt', '--key', encPub, '--sign-key', key, '--sign-alg', 'X', '{}'], /ES256/],
    ['--alg', ['jwt', 'decrypt', '--key', encKey, '--alg', 'FOO', JWE], /ECDH-ES/],
    ['--enc', ['jwt', 'decrypt', '--key', encKey, '--enc', 'FOO', JWE], /A256GCM/],
    [
      '--verify-alg',
      ['jwt', 'decrypt', '--key', encKey, '--verify-key', pub, '--verify-alg', 'X', JWE],
      /ES256/,
    ],
  ]
  for (const [flag, args, accepts] of cases) {
    test(`${args.slice(0, 2).join(' ')} ${flag} with an unknown name: exit 2, listing what ${flag} takes`, () => {
      usageError(args, flag, accepts)
    })
  }
})

describe('keys generate', () => {
  test('--alg FOO names the flag and lists every algorithm it makes keys for, no library function', () => {
    const result = tessera(['keys', 'generate', '--alg', 'FOO'])
    assert.equal(result.status, 2)
    assert.equal(stderrCode(result.stderr), 'ERR_CLI_USAGE')
    assert.match(result.stderr, /--alg "FOO"/)
    for (const alg of [
      'ES256',
      'EdDSA',
      'RS256',
      'PS256',
      'HS256',
      'ECDH-ES+A256KW',
      'RSA-OAEP-256',
      'A256KW',
      'A256GCM',
    ])
      assert.match(result.stderr, new RegExp(`[ ,]${alg.replace('+', '\\+')}(,|$)`, 'm'), alg)
    assert.doesNotMatch(result.stderr, /generateKeyPair|generateSecret/)
  })

  test('--bits, --crv: a bad value or one the algorithm does not take is a usage error naming the flag', () => {
    usageError(['keys', 'generate', '--alg', 'RS256', '--bits', 'lots'], '--bits', /whole number/)
    usageError(['keys', 'generate', '--alg', 'RS256', '--bits', '2047'], '--bits', /multiple of 8/)
    usageError(['keys', 'generate', '--alg', 'ES256', '--bits', '4096'], '--bits', /RSA keys only/)
    usageError(['keys', 'generate', '--alg', 'ES256', '--crv', 'P-384'], '--crv', /EdDSA and ECDH-ES/)
    usageError(['keys', 'generate', '--alg', 'EdDSA', '--crv', 'P-256'], '--crv', /Ed25519 or Ed448/)
    usageError(['keys', 'generate', '--alg', 'ECDH-ES', '--crv', 'P-1'], '--crv', /X25519/)
    usageError(['keys', 'generate', '--alg', 'PBES2-HS256+A128KW'], '--alg', /password/)
  })
})

describe('other flags', () => {
  test('compare --connections, --now and --format say what they accept', () => {
    usageError(['compare', '--connections', '0x10'], '--connections', /whole number, from 1 to 256/)
    usageError(['compare', '--connections', '0'], '--connections', /from 1 to 256/)
    usageError(['jwt', 'decode', '--now', 'someday', TOKEN], '--now', /ISO date/)
    usageError(['keys', 'generate', '--alg', 'ES256', '--format', 'der'], '--format', /jwk.*pem/)
  })

  test('a flag without its value, or one the command lacks, is a usage error naming it', () => {
    usageError(['jwt', 'sign', '--key', key, '--exp'], '--exp', /argument missing/)
    usageError(['jwt', 'decode', '--expiry', '1h', TOKEN], '--expiry', /--help/)
  })
})
