/**
 * @module `--cluster 3` on one SQLite file: one port, requests spread over three worker processes, the
 * demo user seeded once, a killed worker replaced (the demo password unchanged), SIGTERM stopping them all
 * gracefully; and a cluster whose first worker cannot start exits non-zero instead of replacing it forever.
 */
import assert from 'node:assert/strict'
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { get } from 'node:http'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { TEST_SECRET, tempDir } from '../helpers/test-server.js'

const dir = tempDir()
let child: ChildProcess
let url: string
let logs = ''

/** A GET on a fresh connection (no keep-alive), so the cluster may hand it to any worker. */
const fresh = (path: string) =>
  new Promise<number>((resolve, reject) => {
    get(url + path, { agent: false }, (response) => {
      response.resume()
      resolve(response.statusCode!)
    }).on('error', reject)
  })

/** Every password the "demo credentials" lines printed. */
const demoPasswords = () =>
  new Set([...logs.matchAll(/demo credentials: username demo {2}password (\S+?)"/g)].map((m) => m[1]))

const loginStatus = async (password: string) =>
  (
    await fetch(`${url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'demo', password }),
    })
  ).status

/** The worker pids that completed requests, from the JSON log lines (pino adds `pid`). */
const servingPids = () =>
  new Set(
    logs
      .split('\n')
      .filter((line) => line.includes('"request completed"'))
      .map((line) => (JSON.parse(line) as { pid: number }).pid),
  )

before(async () => {
  const script = fileURLToPath(new URL('../helpers/cluster-child.ts', import.meta.url))
  const config = {
    cluster: 3,
    database: `sqlite:${join(dir, 'cluster.db')}`,
    secret: TEST_SECRET,
    demoUser: true,
    // Answers below 400 are logged at debug: the test counts "request completed" lines per worker.
    logLevel: 'debug',
  }
  child = spawn(process.execPath, ['--import', 'tsx', script, JSON.stringify(config)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  child.stdout!.on('data', (chunk) => {
    logs += chunk
  })
  // Generous: each worker imports a key per algorithm, and CI machines are shared.
  const deadline = Date.now() + 60_000
  while (!logs.includes('\n')) {
    assert.ok(Date.now() < deadline, 'the cluster did not log within 60 s')
    await sleep(50)
  }
  const first = JSON.parse(logs.slice(0, logs.indexOf('\n'))) as { msg: string }
  url = /^tessera listening on (\S+)$/.exec(first.msg)![1]!
  // Wait for the other two workers' "listening" lines.
  while ((logs.match(/tessera listening on/g) ?? []).length < 3) {
    assert.ok(Date.now() < deadline, 'three workers did not listen within 60 s')
    await sleep(50)
  }
})

after(() => {
  if (child.exitCode === null) child.kill('SIGKILL')
  rmSync(dir, { recursive: true, force: true })
})

test('three workers share one port; fresh connections are spread over all of them', async () => {
  const statuses = await Promise.all(Array.from({ length: 30 }, () => fresh('/.well-known/jwks.json')))
  assert.deepEqual(statuses, Array(30).fill(200))
  await sleep(100)
  assert.equal(servingPids().size, 3)
})

test('the demo user is seeded once (one password in the log), not once per worker', () => {
  assert.equal((logs.match(/DEMO USER/g) ?? []).length, 1)
})

test('a killed worker is replaced and the port keeps answering', async () => {
  const victim = [...servingPids()][0]!
  process.kill(victim, 'SIGKILL')
  const deadline = Date.now() + 60_000
  while ((logs.match(/tessera listening on/g) ?? []).length < 4) {
    assert.ok(Date.now() < deadline, 'no replacement worker within 60 s')
    await sleep(50)
  }
  const statuses = await Promise.all(Array.from({ length: 12 }, () => fresh('/.well-known/jwks.json')))
  assert.deepEqual(statuses, Array(12).fill(200))
  // Whichever worker it was, the demo password printed at start still holds (a replaced first worker
  // prints it again, unchanged: it is kept beside the database).
  const passwords = demoPasswords()
  assert.equal(passwords.size, 1)
  assert.equal(await loginStatus([...passwords][0]!), 200)
})

test('SIGTERM stops every worker gracefully and the primary exits 0', async () => {
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  child.kill('SIGTERM')
  assert.equal(await exited, 0)
  await assert.rejects(fresh('/.well-known/jwks.json'), { code: 'ECONNREFUSED' })
})

test('a first worker that cannot open the database fails the start: exit 1 with the reason, no respawning', () => {
  const script = fileURLToPath(new URL('../helpers/cluster-child.ts', import.meta.url))
  // The SQLite "file" is a directory: no worker can open it.
  const config = { cluster: 2, database: `sqlite:${dir}`, secret: TEST_SECRET, demoUser: false }
  const result = spawnSync(process.execPath, ['--import', 'tsx', script, JSON.stringify(config)], {
    encoding: 'utf8',
    timeout: 60_000,
  })
  assert.equal(result.error, undefined)
  assert.equal(result.status, 1, result.stderr)
  assert.match(result.stderr, /cannot open the SQLite database/)
  assert.match(result.stderr, /the first worker exited \(status 1\) before listening/)
  assert.doesNotMatch(result.stderr, /starting a new one/)
})
