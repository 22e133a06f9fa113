/**
 * @module `npm run bench`: generates keys, has every library make tokens and check everyone else's
 * (refusing the run loudly if one does not accept another's, or accepts a forged one), then times each
 * library in its own child process, round after round, and prints the medians with the targets.
 *
 * Flags: --quick (one short round, < 2 min) · --json · --memory (the heap check, bench/memory.ts) ·
 * --rounds N · --only raw,ours-sync (libraries) · --filter REGEX (operations, for profiling one row) ·
 * --profile DIR (timing children write `node --cpu-prof` profiles there; read them with bench/profile-summary.ts) ·
 * --clock cpu (time by process CPU time instead of wall time: steadier when other work shares the machine).
 */
import { type ChildProcess, fork, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import type { CheckOutcome, CheckRequest, TimeRequest, Timing, TokenSet } from './child.js'
import { generateFixtures, writeFixtures } from './fixtures.js'
import { LIBRARIES, type LibraryId } from './libraries.js'
import { type Meta, median, operations, type Results, type Rounds, toJson, toMarkdown } from './report.js'

const here = new URL('.', import.meta.url).pathname
const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    memory: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    only: { type: 'string' },
    filter: { type: 'string' },
    profile: { type: 'string' },
    clock: { type: 'string', default: 'wall' },
  },
})

if (flags.memory) {
  const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(here, 'memory.ts')], {
    stdio: 'inherit',
  })
  process.exit(run.status ?? 1)
}

if (flags.clock !== 'wall' && flags.clock !== 'cpu') throw new Error('bench: --clock is wall or cpu')
const clock = flags.clock
const rounds = flags.rounds ? Number(flags.rounds) : flags.quick ? 1 : 6
const minCpuMs = flags.quick ? 60 : 150
const only = flags.only ? new Set(flags.only.split(',')) : undefined
const libraries = LIBRARIES.filter((lib) => !only || only.has(lib.id) || lib.id === 'raw')
const log = (line: string) => process.stderr.write(`${line}\n`)

const dir = mkdtempSync(join(tmpdir(), 'tessera-bench-'))
const fixturesPath = join(dir, 'fixtures.json')

function child<T>(id: LibraryId, mode: 'tokens' | 'check', request?: unknown): T {
  const args = ['--expose-gc', '--import', 'tsx', join(here, 'child.ts'), id, mode, fixturesPath]
  if (request !== undefined) {
    const requestPath = join(dir, `${id}-${mode}.json`)
    writeFileSync(requestPath, JSON.stringify(request))
    args.push(requestPath)
  }
  const run = spawnSync(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  })
  if (run.status !== 0) throw new Error(`bench: the ${id} child failed in "${mode}" (exit ${run.status})`)
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as T
}

interface Server {
  id: LibraryId
  proc: ChildProcess
  ops: string[]
}

/** The next IPC message from a timing child; rejects if it exits first. */
function nextMessage<T>(proc: ChildProcess): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: unknown) => {
      cleanup()
      resolve(message as T)
    }
    const onExit = (code: number | null) => {
      cleanup()
      reject(new Error(`bench: a timing child exited (code ${code}) before answering`))
    }
    const cleanup = () => {
      proc.off('message', onMessage)
      proc.off('exit', onExit)
    }
    proc.on('message', onMessage)
    proc.on('exit', onExit)
  })
}

