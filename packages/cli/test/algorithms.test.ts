/**
 * @module Every JWS algorithm `keys generate` offers, through the built binary: generate → sign → verify
 * with the public half, and the same token refused under another algorithm's name.
 */
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import { stderrCode, tempDir, tessera } from './support/run-cli.js'

const dir = tempDir()
after(() => dir.remove())

const ASYMMETRIC = ['ES256', 'ES384', 'ES512', 'ES256K', 'EdDSA', 'Ed25519', 'Ed448', 'RS256', 'PS384']
const SYMMETRIC = ['HS256', 'HS384', 'HS512']

describe('generate → sign → verify, per algorithm', () => {
  for (const alg of [...ASYMMETRIC, ...SYMMETRIC]) {
    test(alg, () => {
      const key = join(dir.path, `${alg}.json`)
      const generated = tessera([
        'keys',
        'generate',
        '--alg',
        alg,
        '--out',
        key,
        ...(SYMMETRIC.includes(alg) ? [] : ['--public']),
      ])
      assert.equal(generated.status, 0, generated.stderr)
      let verifyKey = key
      if (!SYMMETRIC.includes(alg)) {
        verifyKey = join(dir.path, `${alg}.pub.json`)
        writeFileSync(verifyKey, generated.stdout)
        assert.equal(JSON.parse(generated.stdout).d, undefined)
      }
      const signed = tessera(['jwt', 'sign', '--key', key, '--exp', '5m', '--json', '{"sub":"alg-test"}'])
      assert.equal(signed.status, 0, signed.stderr)
      const { token, header } = JSON.parse(signed.stdout)
      assert.equal(header.alg, alg)
      const ok = tessera(['jwt', 'verify', '--key', verifyKey, token])
      assert.equal(ok.status, 0, ok.stderr)
      const other = alg === 'HS256' ? 'HS512' : 'HS256'
      const confused = tessera(['jwt', 'verify', '--key', verifyKey, '--alg', other, token])
      assert.equal(confused.status, 1)
      assert.equal(stderrCode(confused.stderr), 'ERR_JOSE_ALG_NOT_ALLOWED')
    })
  }
})
