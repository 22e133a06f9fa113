/**
 * @module `npm run load -- --scenario refresh --baseline <rev>`: refresh req/s of two builds of the
 * server side by side, on SQLite and on PostgreSQL. Each side runs its own build (a worktree for a
 * revision) in its own process on loopback with its own fresh database; the rounds alternate
 * baseline/current in pairs (A B, B A, A B, B A) so machine noise lands on both sides alike.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { dropSchema, freshDatabase, PG_BASE } from '../../packages/server/test/helpers/services.js'
import { cleaningUp, cleanup, cleanupOnSignals, onCleanup } from './cleanup.js'
import { type ComparisonRow, printComparison, type SideFigures } from './refresh-report.js'
import { loginChains, type RoundResult, refreshRound, registerUsers, userNames } from './refresh-round.js'
import { median } from './stats.js'
import { claimWorkDir, prepareTree, removeAbandonedWorktrees, resolveCommit, type Tree } from './tree.js'
import { startTreeServer, type TreeServer } from './tree-server.js'

export type Backend = 'sqlite' | 'postgres'

export interface CompareOptions {
  repoRoot: string
  baseline: string
  /** A revision, or undefined for the working tree as it is. */
  current: string | undefined
  backends: Backend[]
  connections: number
  /** Seconds per measured round. */
  duration: number
  /** Measured rounds per side. */
  rounds: number
  /** Seconds of unmeasured refreshes per server before its first round. */
  warmup: number
  buildWorkingTree: boolean
  /** The servers' log level; `info`, as deployed, logs each request on some versions. */
  logLevel: string
  json: boolean
}

const SECRET = 'load-secret-0123456789-abcdefghijklmnopq'

function settingsFor(database: string, logLevel: string): Record<string, unknown> {
  return {
    database,
    secret: SECRET,
    issuer: 'http://localhost:8080',
    logLevel,
    // Every user registers and logs in from one address, in bursts between rounds: keep the per-address
    // limits out of it.
    registrationsPerIp: 1_000_000,
    ipMaxFailures: 1_000_000,
    accountFreeFailures: 1_000_000,
  }
}

/** A fresh database for one side on one backend, and its removal. */
function databaseFor(backend: Backend, dir: string, label: string): { url: string; drop(): Promise<void> } {
  if (backend === 'sqlite') {
    const path = join(dir, `${label}.db`)
    return {
      url: `sqlite:${path}`,
      drop: async () => {
        for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true })
      },
    }
  }
  const db = freshDatabase(`load_${label}`)
  return { url: db.url, drop: () => dropSchema(db.schema) }
}

