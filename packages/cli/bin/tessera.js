#!/usr/bin/env node
/**
 * @module The `tessera` command as npm links it: runs the built CLI (dist/bin.js), and in a source checkout
 * that has not been built yet (right after `npm ci`) builds the workspace once first.
 *
 * npm links a package's bins while it installs, before anything is built, so a bin that pointed at dist/ would
 * not exist after `npm ci` ("could not determine executable to run"). This file is committed plain JavaScript,
 * so the link always has a target.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const cliDir = new URL('../', import.meta.url)
const entry = new URL('dist/bin.js', cliDir)

/** What the CLI loads at run time: its own build and the builds of the two packages it imports. */
const BUILT = [entry, new URL('../jose/dist/node.js', cliDir), new URL('../server/dist/index.js', cliDir)]

/** The repository root when this is a source checkout of the Tessera workspace, else undefined. */
function workspaceRoot() {
  const root = new URL('../../', cliDir)
  try {
    const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'))
    const isCheckout = pkg.name === 'tessera' && Array.isArray(pkg.workspaces)
    return isCheckout && existsSync(new URL('src/bin.ts', cliDir)) ? root : undefined
  } catch {
    return undefined
  }
}

function build(root) {
  process.stderr.write(
    'tessera: not built yet in this checkout; running "npm run build" once (about a minute)\n',
  )
  // Under npx/npm the running npm is npm_execpath; otherwise the npm on PATH.
  const npmCli = process.env.npm_execpath
  const [command, args] =
    npmCli && /\.[cm]?js$/.test(npmCli)
      ? [process.execPath, [npmCli, 'run', 'build']]
      : ['npm', ['run', 'build']]
  // The build's own output goes to stderr, so `tessera … > file` still gets only the command's output.
  const result = spawnSync(command, args, {
    cwd: fileURLToPath(root),
    stdio: ['ignore', 2, 2],
    shell: process.platform === 'win32',
  })
  if (result.error || result.status !== 0) {
    process.stderr.write(
      `tessera: the build failed (${result.error?.message ?? `exit status ${result.status}`}); ` +
        'fix it and run "npm run build" at the repository root\n',
    )
    process.exit(1)
  }
}

if (!BUILT.every((file) => existsSync(file))) {
  const root = workspaceRoot()
  if (!root) {
    process.stderr.write(
      'tessera: this installation has no built files (dist/ is missing): reinstall @tessera/cli\n',
    )
    process.exit(1)
  }
  build(root)
}
await import(entry.href)
