#!/usr/bin/env node
// Builds every package (tests drive the built CLI, the built pages and the built library in Chromium),
// then runs every package's test files, two at a time, each in its own `node --import tsx` process, and
// prints one summary for CI.
// Usage: npm test [-- <path-prefix> ...]   e.g. npm test -- packages/jose
// TESSERA_TEST_SKIP_BUILD=1 skips the build when you have just run `npm run build`.
//
// Why not one `node --test` run: on Node 20 a test file's process now and then stalls while tsx loads it
// (the main thread waits on the loader thread for ever, before a single test is registered), and
// `node --test` then waits with it until CI's time runs out. Here each file's process writes a TAP copy of
// its report to a file; a process that has registered no test within TESSERA_TEST_START_TIMEOUT seconds
// (90) is killed with its children and started once more, twice at most, and says so. A file that runs
// past TESSERA_TEST_FILE_TIMEOUT seconds (1,200) is killed and fails. A file's output is printed whole
// when it ends, so the two files running at once never interleave.
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const prefixes = process.argv.slice(2)
const CONCURRENCY = 2
const seconds = (name, fallback) => {
  const value = Number(process.env[name] ?? fallback)
  if (!Number.isFinite(value) || value <= 0) {
    console.error(`run-tests: ${name} must be a positive number of seconds`)
    process.exit(2)
  }
  return value * 1000
}
const START_TIMEOUT_MS = seconds('TESSERA_TEST_START_TIMEOUT', 90)
const FILE_TIMEOUT_MS = seconds('TESSERA_TEST_FILE_TIMEOUT', 1200)
const STARTS = 3

function collect(dir, out) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue
    const path = join(dir, name)
    if (statSync(path).isDirectory()) collect(path, out)
    else if (/\.test\.ts$/.test(name)) out.push(relative(root, path))
  }
  return out
}

const files = []
for (const pkg of readdirSync(join(root, 'packages'))) {
  const testDir = join(root, 'packages', pkg, 'test')
  try {
    if (statSync(testDir).isDirectory()) collect(testDir, files)
  } catch {}
}
const selected = files.filter((f) => prefixes.length === 0 || prefixes.some((p) => f.startsWith(p))).sort()
if (selected.length === 0) {
  console.error('run-tests: no test files matched', prefixes.join(' '))
  process.exit(1)
}
if (process.env.TESSERA_TEST_SKIP_BUILD !== '1') {
  const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit', env: process.env })
  if (build.status !== 0) {
    console.error('run-tests: npm run build failed; fix the build before running the tests')
    process.exit(build.status ?? 1)
  }
}

const reports = mkdtempSync(join(tmpdir(), 'tessera-tests-'))
const sizeOf = (path) => {
  try {
    return statSync(path).size
  } catch {
    return 0
  }
}
/** Kills a file's process and everything it started (its tsx/esbuild helper, servers, browsers). */
function killGroup(child) {
  try {
    process.kill(-child.pid, 'SIGKILL')
  } catch {}
}

/** One start of one file: resolves with its exit, its output, and whether it never began. */
function runOnce(file, tapPath) {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--test-reporter=spec',
        '--test-reporter-destination=stdout',
        '--test-reporter=tap',
        `--test-reporter-destination=${tapPath}`,
        file,
      ],
      { cwd: root, env: process.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
    )
    const output = []
    child.stdout.on('data', (chunk) => output.push(chunk))
    child.stderr.on('data', (chunk) => output.push(chunk))
    let outcome
    const startWatch = setInterval(() => {
      if (sizeOf(tapPath) > 0) clearInterval(startWatch)
    }, 500)
    const startTimer = setTimeout(() => {
      clearInterval(startWatch)
      if (sizeOf(tapPath) === 0) {
        outcome = 'never-started'
        killGroup(child)
      }
    }, START_TIMEOUT_MS)
    const fileTimer = setTimeout(() => {
      outcome = 'timed-out'
      killGroup(child)
    }, FILE_TIMEOUT_MS)
    child.on('close', (code, signal) => {
      clearInterval(startWatch)
      clearTimeout(startTimer)
      clearTimeout(fileTimer)
      // Whatever the file left running (a server it forked and forgot) goes with it.
      killGroup(child)
      resolve({ code, signal, outcome, output: Buffer.concat(output).toString('utf8') })
    })
  })
}

