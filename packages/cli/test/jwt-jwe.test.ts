/**
 * @module jwt encrypt / decrypt through the built binary: each key-management family a user meets
 * (ECDH-ES+A256KW, RSA-OAEP-256 from PEM, A256KW and dir secrets), sign-then-encrypt with the inner
 * signature checked, refusals with codes, and interop with the `jose` npm package both ways.
 */
import assert from 'node:assert/strict'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import * as jose from 'jose'
import { stderrCode, tempDir, tessera } from './support/run-cli.js'

const dir = tempDir()
const at = (name: string) => join(dir.path, name)

function pair(alg: string, name: string, extra: string[] = []): void {
  const result = tessera(['keys', 'generate', '--alg', alg, '--out', at(name), '--public', ...extra])
  assert.equal(result.status, 0, result.stderr)
  writeFileSync(at(`pub-${name}`), result.stdout)
}

function ok(args: string[], input?: string): string {
  const result = tessera(args, input === undefined ? {} : { input })
  assert.equal(result.status, 0, result.stderr)
  return result.stdout.trim()
}

before(() => {
  pair('ECDH-ES+A256KW', 'ecdh.json')
  pair('RSA-OAEP-256', 'rsa.pem', ['--format', 'pem'])
  pair('ES256', 'sig.json')
  assert.equal(tessera(['keys', 'generate', '--alg', 'A256KW', '--out', at('kw.json')]).status, 0)
  assert.equal(tessera(['keys', 'generate', '--alg', 'A256GCM', '--out', at('dir.json')]).status, 0)
})
after(() => dir.remove())

describe('jwt encrypt → jwt decrypt', () => {
  const cases: Array<[string, string, string, string[]]> = [
    ['ECDH-ES+A256KW (EC P-256 JWK)', 'pub-ecdh.json', 'ecdh.json', []],
    ['RSA-OAEP-256 (PEM)', 'pub-rsa.pem', 'rsa.pem', ['--alg', 'RSA-OAEP-256']],
    ['A256KW (secret JWK)', 'kw.json', 'kw.json', []],
    ['dir + A256GCM (secret JWK)', 'dir.json', 'dir.json', ['--alg', 'dir']],
  ]
  for (const [title, encryptKey, decryptKey, extra] of cases) {
    test(`${title}: claims round trip, header names the algorithms`, () => {
      const token = ok([
        'jwt',
        'encrypt',
        '--key',
        at(encryptKey),
        ...extra,
        '--exp',
        '15m',
        '{"sub":"u1","email":"a@example.com"}',
      ])
      assert.equal(token.split('.').length, 5)
      const result = JSON.parse(ok(['jwt', 'decrypt', '--key', at(decryptKey), ...extra, '--json', token]))
      assert.equal(result.valid, true)
      assert.equal(result.payload.sub, 'u1')
      assert.equal(result.header.enc, 'A256GCM')
      assert.ok(
        !token.includes(Buffer.from('a@example.com').toString('base64url')),
        'claims are not readable',
      )
    })
  }

  test('sign-then-encrypt: --verify-key checks the inner signature; without it the inner token is shown unverified', () => {
    const token = ok([
      'jwt',
      'encrypt',
      '--key',
      at('pub-ecdh.json'),
      '--sign-key',
      at('sig.json'),
      '--exp',
      '5m',
      '--iss',
      'me',
      '{"sub":"n"}',
    ])
    const verified = JSON.parse(
      ok([
        'jwt',
        'decrypt',
        '--key',
        at('ecdh.json'),
        '--verify-key',
        at('pub-sig.json'),
        '--iss',
        'me',
        '--json',
        token,
      ]),
    )
    assert.equal(verified.valid, true)
    assert.equal(verified.header.alg, 'ES256')
    assert.equal(verified.encryptionHeader.cty, 'JWT')
    assert.equal(verified.payload.sub, 'n')

    const bare = tessera(['jwt', 'decrypt', '--key', at('ecdh.json'), token])
    assert.equal(bare.status, 0, bare.stderr)
    assert.match(bare.stderr, /NOT verified/)
    const inner = bare.stdout.trim()
    assert.equal(inner.split('.').length, 3)
    assert.equal(tessera(['jwt', 'verify', '--key', at('pub-sig.json')], { input: inner }).status, 0)
  })

  test('a signed JWT on stdin is wrapped as a nested JWT (cty "JWT")', () => {
    const signed = ok(['jwt', 'sign', '--key', at('sig.json'), '--exp', '5m', '{"sub":"piped"}'])
    const token = ok(['jwt', 'encrypt', '--key', at('pub-ecdh.json'), '--json'], signed)
    const output = JSON.parse(token)
    assert.equal(output.nested, true)
    assert.equal(output.header.cty, 'JWT')
  })

  test('a tampered ciphertext, or the wrong key, exits 1 with ERR_JWE_DECRYPTION_FAILED', () => {
    const token = ok(['jwt', 'encrypt', '--key', at('kw.json'), '--exp', '5m', '{"sub":"u1"}'])
    const parts = token.split('.')
    const ciphertext = Buffer.from(parts[3]!, 'base64url')
    ciphertext[0]! ^= 1
    parts[3] = ciphertext.toString('base64url')
    const tampered = tessera(['jwt', 'decrypt', '--key', at('kw.json'), '--json', parts.join('.')])
    assert.equal(tampered.status, 1)
    assert.equal(stderrCode(tampered.stderr), 'ERR_JWE_DECRYPTION_FAILED')
    assert.equal(JSON.parse(tampered.stdout).error.code, 'ERR_JWE_DECRYPTION_FAILED')

    assert.equal(tessera(['keys', 'generate', '--alg', 'A256KW', '--out', at('kw2.json')]).status, 0)
    const wrong = tessera(['jwt', 'decrypt', '--key', at('kw2.json'), token])
    assert.equal(wrong.status, 1)
    assert.equal(stderrCode(wrong.stderr), 'ERR_JWE_DECRYPTION_FAILED')
  })

  test('claims inside a JWE are checked like a JWS: expired at the injected time exits 1', () => {
    const token = ok([
      'jwt',
      'encrypt',
      '--key',
      at('kw.json'),
      '--exp',
      '1m',
      '--now',
      '2030-01-01T00:00:00Z',
      '{}',
    ])
    const late = tessera(['jwt', 'decrypt', '--key', at('kw.json'), '--now', '2030-01-01T00:05:00Z', token])
    assert.equal(late.status, 1)
    assert.equal(stderrCode(late.stderr), 'ERR_JWT_EXPIRED')
  })

  test('decrypting a JWS (three parts) is an invalid token, exit 1', () => {
    const signed = ok(['jwt', 'sign', '--key', at('sig.json'), '--exp', '5m', '{}'])
    const result = tessera(['jwt', 'decrypt', '--key', at('kw.json'), signed])
    assert.equal(result.status, 1)
    assert.equal(stderrCode(result.stderr), 'ERR_JWE_INVALID')
  })
})

