/**
 * @module An answer still in flight when close() starts ends its keep-alive connection
 * (`Connection: close`): closing only drops the connections idle at that moment, so a busy one used to
 * hold the process open for the whole keep-alive timeout (72 s) after its answer.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { register, startTestServer } from '../helpers/test-server.js'

test('an answer in flight at close() says Connection: close, so close() need not wait out keep-alive', async () => {
  const t = await startTestServer({ logLevel: 'debug' })
  await register(t, 'kai')
  // Before close: keep-alive, as usual.
  const before = await t.post('/auth/login', { username: 'kai', password: 'correct horse battery staple' })
  assert.equal(before.headers.get('connection'), 'keep-alive')
  await before.arrayBuffer()
  const arrived = () =>
    t.logs.filter((l) => l.includes('incoming request') && l.includes('/auth/login')).length
  const seen = arrived()
  const inFlight = t.post('/auth/login', { username: 'kai', password: 'correct horse battery staple' })
  while (arrived() === seen) await new Promise((resolve) => setImmediate(resolve))
  const closing = t.stop()
  const response = await inFlight
  assert.equal(response.status, 200)
  assert.equal(response.headers.get('connection'), 'close')
  await response.arrayBuffer()
  await closing
  await t.cleanup()
})
