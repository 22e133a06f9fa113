/**
 * @module A Redis that stops answering or goes away, on a private redis-server this test starts (never
 * the shared one), behind the SQLite store: sessions and counters, which live only in Redis, fail with
 * ERR_STORE_UNAVAILABLE within a couple of seconds instead of hanging; the revoked-session cache falls
 * back to SQL; once Redis answers again everything works without a restart of the store.
 */
import assert from 'node:assert/strict'
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { Redis } from 'ioredis'
import { openStore, type Store } from '../../src/index.js'
import { skipLoudly } from '../helpers/services.js'
import { tempDir } from '../helpers/test-server.js'
import { T0 } from './store-conformance.js'

/** The store's Redis command timeout is 2 s; anything much slower is a hang. */
const PROMPT_MS = 3500

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      )
    })
  })

async function answers(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null })
  client.on('error', () => {})
  try {
    await client.connect()
    return (await client.ping()) === 'PONG'
  } catch {
    return false
  } finally {
    client.disconnect()
  }
}

const missing =
  spawnSync('redis-server', ['--version']).status === 0 ? undefined : 'redis-server is not installed'
if (missing && process.env.TESSERA_REQUIRE_SERVICES === '1')
  throw new Error(`TESSERA_REQUIRE_SERVICES=1 but ${missing}`)
if (missing) {
  skipLoudly('Redis fail-fast on a private redis-server', missing)
} else {
  let port: number
  let url: string
  let child: ChildProcess | undefined
  let store: Store
  const dir = tempDir()

  const startRedis = async () => {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    )
    for (let i = 0; i < 200 && !(await answers(url)); i++) await sleep(50)
  }
  const stopRedis = async () => {
    const running = child
    child = undefined
    if (!running || running.exitCode !== null) return
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve())
      running.kill('SIGKILL')
    })
  }
  /** Resolves with how long `step` took and how it ended. */
  const timed = async (step: () => Promise<unknown>) => {
    const started = Date.now()
    try {
      await step()
      return { ms: Date.now() - started, code: 'ok' }
    } catch (error) {
      return { ms: Date.now() - started, code: (error as { code?: string }).code ?? String(error) }
    }
  }
  const session = {
    hash: 'a'.repeat(64),
    userId: 'u-1',
    createdAt: T0,
    lastSeenAt: T0,
    idleExpiresAt: T0 + 60_000,
    absoluteExpiresAt: Date.now() + 3_600_000,
    csrfToken: null,
  }

  before(async () => {
    port = await freePort()
    url = `redis://127.0.0.1:${port}`
    await startRedis()
    store = await openStore(`sqlite:${join(dir, 'store.db')}`, { redis: url })
    await store.users.create({ id: 'u-1', username: 'una', passwordHash: 'h', createdAt: T0 })
    await store.refresh.createFamily(
      {
        id: 'fam-1',
        userId: 'u-1',
        clientId: 'web',
        scope: 'api',
        cookieBound: false,
        createdAt: T0,
        absoluteExpiresAt: T0 + 1e9,
      },
      { hash: 'h0', generation: 0, createdAt: T0, idleExpiresAt: T0 + 1e9 },
    )
    await store.sessions.create(session)
  })

  after(async () => {
    child?.kill('SIGCONT')
    await stopRedis()
    await store?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  test('redis paused (SIGSTOP): sessions and counters are ERR_STORE_UNAVAILABLE within the command timeout', async () => {
    assert.equal((await store.sessions.find(session.hash))?.userId, 'u-1')
    child!.kill('SIGSTOP')
    try {
      const find = await timed(() => store.sessions.find(session.hash))
      assert.equal(find.code, 'ERR_STORE_UNAVAILABLE')
      assert.ok(find.ms < PROMPT_MS, `sessions.find took ${find.ms} ms`)
      const hit = await timed(() => store.throttle.hit('ip:192.0.2.1', T0, 60_000))
      assert.equal(hit.code, 'ERR_STORE_UNAVAILABLE')
      assert.ok(hit.ms < PROMPT_MS, `throttle.hit took ${hit.ms} ms`)
      // The revoked-session cache is not the source of truth: SQL answers.
      const family = await timed(() => store.refresh.findFamily('fam-1'))
      assert.equal(family.code, 'ok')
      assert.ok(family.ms < PROMPT_MS + 1000, `refresh.findFamily took ${family.ms} ms`)
    } finally {
      child!.kill('SIGCONT')
    }
    let back = await timed(() => store.sessions.find(session.hash))
    for (let i = 0; i < 50 && back.code !== 'ok'; i++)
      back = await timed(() => store.sessions.find(session.hash))
    assert.equal(back.code, 'ok')
  })

  test('redis gone (killed): failures are immediate; restarted on its port, the store recovers by itself', async () => {
    await stopRedis()
    const find = await timed(() => store.sessions.find(session.hash))
    assert.equal(find.code, 'ERR_STORE_UNAVAILABLE')
    assert.ok(find.ms < PROMPT_MS, `sessions.find took ${find.ms} ms`)
    const create = await timed(() => store.sessions.create({ ...session, hash: 'b'.repeat(64) }))
    assert.equal(create.code, 'ERR_STORE_UNAVAILABLE')
    assert.equal((await store.refresh.findFamily('fam-1'))?.id, 'fam-1')

    await startRedis()
    let again = await timed(() => store.sessions.create({ ...session, hash: 'c'.repeat(64) }))
    for (let i = 0; i < 60 && again.code !== 'ok'; i++) {
      await sleep(100)
      again = await timed(() => store.sessions.create({ ...session, hash: 'c'.repeat(64) }))
    }
    assert.equal(again.code, 'ok')
    assert.equal((await store.sessions.find('c'.repeat(64)))?.userId, 'u-1')
  })
}