describe('interop with the jose npm package', () => {
  test('jose decrypts what tessera encrypted, and tessera decrypts what jose encrypted', async () => {
    const privateJwk = JSON.parse(readFileSync(at('ecdh.json'), 'utf8'))
    const publicJwk = JSON.parse(readFileSync(at('pub-ecdh.json'), 'utf8'))
    const ours = ok(['jwt', 'encrypt', '--key', at('pub-ecdh.json'), '--exp', '5m', '{"sub":"to-jose"}'])
    const { payload } = await jose.jwtDecrypt(ours, await jose.importJWK(privateJwk, 'ECDH-ES+A256KW'))
    assert.equal(payload.sub, 'to-jose')

    const theirs = await new jose.EncryptJWT({ sub: 'from-jose' })
      .setProtectedHeader({ alg: 'ECDH-ES+A256KW', enc: 'A128CBC-HS256' })
      .setExpirationTime('5m')
      .encrypt(await jose.importJWK(publicJwk, 'ECDH-ES+A256KW'))
    const result = JSON.parse(ok(['jwt', 'decrypt', '--key', at('ecdh.json'), '--json', theirs]))
    assert.equal(result.payload.sub, 'from-jose')
  })

  test('tessera verifies what jose signed (EdDSA), and jose verifies what tessera signed (ES256)', async () => {
    const { publicKey, privateKey } = await jose.generateKeyPair('EdDSA', { extractable: true })
    writeFileSync(at('jose-ed.pub.json'), JSON.stringify(await jose.exportJWK(publicKey)))
    const theirs = await new jose.SignJWT({ sub: 'jose' })
      .setProtectedHeader({ alg: 'EdDSA' })
      .setExpirationTime('5m')
      .sign(privateKey)
    assert.equal(tessera(['jwt', 'verify', '--key', at('jose-ed.pub.json'), theirs]).status, 0)

    const ours = ok(['jwt', 'sign', '--key', at('sig.json'), '--exp', '5m', '{"sub":"ours"}'])
    const publicJwk = JSON.parse(readFileSync(at('pub-sig.json'), 'utf8'))
    const { payload } = await jose.jwtVerify(ours, await jose.importJWK(publicJwk, 'ES256'), {
      algorithms: ['ES256'],
    })
    assert.equal(payload.sub, 'ours')
  })
})