async function startServer(id: LibraryId, request: TimeRequest): Promise<Server> {
  const requestPath = join(dir, `${id}-serve.json`)
  writeFileSync(requestPath, JSON.stringify(request))
  const profile = flags.profile ? ['--cpu-prof', `--cpu-prof-dir=${flags.profile}`] : []
  const proc = fork(join(here, 'child.ts'), [id, 'serve', fixturesPath, requestPath], {
    execArgv: ['--expose-gc', ...profile, '--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  })
  const ready = await nextMessage<{ ops: string[] }>(proc)
  return { id, proc, ops: ready.ops }
}

async function measureOn(server: Server, op: string): Promise<number> {
  server.proc.send({ type: 'measure', op })
  return (await nextMessage<{ timing: Timing }>(server.proc)).timing.opsPerSec
}

async function stopServer(server: Server): Promise<void> {
  const exited = new Promise((resolve) => server.proc.once('exit', resolve))
  server.proc.send({ type: 'stop' })
  await exited
}

function version(pkg: string): string {
  return (
    JSON.parse(readFileSync(join(here, '..', 'node_modules', pkg, 'package.json'), 'utf8')) as {
      version: string
    }
  ).version
}

try {
  const started = Date.now()
  const loadAtStart = loadavg()[0]!
  writeFixtures(fixturesPath, generateFixtures())

  log('bench: every library makes one token per row…')
  const tokens: Record<string, TokenSet> = {}
  for (const lib of libraries) tokens[lib.id] = child<TokenSet>(lib.id, 'tokens')
  const reference = tokens.raw!
  const negatives = reference.negatives ?? {}

  log('bench: every library checks every other library’s tokens and refuses forged ones…')
  const failures: string[] = []
  const checkRequest: CheckRequest = {
    tokens: Object.fromEntries(
      Object.entries(tokens).map(([id, set]) => [id, { jws: set.jws, jwe: set.jwe, dpop: set.dpop }]),
    ),
    negatives,
  }
  for (const lib of libraries) {
    const outcomes = child<CheckOutcome[]>(lib.id, 'check', checkRequest)
    for (const o of outcomes) {
      if (!o.ok) failures.push(`${lib.id} on ${o.row} from ${o.producer}: ${o.detail ?? 'failed'}`)
    }
    log(`  ${lib.id.padEnd(13)} ${outcomes.filter((o) => o.ok).length}/${outcomes.length} checks passed`)
  }
  if (failures.length > 0) {
    log(`\nbench: REFUSED TO TIME — ${failures.length} interoperability/refusal check(s) failed:`)
    for (const failure of failures) log(`  ✗ ${failure}`)
    process.exit(1)
  }

  const samples: Rounds = {}
  const timeRequest: TimeRequest = {
    // raw has no DPoP row: the proof every DPoP verifier times is the first one a library made.
    reference: {
      jws: reference.jws,
      jwe: reference.jwe,
      dpop: Object.values(tokens).find((set) => set.dpop !== undefined)?.dpop,
    },
    minCpuMs,
    clock,
    filter: flags.filter,
  }
  log('bench: starting one timing process per library…')
  const servers = await Promise.all(libraries.map((lib) => startServer(lib.id, timeRequest)))
  const order = operations(
    Object.fromEntries(servers.map((s) => [s.id, Object.fromEntries(s.ops.map((op) => [op, 1]))])),
  )
  for (let round = 0; round < rounds; round++) {
    log(`bench: timing, round ${round + 1} of ${rounds}…`)
    for (const op of order) {
      // Rotate who goes first in each round, so no library always follows the same neighbour.
      for (let i = 0; i < servers.length; i++) {
        const server = servers[(i + round) % servers.length]!
        if (!server.ops.includes(op)) continue
        const byOp = (samples[server.id] ??= {})
        ;(byOp[op] ??= []).push(await measureOn(server, op))
      }
    }
  }
  await Promise.all(servers.map(stopServer))
  const results: Results = {}
  for (const [id, byOp] of Object.entries(samples)) {
    results[id as LibraryId] = Object.fromEntries(
      Object.entries(byOp).map(([op, list]) => [op, median(list)]),
    )
  }

  const notes: string[] = []
  if (Object.keys(reference.jwe).length > 0 && Object.keys(tokens['ours-async']?.jwe ?? {}).length === 0) {
    notes.push(
      '@tessera/jose does not export compactEncrypt/compactDecrypt yet: JWE rows show raw and jose only.',
    )
  }
  const meta: Meta = {
    date: new Date().toISOString(),
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    mode: flags.quick ? 'quick' : 'full',
    rounds,
    minCpuMs,
    clock,
    load: { start: loadAtStart, end: loadavg()[0]! },
    machine: {
      cpus: availableParallelism(),
      cpuModel: cpus()[0]?.model ?? 'unknown',
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
    },
    versions: {
      jose: version('jose'),
      'fast-jwt': version('fast-jwt'),
      jsonwebtoken: version('jsonwebtoken'),
      mitata: version('mitata'),
    },
    notes,
  }
  process.stdout.write(
    `${flags.json ? toJson(results, meta, samples) : toMarkdown(results, meta, samples)}\n`,
  )
  log(`bench: done in ${((Date.now() - started) / 1000).toFixed(0)} s`)
} finally {
  rmSync(dir, { recursive: true, force: true })
}
