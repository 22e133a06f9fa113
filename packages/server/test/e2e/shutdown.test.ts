/**
 * @module Graceful shutdown: requests in flight when close() starts still get their answer; new
 * connections are refused afterwards.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { register, startTestServer } from '../helpers/test-server.js'

test('close() lets an in-flight login finish, then stops listening', async () => {
  // Requests are logged at debug: the test watches for the login's "incoming request" line.
  const t = await startTestServer({ logLevel: 'debug' })
  await register(t, 'vera')
  // A login spends ~50 ms in argon2id: close() starts while it is in flight.
  const seen = () =>
    t.logs.filter((line) => line.includes('incoming request') && line.includes('/auth/login')).length
  const inFlight = t.post('/auth/login', { username: 'vera', password: 'correct horse battery staple' })
  // Wait until the server has the request (its log line), not for a guessed time.
  while (seen() === 0) await new Promise((resolve) => setImmediate(resolve))
  const closing = t.stop()
  const response = await inFlight
  assert.equal(response.status, 200)
  assert.equal(typeof ((await response.json()) as { access_token: string }).access_token, 'string')
  await closing
  await assert.rejects(fetch(`${t.url}/.well-known/jwks.json`))
  await t.cleanup()
})
