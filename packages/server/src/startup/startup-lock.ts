/**
 * @module One start-up at a time per database: the writes every instance makes when it starts (the first
 * signing key, the demo user) run under a lock shared by all instances, so instances started together make
 * them once and the others find them made.
 *
 * PostgreSQL: the store's advisory lock (`exclusive`, released by the server if the process dies). An SQLite
 * file: a lock file beside it, created with O_EXCL; one left by a process that died is taken over (its pid
 * is gone, or it is older than any start-up takes). An in-memory database has one process: no lock.
 * Waiting polls on a timer, which also keeps the event loop alive while an instance waits.
 */
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { StoreUnavailable } from '../errors.js'
import type { Store } from '../store/types.js'

const LOCK_NAME = 'startup'
const POLL_MS = 50
/** A lock file this old belongs to a start-up that cannot still be running. */
const STALE_MS = 120_000

export interface StartupLockOptions {
  /** The SQLite file, when the store is one (undefined: PostgreSQL, or an in-memory SQLite). */
  sqliteFile: string | undefined
  /** How long to wait for another instance's start-up before giving up (ms). */
  waitMs: number
}

function timedOut(waitMs: number, holder: string): never {
  throw new StoreUnavailable(
    `another instance (${holder}) has been starting up on this database for ${Math.round(waitMs / 1000)} s: ` +
      'check that it is not stuck, then start this one again',
  )
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Takes the lock file, or says who holds it. */
function tryLockFile(path: string): { held: true } | { held: false; holder: string } {
  let fd: number
  try {
    fd = openSync(path, 'wx', 0o600)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    let pid = Number.NaN
    let age = 0
    try {
      pid = Number.parseInt(readFileSync(path, 'utf8'), 10)
      age = Date.now() - statSync(path).mtimeMs
    } catch {
      return { held: false, holder: 'a process that is just releasing it' }
    }
    // Written empty for a moment by its creator: only its age says it is abandoned.
    const abandoned = age > STALE_MS || (Number.isInteger(pid) && pid !== process.pid && !pidAlive(pid))
    if (abandoned) {
      try {
        unlinkSync(path)
      } catch {}
    }
    return { held: false, holder: Number.isInteger(pid) ? `pid ${pid}` : 'another process' }
  }
  try {
    writeSync(fd, String(process.pid))
  } finally {
    closeSync(fd)
  }
  return { held: true }
}

async function withLockFile<T>(path: string, waitMs: number, work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + waitMs
  for (;;) {
    const attempt = tryLockFile(path)
    if (attempt.held) break
    if (Date.now() > deadline) timedOut(waitMs, attempt.holder)
    await sleep(POLL_MS)
  }
  try {
    return await work()
  } finally {
    try {
      unlinkSync(path)
    } catch {}
  }
}

async function withStoreLock<T>(
  exclusive: NonNullable<Store['exclusive']>,
  waitMs: number,
  work: () => Promise<T>,
): Promise<T> {
  const deadline = Date.now() + waitMs
  for (;;) {
    // Wrapped, so a `work` that returns undefined is told apart from a lock that was taken.
    const result = await exclusive(LOCK_NAME, async () => ({ value: await work() }))
    if (result) return result.value
    if (Date.now() > deadline) timedOut(waitMs, 'holding the PostgreSQL advisory lock')
    await sleep(POLL_MS)
  }
}

/** Runs `work` while no other instance on the same database runs its own start-up writes. */
export function withStartupLock<T>(
  store: Store,
  options: StartupLockOptions,
  work: () => Promise<T>,
): Promise<T> {
  if (store.exclusive) return withStoreLock(store.exclusive.bind(store), options.waitMs, work)
  if (options.sqliteFile) return withLockFile(`${options.sqliteFile}.startup-lock`, options.waitMs, work)
  return work()
}
