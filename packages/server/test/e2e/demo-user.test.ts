/**
 * @module Outside production a `demo` user is seeded, its password kept beside the SQLite database (mode
 * 0600) the way the development secret is, so a restart keeps it; the log prints the credentials on a line
 * of their own. Seeding is idempotent: a restart, or a `demo` whose password or status was changed, ends
 * with one enabled `demo` that logs in with the printed password.
 */
import assert from 'node:assert/strict'
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { DEMO_PASSWORD_FILE } from '../../src/startup/demo-user.js'
import { login, startTestServer, tempDir } from '../helpers/test-server.js'

const PASSWORD = /^[A-Za-z0-9][A-Za-z0-9_-]{19}$/

test('the demo password is printed on its own line, works, and survives a restart', async (t) => {
  const dir = tempDir()
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  const first = await startTestServer({ demoUser: true }, { dir })
  const password = first.server.demoPassword!
  assert.match(password, PASSWORD)
  const messages = first.logs.map((line) => JSON.parse(line) as { level: number; msg: string })
  const credentials = messages.filter((m) => m.msg.includes(password))
  assert.deepEqual(credentials, [
    { ...credentials[0], level: 40, msg: `demo credentials: username demo  password ${password}` },
  ])
  assert.ok(messages.some((m) => m.msg.includes('DEMO USER') && m.msg.includes(DEMO_PASSWORD_FILE)))

  const file = join(dir, DEMO_PASSWORD_FILE)
  assert.equal(readFileSync(file, 'utf8'), `${password}\n`)
  assert.equal(statSync(file).mode & 0o777, 0o600)
  await login(first, 'demo', password)
  await first.stop()

  const second = await startTestServer({ demoUser: true }, { dir })
  assert.equal(second.server.demoPassword, password)
  await login(second, 'demo', password)
  // One demo user, however many starts.
  assert.equal(
    (await second.server.services.store.users.list()).filter((u) => u.username === 'demo').length,
    1,
  )
  await second.stop()
})

test('a demo user changed in between (password, disabled) is brought back to the kept password', async (t) => {
  const dir = tempDir()
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  const first = await startTestServer({ demoUser: true }, { dir })
  const password = first.server.demoPassword!
  const { store, users, clock } = first.server.services
  const demo = (await store.users.findByUsername('demo'))!
  await store.users.setPasswordHash(demo.id, await users.hasher.hash('another password entirely'), clock())
  await store.users.setDisabled(demo.id, true, clock())
  await first.stop()

  const second = await startTestServer({ demoUser: true }, { dir })
  assert.equal(second.server.demoPassword, password)
  await login(second, 'demo', password)
  await second.stop()
})

test('an unusable kept password file is replaced by a fresh password, which then works', async (t) => {
  const dir = tempDir()
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  writeFileSync(join(dir, DEMO_PASSWORD_FILE), '\n')
  const server = await startTestServer({ demoUser: true }, { dir })
  const password = server.server.demoPassword!
  assert.match(password, PASSWORD)
  assert.equal(readFileSync(join(dir, DEMO_PASSWORD_FILE), 'utf8'), `${password}\n`)
  await login(server, 'demo', password)
  await server.stop()
})
