/**
 * @module Outside production a `demo` user is seeded with a fresh random password each start, and the log
 * says so loudly; the password works, and a restart replaces it.
 */
import assert from 'node:assert/strict'
import { rmSync } from 'node:fs'
import { test } from 'node:test'
import { login, startTestServer, tempDir } from '../helpers/test-server.js'

test('the demo user logs in with the password printed at start, and a restart changes it', async () => {
  const dir = tempDir()
  const first = await startTestServer({ demoUser: true }, { dir })
  const password = first.server.demoPassword!
  assert.match(password, /^[A-Za-z0-9][A-Za-z0-9_-]{19}$/)
  assert.ok(
    first.logs.some(
      (line) => line.includes('DEMO USER') && line.includes(password) && line.includes('"level":40'),
    ),
  )
  await login(first, 'demo', password)
  await first.stop()

  const second = await startTestServer({ demoUser: true }, { dir })
  assert.notEqual(second.server.demoPassword, password)
  assert.equal((await second.post('/auth/login', { username: 'demo', password })).status, 401)
  await login(second, 'demo', second.server.demoPassword!)
  await second.stop()
  rmSync(dir, { recursive: true, force: true })
})
