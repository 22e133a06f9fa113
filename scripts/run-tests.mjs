#!/usr/bin/env node
// Builds every package (tests drive the built CLI, the built pages and the built library in Chromium),
// then runs every package's tests in one `node --test` process tree, so CI reads one summary.
// Usage: npm test [-- <path-prefix> ...]   e.g. npm test -- packages/jose
// TESSERA_TEST_SKIP_BUILD=1 skips the build when you have just run `npm run build`.
import { spawnSync } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const prefixes = process.argv.slice(2)

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
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...selected],
  { cwd: root, stdio: 'inherit', env: process.env },
)
process.exit(result.status ?? 1)
