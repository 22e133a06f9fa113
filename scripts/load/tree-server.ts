/**
 * @module Starts a server from a built tree in a child process (tree-server-child.ts), its logs in a
 * file (pino writes synchronously: a pipe to this busy process would stall it), and stops it.
 */
import { spawn } from 'node:child_process'
import { closeSync, openSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { onCleanup } from './cleanup.js'
import type { Tree } from './tree.js'

export interface TreeServer {
  url: string
  /** SIGTERM, and wait for the exit. */
  stop(): Promise<void>
}

const script = fileURLToPath(new URL('./tree-server-child.ts', import.meta.url))

export function startTreeServer(
  tree: Tree,
  overrides: Record<string, unknown>,
  logFile: string,
): Promise<TreeServer> {
  const log = openSync(logFile, 'w')
  const child = spawn(process.execPath, ['--import', 'tsx', script, tree.root], {
    cwd: tree.root,
    env: { ...process.env, TESSERA_LOAD_OVERRIDES: JSON.stringify(overrides) },
    stdio: ['ignore', log, log, 'ipc'],
  })
  closeSync(log)
  const exited = new Promise<void>((done) => child.once('exit', () => done()))
  const stop = onCleanup(`stop the ${tree.label} server`, async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    await exited
  })
  return new Promise((resolve, reject) => {
    let settled = false
    const fail = (why: string) => {
      if (settled) return
      settled = true
      const tail = readFileSync(logFile, 'utf8').trim().split('\n').slice(-10).join('\n')
      void stop().then(() => reject(new Error(`the ${tree.label} server (${tree.commit}) ${why}:\n${tail}`)))
    }
    const timer = setTimeout(() => fail('did not start in 30 s'), 30_000)
    child.once('message', (message: { url?: string }) => {
      clearTimeout(timer)
      if (!message.url) return fail('sent no address')
      settled = true
      resolve({ url: message.url, stop })
    })
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      fail(`exited with ${code ?? signal} before listening`)
    })
  })
}
