/**
 * @module The two sides of a comparison as built source trees: the working tree itself, or a revision
 * checked out in a temporary `git worktree` with its own dependencies (`npm ci --prefer-offline`) and its
 * own build, removed again by the cleanup.
 */
import { spawn } from 'node:child_process'
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { onCleanup } from './cleanup.js'

export interface Tree {
  /** `baseline` or `current`. */
  label: string
  /** The revision asked for (`47ed3ed`, `HEAD`), or `working tree`. */
  rev: string
  /** Short commit id; `+` marks uncommitted changes in the working tree. */
  commit: string
  /** Repository root of this side: the working tree, or the temporary worktree. */
  root: string
}

export interface PrepareOptions {
  /** The repository the script runs from (its working tree and its node_modules). */
  repoRoot: string
  /** Where worktrees and build logs go (a fresh temp dir). */
  workDir: string
  /** Build the working tree too (both sides are then measured from fresh builds). */
  buildWorkingTree: boolean
}

/** Runs a command quietly; rejects with the tail of its output when it fails. */
export function sh(command: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] })
    // Stopped (say by SIGTERM to this process alone) before the worktree it works in is removed.
    const release = onCleanup(`stop ${command} ${args[0]}`, () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    })
    let output = ''
    child.stdout.on('data', (chunk) => {
      output += chunk
    })
    child.stderr.on('data', (chunk) => {
      output += chunk
    })
    child.once('error', reject)
    child.once('exit', (code, signal) => {
      void release()
      if (code === 0) return resolve(output)
      const tail = output.trim().split('\n').slice(-15).join('\n')
      reject(new Error(`${command} ${args.join(' ')} (in ${cwd}) failed with ${code ?? signal}:\n${tail}`))
    })
  })
}

const git = (cwd: string, ...args: string[]) => sh('git', args, cwd).then((out) => out.trim())

/** The short id of the commit `rev` names. */
export function resolveCommit(repoRoot: string, rev: string): Promise<string> {
  return git(repoRoot, 'rev-parse', '--short', '--verify', '--end-of-options', `${rev}^{commit}`).catch(
    () => {
      throw new Error(`no commit is named "${rev}" here (see git log --oneline)`)
    },
  )
}

function versionOf(root: string, name: string): string | undefined {
  const file = join(root, 'node_modules', name, 'package.json')
  if (!existsSync(file)) return undefined
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version
}

/**
 * `npm ci --ignore-scripts`, then the packages allowed to run install scripts: a native addon of the
 * same version as in the repository's own node_modules is copied from there (built on this machine for
 * this Node, so the same bytes); anything else is rebuilt. Compiling better-sqlite3 from source takes
 * about two minutes of both cores, which other people on this machine would feel.
 */
async function installDependencies(root: string, repoRoot: string): Promise<void> {
  await sh('npm', ['ci', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund'], root)
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    allowScripts?: Record<string, boolean>
  }
  for (const [name, allowed] of Object.entries(manifest.allowScripts ?? {})) {
    const version = versionOf(root, name)
    if (!allowed || version === undefined) continue
    const built = join(repoRoot, 'node_modules', name, 'build')
    if (version === versionOf(repoRoot, name) && existsSync(built)) {
      cpSync(built, join(root, 'node_modules', name, 'build'), { recursive: true })
    } else {
      await sh('npm', ['rebuild', name], root)
    }
  }
}

/** The jose library and the server, built the way `npm run build` builds them. */
async function build(root: string): Promise<void> {
  await sh('npm', ['run', 'build', '-w', 'packages/jose', '-w', 'packages/server'], root)
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** Marks a run's temp dir as this process's, so a later run can tell it was left behind. */
export function claimWorkDir(workDir: string): void {
  writeFileSync(join(workDir, 'owner.pid'), String(process.pid))
}

/**
 * Worktrees an earlier run left when it was killed outright (SIGKILL: no cleanup ran): a temp dir of
 * ours whose owner process is gone. Removed before this run adds its own.
 */
export async function removeAbandonedWorktrees(repoRoot: string): Promise<void> {
  const listing = await git(repoRoot, 'worktree', 'list', '--porcelain')
  for (const line of listing.split('\n')) {
    if (!line.startsWith('worktree ')) continue
    const root = line.slice('worktree '.length)
    const dir = dirname(root)
    if (dirname(dir) !== tmpdir() || !basename(dir).startsWith('tessera-load-')) continue
    const owner = join(dir, 'owner.pid')
    if (!existsSync(owner) || alive(Number(readFileSync(owner, 'utf8')))) continue
    process.stderr.write(`load: removing ${root}, left by a run that was killed\n`)
    await git(repoRoot, 'worktree', 'remove', '--force', root)
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * One side of the comparison, ready to start servers from (`packages/server/dist`). `rev` undefined
 * means the working tree as it is now, uncommitted changes included.
 */
export async function prepareTree(
  label: string,
  rev: string | undefined,
  options: PrepareOptions,
  /** A tree already prepared: used again when `rev` is the same commit (an A/A run shows the noise). */
  prepared?: Tree,
): Promise<Tree> {
  const { repoRoot, workDir } = options
  if (rev === undefined) {
    const head = await git(repoRoot, 'rev-parse', '--short', 'HEAD')
    const dirty = (await git(repoRoot, 'status', '--porcelain')) !== ''
    if (options.buildWorkingTree) {
      process.stderr.write(`load: ${label}: building the working tree…\n`)
      await build(repoRoot).catch((error: Error) => {
        throw new Error(
          `${error.message}\nThe working tree does not build right now: compare committed code with --current HEAD.`,
        )
      })
    }
    const rev = options.buildWorkingTree ? 'working tree' : 'working tree (its existing build)'
    return { label, rev, commit: dirty ? `${head}+` : head, root: repoRoot }
  }
  const commit = await resolveCommit(repoRoot, rev)
  if (prepared?.commit === commit) return { ...prepared, label, rev }
  const root = join(workDir, `${label}-${commit}`)
  process.stderr.write(`load: ${label}: ${rev} (${commit}) in a worktree at ${root}…\n`)
  // Registered first: an interrupted `worktree add` leaves a half-made tree behind too.
  onCleanup(`remove the worktree ${root}`, async () => {
    await git(repoRoot, 'worktree', 'remove', '--force', root).catch((error: Error) => {
      if (!existsSync(root)) return
      rmSync(root, { recursive: true, force: true })
      process.stderr.write(`load: ${error.message}\nload: removed ${root} by hand\n`)
    })
  })
  await git(repoRoot, 'worktree', 'add', '--detach', root, commit)
  await installDependencies(root, repoRoot)
  await build(root)
  return { label, rev, commit, root }
}
