/**
 * @module The `tessera` bin npm links (packages/cli/bin/tessera.js) works in a checkout that was never
 * built, as right after `npm ci`: it builds once, runs the command, and runs straight away the next time.
 *
 * The checkout is a temporary copy of the repository's tracked files (never the shared dist/ of this
 * working tree), with node_modules linked entry by entry except the workspace packages, which point into
 * the copy so nothing resolves to an already built dist/.
 */
import assert from 'node:assert/strict'
import { execFileSync, spawnSync } from 'node:child_process'
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { after, test } from 'node:test'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const PACKAGES = ['jose', 'client', 'server', 'web', 'cli', 'demo']
const copy = mkdtempSync(join(tmpdir(), 'tessera-launcher-'))
after(() => rmSync(copy, { recursive: true, force: true }))

/**
 * The working tree's files as git sees them (tracked, and new ones not ignored: never dist/ or node_modules),
 * without tests, docs and benchmarks: what a build reads.
 */
function copyCheckout(): void {
  const listed = ['ls-files', '-z', '--cached', '--others', '--exclude-standard']
  const files = execFileSync('git', listed, { cwd: ROOT, encoding: 'utf8' })
    .split('\0')
    .filter((file) => file && !/^(docs|bench|deploy)\//.test(file) && !/^packages\/[^/]+\/test\//.test(file))
  for (const file of files) {
    if (!existsSync(join(ROOT, file))) continue // deleted in the working tree, not yet committed
    mkdirSync(dirname(join(copy, file)), { recursive: true })
    copyFileSync(join(ROOT, file), join(copy, file))
  }
  const modules = join(copy, 'node_modules')
  mkdirSync(join(modules, '@tessera'), { recursive: true })
  for (const entry of readdirSync(join(ROOT, 'node_modules'))) {
    if (entry !== '@tessera') symlinkSync(join(ROOT, 'node_modules', entry), join(modules, entry))
  }
  for (const name of PACKAGES) {
    symlinkSync(join(copy, 'packages', name), join(modules, '@tessera', name))
    // npm nests a package's own copy of a dependency when the root's version does not fit it.
    const own = join(ROOT, 'packages', name, 'node_modules')
    if (existsSync(own)) symlinkSync(own, join(copy, 'packages', name, 'node_modules'))
  }
}

function tessera(args: string[]) {
  const result = spawnSync(process.execPath, [join(copy, 'packages/cli/bin/tessera.js'), ...args], {
    cwd: copy,
    encoding: 'utf8',
    timeout: 300_000,
  })
  if (result.error) throw result.error
  return result
}

test('the bin npm links is a committed, executable file, not something only a build creates', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'packages/cli/package.json'), 'utf8'))
  const bin = join(ROOT, 'packages/cli', pkg.bin.tessera)
  const tracked = execFileSync('git', ['ls-files', '--', bin], { cwd: ROOT, encoding: 'utf8' })
  assert.equal(tracked.trim(), 'packages/cli/bin/tessera.js')
  assert.match(readFileSync(bin, 'utf8'), /^#!\/usr\/bin\/env node\n/)
  assert.ok(statSync(bin).mode & 0o111, 'the bin must be executable')
})

test('in a checkout with no dist/, `tessera` builds once, then runs the command', {
  timeout: 600_000,
}, () => {
  copyCheckout()
  for (const name of PACKAGES) assert.equal(existsSync(join(copy, 'packages', name, 'dist')), false)

  const first = tessera(['--help'])
  assert.equal(first.status, 0, first.stderr)
  assert.match(first.stderr, /not built yet in this checkout; running "npm run build" once/)
  assert.match(first.stdout, /^tessera: token authentication toolkit/)
  assert.ok(existsSync(join(copy, 'packages/cli/dist/bin.js')))

  const second = tessera(['keys', 'generate', '--alg', 'ES256'])
  assert.equal(second.status, 0, second.stderr)
  assert.doesNotMatch(second.stderr, /not built/)
  assert.equal(JSON.parse(second.stdout).kty, 'EC')
})
