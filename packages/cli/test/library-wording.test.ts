/**
 * @module Failures that come from the library are shown in the CLI's words: where @tessera/jose's
 * message names one of its functions or options (`compactVerify`, `allowHttp: true`, `clockTolerance`,
 * `keyManagementAlgorithms`…), the CLI names its own command or flag, and the library's code is kept.
 */
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { createRemoteJWKSet } from '@tessera/jose'
import { cliWording, LIBRARY_NAMES } from '../src/library-wording.js'
import { type CliResult, stderrCode, tempDir, tessera } from './support/run-cli.js'

const dir = tempDir()
const file = (name: string) => join(dir.path, name)
const NOW = '2030-01-01T00:00:00Z'
let jws = ''
let jwe = ''
let rsa15 = ''

function ok(args: string[]): string {
  const result = tessera(args)
  assert.equal(result.status, 0, `${args.join(' ')}\n${result.stderr}`)
  return result.stdout
}

before(() => {
  writeFileSync(
    file('pub.json'),
    ok(['keys', 'generate', '--alg', 'ES256', '--out', file('key.json'), '--public']),
  )
  writeFileSync(
    file('enc.pub.json'),
    ok(['keys', 'generate', '--alg', 'ECDH-ES+A256KW', '--out', file('enc.json'), '--public']),
  )
  writeFileSync(
    file('rsa.pub.json'),
    ok(['keys', 'generate', '--alg', 'RSA-OAEP-256', '--out', file('rsa.json'), '--public']),
  )
  jws = ok(['jwt', 'sign', '--key', file('key.json'), '--exp', '15m', '--now', NOW, '{"sub":"u1"}']).trim()
  jwe = ok([
    'jwt',
    'encrypt',
    '--key',
    file('enc.pub.json'),
    '--exp',
    '15m',
    '--now',
    NOW,
    '{"sub":"u1"}',
  ]).trim()
  // The library never produces RSA1_5, and refuses it by its header before touching the other parts.
  rsa15 = `${Buffer.from('{"alg":"RSA1_5","enc":"A256GCM"}').toString('base64url')}.a2V5.aXY.Y3Q.dGFn`
})
after(() => dir.remove())

const failures: CliResult[] = []

function fails(args: string[], code: string, wording: RegExp): void {
  const result = tessera(args)
  failures.push(result)
  assert.equal(result.status, code.startsWith('ERR_CLI_') ? 2 : 1, `${args.join(' ')}\n${result.stderr}`)
  assert.equal(stderrCode(result.stderr), code, result.stderr)
  assert.match(result.stderr, wording)
}

