/**
 * @module Instances started at the same moment on an empty database — an SQLite file, and a fresh PostgreSQL
 * schema — all come up: one runs the start-up writes (migrations, development secret, first signing key,
 * demo user) and the others find them made. Each prints the same demo credentials, exactly one `demo` user
 * and one signing key exist, and every instance accepts that login and the others' tokens.
 */
import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { loadConfig, openStore, type ServerConfig } from '../../src/index.js'
import { freshDatabase, servicesMissing, skipLoudly } from '../helpers/services.js'

const script = fileURLToPath(new URL('./serve-instance.ts', import.meta.url))
const SECRET = 'start-together-secret-0123456789abcdef'
const INSTANCES = 3

interface Started {
  child: ChildProcess
  url: string
  password: string
}

/** Spawns one instance; resolves once it printed where it listens and the demo credentials. */
function spawnInstance(overrides: Partial<ServerConfig>): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, JSON.stringify(overrides)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  child.stderr!.on('data', (chunk) => {
    err += chunk
  })
  return new Promise((resolve, reject) => {
    let started = false
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`an instance did not start in 60 s; stderr: ${err}`))
    }, 60_000)
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      if (!started)
        reject(
          new Error(`an instance exited (${signal ?? code}) while starting; stderr: ${err}; stdout: ${out}`),
        )
    })
    child.stdout!.on('data', (chunk) => {
      out += chunk
      const url = /"msg":"tessera listening on (\S+?)"/.exec(out)?.[1]
      const password = /"msg":"demo credentials: username demo {2}password (\S+?)"/.exec(out)?.[1]
      if (!started && url && password) {
        started = true
        clearTimeout(timer)
        resolve({ child, url, password })
      }
    })
  })
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((done) => {
    if (child.exitCode !== null) return done(child.exitCode)
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000)
    child.once('exit', (code) => {
      clearTimeout(timer)
      done(code)
    })
    child.kill('SIGTERM')
  })
}

async function loginAt(url: string, password: string): Promise<{ access_token: string }> {
  const response = await fetch(`${url}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'demo', password }),
  })
  const body = await response.text()
  assert.equal(response.status, 200, `login at ${url}: ${body}`)
  return JSON.parse(body) as { access_token: string }
}

async function startTogether(database: Partial<ServerConfig>): Promise<void> {
  // One issuer for all, as behind a load balancer: each would otherwise name its own port.
  const overrides = { issuer: 'http://127.0.0.1:8080', ...database }
  const settled = await Promise.allSettled(Array.from({ length: INSTANCES }, () => spawnInstance(overrides)))
  const started = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []))
  try {
    const failures = settled.flatMap((s) => (s.status === 'rejected' ? [String(s.reason)] : []))
    assert.deepEqual(failures, [], 'every instance comes up')
    const passwords = new Set(started.map((s) => s.password))
    assert.equal(passwords.size, 1, 'every instance prints the same demo password')
    const [password] = passwords

    const tokens = []
    for (const instance of started) tokens.push((await loginAt(instance.url, password!)).access_token)
    // One signing key: a token from any instance is accepted by every other.
    for (const [i, instance] of started.entries()) {
      const other = tokens[(i + 1) % tokens.length]!
      const me = await fetch(`${instance.url}/me`, { headers: { authorization: `Bearer ${other}` } })
      const body = await me.text()
      assert.equal(me.status, 200, `${instance.url} accepts a token another instance issued: ${body}`)
    }

    const store = await openStore(loadConfig({ secret: SECRET, ...overrides }).database)
    try {
      const demo = (await store.users.list()).filter((u) => u.username === 'demo')
      assert.equal(demo.length, 1, 'exactly one demo user')
      const algs = (await store.signingKeys.list()).map((k) => k.alg).sort()
      assert.deepEqual(algs, ['ES256', 'EdDSA', 'RS256'], 'exactly one signing key per algorithm')
    } finally {
      await store.close()
    }
  } finally {
    const codes = await Promise.all(started.map((s) => stop(s.child)))
    assert.deepEqual(
      codes,
      started.map(() => 0),
      'each instance closes gracefully',
    )
  }
}

const missing = await servicesMissing()

describe(`${INSTANCES} instances started at once on an empty database`, () => {
  test('SQLite file (no TESSERA_SECRET: one development secret is written and shared)', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-start-together-'))
    t.after(() => rmSync(dir, { recursive: true, force: true }))
    await startTogether({ database: `sqlite:${join(dir, 'tessera.db')}` })
  })

  if (missing) {
    skipLoudly('PostgreSQL: instances started at once on a fresh schema', missing)
  } else {
    test('a fresh PostgreSQL schema', async (t) => {
      const db = freshDatabase('start_together')
      t.after(() => db.drop())
      await startTogether({ database: db.url, secret: SECRET })
    })
  }
})
