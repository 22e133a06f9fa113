/**
 * @module Keeps a PostgreSQL outage test from breaking PostgreSQL tests in other files that `node --test`
 * runs at the same time. Every file that uses PostgreSQL holds a shared advisory lock for its lifetime
 * (taken by `servicesMissing`); the outage test writes a marker (files starting meanwhile wait for it to
 * go), takes the lock exclusively — so it waits for the files already running — stops and restarts the
 * server, then removes the marker.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import pg from 'pg'

const LOCK_KEY = 7_355_001_009
const MARKER = join(tmpdir(), 'tessera-test-pg-outage.pid')
let shared: pg.Client | undefined

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** Waits (up to 2 min) while another test process has PostgreSQL stopped on purpose. */
export async function waitForOutageToEnd(): Promise<void> {
  const deadline = Date.now() + 120_000
  while (existsSync(MARKER) && Date.now() < deadline) {
    const pid = Number(readFileSync(MARKER, 'utf8'))
    if (!pid || pid === process.pid || !alive(pid)) return
    await sleep(200)
  }
}

/** Holds the shared lock until this process exits (the socket is unref'd: it never keeps it alive). */
export async function holdSharedLock(connectionString: string): Promise<void> {
  if (shared) return
  const client = new pg.Client({ connectionString })
  client.on('error', () => {})
  await client.connect()
  await client.query('SELECT pg_advisory_lock_shared($1)', [LOCK_KEY])
  ;(client as unknown as { connection: { stream: { unref(): void } } }).connection.stream.unref()
  shared = client
}

/** Runs `outage` (which stops and restarts PostgreSQL) once no other test file is using it. */
export async function withExclusiveDatabase(
  connectionString: string,
  outage: () => Promise<void>,
): Promise<void> {
  await shared?.end().catch(() => {})
  shared = undefined
  writeFileSync(MARKER, String(process.pid))
  const lock = new pg.Client({ connectionString })
  lock.on('error', () => {})
  try {
    await lock.connect()
    await lock.query("SET lock_timeout = '100s'")
    await lock.query('SELECT pg_advisory_lock($1)', [LOCK_KEY])
    await outage()
  } finally {
    // The outage ended the lock's session already; this only tidies up.
    await lock.end().catch(() => {})
    rmSync(MARKER, { force: true })
  }
}
