/**
 * @module `--cluster 3` on one SQLite file: a logout answered by one worker is refused by every worker
 * at once (the notice goes through the primary's IPC relay), on fresh connections spread over all three.
 */
import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import { rmSync } from 'node:fs'
import { request } from 'node:http'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { TEST_SECRET, tempDir } from '../helpers/test-server.js'

const dir = tempDir()
let child: ChildProcess
let url: string
let logs = ''

/** A request on a fresh connection (no keep-alive), so the cluster may hand it to any worker. */
const fresh = (method: string, path: string, headers: Record<string, string>, body?: string) =>
  new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(url + path, { method, headers, agent: false }, (response) => {
      let text = ''
      response.on('data', (chunk) => {
        text += chunk
      })
      response.on('end', () => resolve({ status: response.statusCode!, body: text }))
    })
    req.on('error', reject)
    req.end(body)
  })
const json = { 'content-type': 'application/json' }

before(async () => {
  const script = fileURLToPath(new URL('../helpers/cluster-child.ts', import.meta.url))
  const config = { cluster: 3, database: `sqlite:${join(dir, 'c.db')}`, secret: TEST_SECRET, demoUser: false }
  child = spawn(process.execPath, ['--import', 'tsx', script, JSON.stringify(config)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  child.stdout!.on('data', (chunk) => {
    logs += chunk
  })
  const deadline = Date.now() + 60_000
  while ((logs.match(/tessera listening on/g) ?? []).length < 3) {
    assert.ok(Date.now() < deadline, 'three workers did not listen within 60 s')
    await sleep(50)
  }
  url = /tessera listening on (\S+?)"/.exec(logs)![1]!
})

after(() => {
  if (child.exitCode === null) child.kill('SIGKILL')
  rmSync(dir, { recursive: true, force: true })
})

test('a logout on one worker is refused by all three at once', async () => {
  const credentials = JSON.stringify({ username: 'wren', password: 'correct horse battery staple' })
  assert.equal((await fresh('POST', '/auth/register', json, credentials)).status, 201)
  for (let round = 0; round < 3; round++) {
    const tokens = JSON.parse((await fresh('POST', '/auth/login', json, credentials)).body) as {
      access_token: string
      refresh_token: string
    }
    const auth = { authorization: `Bearer ${tokens.access_token}` }
    // Fresh connections land on every worker, so each has verified (and cached) the token.
    const before = await Promise.all(Array.from({ length: 9 }, () => fresh('GET', '/me', auth)))
    assert.deepEqual(
      before.map((r) => r.status),
      Array(9).fill(200),
    )
    const logout = await fresh(
      'POST',
      '/auth/logout',
      json,
      JSON.stringify({ refresh_token: tokens.refresh_token }),
    )
    assert.equal(logout.status, 204)
    const after = await Promise.all(Array.from({ length: 9 }, () => fresh('GET', '/me', auth)))
    assert.deepEqual(
      after.map((r) => r.status),
      Array(9).fill(401),
    )
  }
})
