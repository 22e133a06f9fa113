/**
 * @module Runs the BUILT `tessera` binary (packages/cli/dist/bin.js) as a child process, the way a
 * script would, and returns its exit status and output.
 */
import { type SpawnSyncOptions, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const BIN = fileURLToPath(new URL('../../dist/bin.js', import.meta.url))

if (!existsSync(BIN)) {
  throw new Error(
    `${BIN} is missing: run "npm run build -w @tessera/jose -w @tessera/cli" before these tests`,
  )
}

export interface CliResult {
  status: number | null
  stdout: string
  stderr: string
}

/** Runs `tessera …args` in `cwd`, feeding `input` on stdin (stdin is closed either way, never a TTY). */
export function tessera(
  args: readonly string[],
  options: { cwd?: string; input?: string; env?: Record<string, string> } = {},
): CliResult {
  const spawnOptions: SpawnSyncOptions = {
    cwd: options.cwd,
    input: options.input ?? '',
    env: { ...process.env, ...options.env },
    encoding: 'utf8',
    timeout: 30_000,
  }
  const result = spawnSync(process.execPath, [BIN, ...args], spawnOptions)
  if (result.error) throw result.error
  return { status: result.status, stdout: String(result.stdout), stderr: String(result.stderr) }
}

/** A fresh temporary directory, removed by the returned function. */
export function tempDir(prefix = 'tessera-cli-'): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix))
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) }
}

/** The `code` from the `code: message` line on stderr (the last one, after any warnings). */
export function stderrCode(stderr: string): string | undefined {
  const lines = stderr.trim().split('\n')
  return /^(ERR_[A-Z0-9_]+): /.exec(lines[lines.length - 1] ?? '')?.[1]
}
