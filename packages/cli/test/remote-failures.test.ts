/**
 * @module What happens when the far end is not there: a JWKS URL or a compare target that refuses the
 * connection is an invalid/failed result (exit 1) with a code, quickly, never a hang or a stack trace.
 */
import assert from 'node:assert/strict'
import { createServer } from 'node:net'
import { describe, test } from 'node:test'
import { stderrCode, tessera } from './support/run-cli.js'

/** A loopback port with nothing listening on it (bound, read, closed). */
async function deadPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

const TOKEN = `${Buffer.from('{"alg":"ES256","kid":"k"}').toString('base64url')}.${Buffer.from('{}').toString('base64url')}.AAAA`

describe('unreachable servers', () => {
  test('jwt verify against a JWKS URL nobody answers: exit 1, ERR_JWKS_FETCH_FAILED', async () => {
    const port = await deadPort()
    const result = tessera([
      'jwt',
      'verify',
      '--key',
      `http://127.0.0.1:${port}/.well-known/jwks.json`,
      TOKEN,
    ])
    assert.equal(result.status, 1, result.stderr)
    assert.equal(stderrCode(result.stderr), 'ERR_JWKS_FETCH_FAILED')
  })

  test('a JWKS URL over plain http to a non-loopback host is refused before any request (exit 2)', () => {
    const result = tessera(['jwt', 'verify', '--key', 'http://example.invalid/jwks.json', TOKEN])
    assert.equal(result.status, 2)
    assert.equal(stderrCode(result.stderr), 'ERR_CLI_KEY_FILE')
    assert.match(result.stderr, /https/)
  })

  test('compare against a port nobody answers: exit 1, ERR_CLI_REMOTE naming the URL', async () => {
    const port = await deadPort()
    // As an existing user, so no store is needed on this side (serve.test.ts covers the throwaway user).
    const result = tessera(
      ['compare', '--url', `http://127.0.0.1:${port}`, '--username', 'someone', '--duration', '1s'],
      { env: { TESSERA_COMPARE_PASSWORD: 'not-a-real-password' } },
    )
    assert.equal(result.status, 1, result.stderr)
    assert.equal(stderrCode(result.stderr), 'ERR_CLI_REMOTE')
    assert.match(result.stderr, new RegExp(`127\\.0\\.0\\.1:${port}`))
  })
})
