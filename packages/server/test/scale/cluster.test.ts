/**
 * @module `--cluster 3` on one SQLite file: one port, requests spread over three worker processes, the
 * demo user seeded once, a killed worker replaced, and SIGTERM stopping them all gracefully.
 */
import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
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
  const deadline = Date.now() + 20_000
  while (!logs.includes('\n')) {
    assert.ok(Date.now() < deadline, 'the cluster did not log within 20 s')
    await sleep(50)
  }
  const first = JSON.parse(logs.slice(0, logs.indexOf('\n'))) as { msg: string }
  url = /^tessera listening on (\S+)$/.exec(first.msg)![1]!
  // Wait for the other two workers' "listening" lines.
  while ((logs.match(/tessera listening on/g) ?? []).length < 3) {
    assert.ok(Date.now() < deadline, 'three workers did not listen within 20 s')
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
  const deadline = Date.now() + 20_000
  while ((logs.match(/tessera listening on/g) ?? []).length < 4) {
    assert.ok(Date.now() < deadline, 'no replacement worker within 20 s')
    await sleep(50)
  }
  const statuses = await Promise.all(Array.from({ length: 12 }, () => fresh('/.well-known/jwks.json')))
  assert.deepEqual(statuses, Array(12).fill(200))
  // Whichever worker it was, the demo password printed at start still holds.
  assert.equal((logs.match(/DEMO USER/g) ?? []).length, 1)
})

test('SIGTERM stops every worker gracefully and the primary exits 0', async () => {
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  child.kill('SIGTERM')
  assert.equal(await exited, 0)
  await assert.rejects(fresh('/.well-known/jwks.json'), { code: 'ECONNREFUSED' })
})
