/**
 * @module Spawns serve-child.ts and waits for its `READY <url>` line.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { ServerConfig } from '../../src/index.js'

export interface ChildServer {
  url: string
  child: ChildProcess
  /** SIGTERM, then the exit code (0 after a graceful close). */
  stop(): Promise<number | null>
}

const script = fileURLToPath(new URL('./serve-child.ts', import.meta.url))

export function spawnServer(overrides: Partial<ServerConfig>): Promise<ChildServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, JSON.stringify(overrides)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env },
  })
  let stderr = ''
  child.stderr!.on('data', (chunk) => {
    stderr += chunk
  })
  return new Promise((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`child server did not start in 20 s: ${stderr}`))
    }, 20_000)
    child.stdout!.on('data', (chunk) => {
      out += chunk
      const match = /READY (\S+)/.exec(out)
      if (match) {
        clearTimeout(timer)
        resolve({
          url: match[1]!,
          child,
          stop: () =>
            new Promise<number | null>((done) => {
              if (child.exitCode !== null) return done(child.exitCode)
              child.once('exit', (exitCode) => done(exitCode))
              child.kill('SIGTERM')
            }),
        })
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`child server exited with ${code}: ${stderr}`))
    })
  })
}
