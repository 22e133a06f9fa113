/**
 * @module A private `redis-server` for fault tests: its own port and data folder, append-only file on so a
 * stop and start keeps what was written (a real restart, not a flush), started and stopped by the test
 * and never the shared Redis on 6379.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis } from 'ioredis'

export interface PrivateRedis {
  url: string
  port: number
  /** Stops the server (SIGTERM: it writes its append-only file and exits) and waits for the exit. */
  stop(): Promise<void>
  /** Starts it again on the same port and data folder, and waits until it answers PING. */
  start(): Promise<void>
  /** Stops it for good and deletes its data folder. */
  dispose(): Promise<void>
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      )
    })
  })
}

async function waitForPing(url: string, deadlineMs: number): Promise<void> {
  const until = Date.now() + deadlineMs
  for (;;) {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null })
    client.on('error', () => {})
    try {
      await client.connect()
      await client.ping()
      return
    } catch (error) {
      if (Date.now() > until)
        throw new Error(`the private redis-server at ${url} did not answer`, { cause: error })
      await new Promise((r) => setTimeout(r, 50))
    } finally {
      client.disconnect()
    }
  }
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort()
  const dir = mkdtempSync(join(tmpdir(), 'tessera-redis-'))
  const url = `redis://127.0.0.1:${port}`
  let child: ChildProcess | undefined

  const start = async () => {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes'],
      { stdio: 'ignore' },
    )
    await waitForPing(url, 10_000)
  }
  const stop = async () => {
    const running = child
    child = undefined
    if (!running || running.exitCode !== null) return
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve())
      running.kill('SIGTERM')
    })
  }
  await start()
  return {
    url,
    port,
    stop,
    start,
    async dispose() {
      await stop()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