describe('library messages in CLI words', () => {
  test('a JWE given to jwt verify: decrypt it with "tessera jwt decrypt" (ERR_JWS_INVALID)', () => {
    fails(
      ['jwt', 'verify', '--key', file('pub.json'), jwe],
      'ERR_JWS_INVALID',
      /tessera jwt decrypt --key FILE/,
    )
  })

  test('a JWS given to jwt decrypt: verify it with "tessera jwt verify" (ERR_JWE_INVALID)', () => {
    fails(
      ['jwt', 'decrypt', '--key', file('enc.json'), jws],
      'ERR_JWE_INVALID',
      /tessera jwt verify --key FILE/,
    )
  })

  test('an unsecured token: "tessera jwt decode" shows it (ERR_JOSE_ALG_NOT_ALLOWED)', () => {
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{}').toString('base64url')}.`
    fails(
      ['jwt', 'verify', '--key', file('pub.json'), none],
      'ERR_JOSE_ALG_NOT_ALLOWED',
      /tessera jwt decode/,
    )
  })

  test('--verify-key on a JWE that holds no signed JWT: decrypt it without --verify-key', () => {
    const args = [
      'jwt',
      'decrypt',
      '--key',
      file('enc.json'),
      '--verify-key',
      file('pub.json'),
      '--now',
      NOW,
      jwe,
    ]
    fails(args, 'ERR_JWT_INVALID', /without --verify-key/)
  })

  test('a key management or content encryption not accepted: name it with --alg / --enc', () => {
    const decrypt = ['jwt', 'decrypt', '--key', file('enc.json'), '--now', NOW]
    fails(
      [...decrypt, '--alg', 'ECDH-ES', jwe],
      'ERR_JOSE_ALG_NOT_ALLOWED',
      /accepted \(ECDH-ES\); name it with --alg/,
    )
    fails(
      [...decrypt, '--enc', 'A128GCM', jwe],
      'ERR_JOSE_ALG_NOT_ALLOWED',
      /accepted \(A128GCM\); name it with --enc/,
    )
    fails(
      ['jwt', 'decrypt', '--key', file('rsa.json'), rsa15],
      'ERR_JOSE_ALG_NOT_ALLOWED',
      /named with --alg RSA1_5/,
    )
  })

  test('"iat" in the future and a token too old speak of --leeway and --max-age', () => {
    const verify = ['jwt', 'verify', '--key', file('pub.json'), '--max-age', '1h']
    fails([...verify, '--now', '2029-12-31T23:00:00Z', jws], 'ERR_JWT_CLAIM_INVALID', /now plus --leeway/)
    fails(
      [...verify, '--now', '2030-01-01T00:10:00Z', '--max-age', '5m', jws],
      'ERR_JWT_EXPIRED',
      /older than --max-age/,
    )
  })

  test('a plain-http JWKS URL off loopback: no library option in the reason (ERR_CLI_KEY_FILE)', () => {
    fails(
      ['jwt', 'verify', '--key', 'http://auth.example/jwks.json', jws],
      'ERR_CLI_KEY_FILE',
      /loopback host/,
    )
  })

  test('no failure above names a library function or option', () => {
    assert.ok(failures.length >= 10, `ran ${failures.length}`)
    for (const result of failures) {
      for (const name of LIBRARY_NAMES)
        assert.ok(!result.stderr.includes(name), `${name} in: ${result.stderr}`)
    }
  })
})

describe('JWKS URL failures, as the library raises them, in CLI words', () => {
  test('too large (declared or streamed) and too slow: no option name left, the limit still given', async () => {
    // In process, because the CLI runs synchronously in these tests and could not be answered meanwhile.
    const server = createServer((request, response) => {
      if (request.url === '/big') {
        response.write(`{"keys":[${' '.repeat(5000)}`)
        response.end(']}')
      } else if (request.url === '/declared')
        response.writeHead(200, { 'content-length': '999999' }).write('{')
      // Anything else is never answered; /big is streamed (chunked), so only its bytes tell its size.
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    try {
      // Only /slow is meant to time out: the size refusals get a timeout no busy machine reaches (a CI run
      // once took over 100 ms to answer /big and got ERR_JWKS_TIMEOUT).
      const expected: Record<string, [string, RegExp, number]> = {
        '/big': ['ERR_JWKS_FETCH_FAILED', /larger than the limit of 1000 bytes/, 10_000],
        '/declared': ['ERR_JWKS_FETCH_FAILED', /declares 999999 bytes; the limit is 1000 bytes/, 10_000],
        '/slow': ['ERR_JWKS_TIMEOUT', /took longer than 100 ms/, 100],
      }
      for (const [path, [code, wording, timeoutDuration]] of Object.entries(expected)) {
        const set = createRemoteJWKSet(`${base}${path}`, { maxResponseSize: 1000, timeoutDuration })
        const error = await (async () => {
          try {
            await (set as unknown as (header: object, token: object) => Promise<unknown>)(
              { alg: 'ES256' },
              {},
            )
          } catch (caught) {
            return caught as { code: string; message: string }
          }
          assert.fail(`${path} resolved`)
        })()
        assert.equal(error.code, code, path)
        const shown = cliWording(error.message)
        assert.match(shown, wording, path)
        for (const name of LIBRARY_NAMES) assert.ok(!shown.includes(name), `${name} in: ${shown}`)
      }
    } finally {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  })
})
