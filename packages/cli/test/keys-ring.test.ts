/**
 * @module `tessera keys list|rotate|export-jwks` on a server's key ring in a temp SQLite store: rotation
 * publishes the next key before it signs; only public keys are ever exported.
 */
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import { tempDir, tessera } from './support/run-cli.js'

const dir = tempDir()
const database = `sqlite:${join(dir.path, 'keys.db')}`
after(() => dir.remove())

function keys(args: string[]) {
  return tessera(['keys', ...args, '--database', database], { cwd: dir.path })
}

interface KeyInfo {
  kid: string
  alg: string
  status: string
  activatesAt: string
}

describe('tessera keys (server key ring)', () => {
  test('list creates the first key of each algorithm on a new store; they sign now', () => {
    const result = keys(['list', '--json'])
    assert.equal(result.status, 0, result.stderr)
    const list = JSON.parse(result.stdout) as KeyInfo[]
    // ES256 signs access tokens; RS256, ES256 and EdDSA sign ID tokens.
    assert.deepEqual(list.map((key) => key.alg).sort(), ['ES256', 'EdDSA', 'RS256'])
    assert.ok(list.every((key) => key.status === 'signing'))
  })

  test('rotate adds a pending key, published at once; --immediate makes one sign now', () => {
    const rotated = keys(['rotate', '--json'])
    assert.equal(rotated.status, 0, rotated.stderr)
    const next = JSON.parse(rotated.stdout) as KeyInfo
    assert.equal(next.status, 'pending')
    assert.ok(Date.parse(next.activatesAt) > Date.now())
    const jwks = JSON.parse(keys(['export-jwks']).stdout) as { keys: Array<{ kid: string; d?: string }> }
    assert.ok(
      jwks.keys.some((key) => key.kid === next.kid),
      'the pending key is already published',
    )
    assert.ok(
      jwks.keys.every((key) => key.d === undefined),
      'public keys only',
    )

    const urgent = JSON.parse(keys(['rotate', '--immediate', '--json']).stdout) as KeyInfo
    assert.equal(urgent.status, 'signing')
    const list = JSON.parse(keys(['list', '--json']).stdout) as KeyInfo[]
    // Each rotation renews every algorithm; one key of each signs.
    assert.equal(list.length, 9)
    assert.deepEqual(
      list
        .filter((key) => key.status === 'signing')
        .map((key) => key.alg)
        .sort(),
      ['ES256', 'EdDSA', 'RS256'],
    )
    const text = keys(['list'])
    assert.match(text.stdout, /^KID\s+ALG\s+STATUS/)
  })
})