/** Fails early, naming the address, when PostgreSQL does not answer. */
async function requirePostgres(): Promise<void> {
  const client = new pg.Client({ connectionString: PG_BASE, connectionTimeoutMillis: 2000 })
  client.on('error', () => {})
  try {
    await client.connect()
    await client.query('SELECT 1')
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable at ${PG_BASE} (${(error as Error).message}): start it, set TESSERA_TEST_POSTGRES, or pass --backends sqlite`,
    )
  } finally {
    await client.end().catch(() => {})
  }
}

function summarize(rounds: RoundResult[]): SideFigures {
  const requests = rounds.reduce((sum, r) => sum + r.requests, 0)
  const seconds = rounds.reduce((sum, r) => sum + r.seconds, 0)
  const statuses: Record<string, number> = {}
  for (const r of rounds)
    for (const [status, count] of Object.entries(r.statuses))
      statuses[status] = (statuses[status] ?? 0) + count
  return {
    requestsPerSecond: requests / seconds,
    roundsRequestsPerSecond: rounds.map((r) => r.requestsPerSecond),
    latencyP50Ms: median(rounds.map((r) => r.latencyP50Ms)),
    latencyP99Ms: median(rounds.map((r) => r.latencyP99Ms)),
    requests,
    errors: rounds.reduce((sum, r) => sum + r.errors, 0),
    statuses,
  }
}

async function measureBackend(
  backend: Backend,
  sides: [Tree, Tree],
  dir: string,
  options: CompareOptions,
): Promise<ComparisonRow> {
  const users = userNames(options.connections)
  const servers: TreeServer[] = []
  const drops: (() => Promise<void>)[] = []
  try {
    for (const tree of sides) {
      const db = databaseFor(backend, dir, `${backend}_${tree.label}`)
      drops.push(onCleanup(`drop the ${tree.label} ${backend} database`, db.drop))
      process.stderr.write(`load: ${backend}: starting the ${tree.label} server (${tree.commit})…\n`)
      const server = await startTreeServer(
        tree,
        settingsFor(db.url, options.logLevel),
        join(dir, `${backend}-${tree.label}.log`),
      )
      servers.push(server)
      await registerUsers(server.url, users)
      if (options.warmup > 0)
        await refreshRound(server.url, await loginChains(server.url, users), options.warmup)
    }
    const results: [RoundResult[], RoundResult[]] = [[], []]
    for (let round = 1; round <= options.rounds; round++) {
      // A B, B A, A B…: the two rounds of a pair sit next to each other, and a load that rises or falls
      // across the run weighs on both sides alike instead of always on the one measured second.
      const order = round % 2 === 1 ? [0, 1] : [1, 0]
      for (const side of order) {
        const server = servers[side]!
        // Fresh chains every round: the round's last refresh may have rotated on the server after the
        // client stopped listening, so its token would be presented again as reuse.
        const tokens = await loginChains(server.url, users)
        const result = await refreshRound(server.url, tokens, options.duration)
        results[side as 0 | 1].push(result)
        process.stderr.write(
          `load: ${backend} round ${round}/${options.rounds} ${sides[side]!.label}: ${Math.round(result.requestsPerSecond)} req/s, ${result.errors} errors\n`,
        )
      }
    }
    const [baseline, current] = [summarize(results[0]), summarize(results[1])]
    const pairRatios = results[1].map((r, n) => r.requestsPerSecond / results[0][n]!.requestsPerSecond)
    return {
      backend,
      baseline,
      current,
      ratio: current.requestsPerSecond / baseline.requestsPerSecond,
      pairRatios,
      medianPairRatio: median(pairRatios),
    }
  } finally {
    await Promise.all(servers.map((s) => s.stop()))
    for (const drop of drops) await drop()
  }
}

export async function compareRefresh(options: CompareOptions): Promise<void> {
  cleanupOnSignals()
  const started = Date.now()
  await removeAbandonedWorktrees(options.repoRoot)
  const dir = mkdtempSync(join(tmpdir(), 'tessera-load-'))
  claimWorkDir(dir)
  // The server logs stay when something failed; an interrupted or clean run leaves nothing.
  let keepLogs = false
  onCleanup(`remove ${dir}`, () => {
    if (keepLogs) process.stderr.write(`load: server logs kept in ${dir}\n`)
    else rmSync(dir, { recursive: true, force: true })
  })
  let ok = false
  try {
    // Both revisions named before anything is installed or built: a typo fails at once.
    for (const rev of [options.baseline, options.current]) if (rev) await resolveCommit(options.repoRoot, rev)
    if (options.backends.includes('postgres')) await requirePostgres()
    const prepare = { repoRoot: options.repoRoot, workDir: dir, buildWorkingTree: options.buildWorkingTree }
    // One after the other (two installs and builds at once would only fight over two cores), the
    // current side first: a working tree that does not build should fail before the baseline's install.
    const current = await prepareTree('current', options.current, prepare)
    const baseline = await prepareTree('baseline', options.baseline, prepare, current)
    const prepared = Date.now()
    const loadBefore = loadavg()[0]!
    const rows: ComparisonRow[] = []
    for (const backend of options.backends)
      rows.push(await measureBackend(backend, [baseline, current], dir, options))
    printComparison({
      baseline,
      current,
      connections: options.connections,
      durationSeconds: options.duration,
      rounds: options.rounds,
      warmupSeconds: options.warmup,
      logLevel: options.logLevel,
      prepareSeconds: (prepared - started) / 1000,
      measureSeconds: (Date.now() - prepared) / 1000,
      loadAverage: [loadBefore, loadavg()[0]!],
      rows,
      json: options.json,
    })
    if (rows.some((r) => r.baseline.errors + r.current.errors > 0)) {
      process.stderr.write(`load: some refreshes failed (errors must be zero); server logs in ${dir}\n`)
      process.exitCode = 1
    }
    ok = true
  } finally {
    // Interrupted, the failures that follow are the servers being stopped, not worth keeping; and a
    // run that failed before any server started has no logs to keep.
    if (!cleaningUp())
      keepLogs = (!ok || process.exitCode === 1) && readdirSync(dir).some((f) => f.endsWith('.log'))
    await cleanup()
  }
}