const COUNTS = ['tests', 'suites', 'pass', 'fail', 'cancelled', 'skipped', 'todo']
function countsOf(tapPath) {
  const counts = Object.fromEntries(COUNTS.map((name) => [name, 0]))
  let text = ''
  try {
    text = readFileSync(tapPath, 'utf8')
  } catch {}
  for (const name of COUNTS) {
    const match = text.match(new RegExp(`^# ${name} (\\d+)$`, 'm'))
    if (match) counts[name] = Number(match[1])
  }
  return counts
}

async function runFile(file, index) {
  const began = Date.now()
  const notes = []
  for (let start = 1; ; start++) {
    const tapPath = join(reports, `${index}-${start}.tap`)
    const run = await runOnce(file, tapPath)
    if (run.outcome === 'never-started' && start < STARTS) {
      notes.push(
        `run-tests: ${file} registered no test within ${START_TIMEOUT_MS / 1000} s (start ${start} of ${STARTS}); killed and started again`,
      )
      continue
    }
    const counts = countsOf(tapPath)
    if (run.outcome === 'never-started')
      notes.push(
        `run-tests: ${file} registered no test in ${STARTS} starts of ${START_TIMEOUT_MS / 1000} s each`,
      )
    if (run.outcome === 'timed-out')
      notes.push(`run-tests: ${file} ran past ${FILE_TIMEOUT_MS / 1000} s and was killed`)
    const failed = run.outcome !== undefined || run.code !== 0 || counts.fail > 0 || counts.cancelled > 0
    // A file may register nothing on purpose (its suite skipped loudly, e.g. with no Chromium): say so.
    if (run.outcome === undefined && counts.tests === 0)
      notes.push(`run-tests: ${file} exited with ${run.signal ?? run.code} and reported no test`)
    return { file, run, counts, failed, notes, ms: Date.now() - began }
  }
}

const started = Date.now()
const results = []
let next = 0
async function worker() {
  while (next < selected.length) {
    const index = next++
    const result = await runFile(selected[index], index)
    results.push(result)
    const mark = result.failed ? '✖' : '✔'
    process.stdout.write(
      `\n${mark} ${result.file} (${(result.ms / 1000).toFixed(1)} s)\n${result.run.output}`,
    )
    for (const note of result.notes) process.stdout.write(`${note}\n`)
  }
}
await Promise.all(Array.from({ length: Math.min(CONCURRENCY, selected.length) }, worker))
rmSync(reports, { recursive: true, force: true })

const total = Object.fromEntries(COUNTS.map((name) => [name, 0]))
for (const { counts } of results) for (const name of COUNTS) total[name] += counts[name]
const failedFiles = results.filter((r) => r.failed).map((r) => r.file)
const restarted = results.filter((r) => r.notes.some((n) => n.includes('started again'))).map((r) => r.file)
const lines = [
  '',
  `run-tests: ${results.length} files, ${total.tests} tests: ${total.pass} pass, ${total.fail} fail, ${total.cancelled} cancelled, ${total.skipped} skipped, ${total.todo} todo, in ${((Date.now() - started) / 1000).toFixed(0)} s`,
]
if (restarted.length > 0)
  lines.push(`run-tests: started again after a stall at start-up: ${restarted.join(', ')}`)
if (failedFiles.length > 0) lines.push(`run-tests: failed: ${failedFiles.join(', ')}`)
process.stdout.write(`${lines.join('\n')}\n`)
process.exit(failedFiles.length > 0 ? 1 : 0)
