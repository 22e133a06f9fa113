/**
 * @module Starts `tessera serve --port 0` (the built binary) as a child process and reads its URL from
 * the first log line, as a deployment script would.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { BIN } from './run-cli.js'

export interface ServeProcess {
  url: string
  firstLine: string
  child: ChildProcess
  /** Log lines read so far (stdout). */
  lines: string[]
  /** SIGTERM, then the exit status. */
  stop(): Promise<number | null>
}

export async function serve(
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<ServeProcess> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...args], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr!.on('data', (chunk) => {
    stderr += chunk
  })
  const lines: string[] = []
  const reader = createInterface({ input: child.stdout! })
  const first = new Promise<string>((resolve, reject) => {
    reader.on('line', (line) => {
      lines.push(line)
      if (lines.length === 1) resolve(line)
    })
    child.once('exit', (code) =>
      reject(new Error(`tessera serve exited with ${code} before logging: ${stderr}`)),
    )
    setTimeout(() => reject(new Error(`tessera serve logged nothing in 20 s: ${stderr}`)), 20_000).unref()
  })
  const firstLine = await first
  const url = /http:\/\/[^\s"]+/.exec(firstLine)?.[0]
  if (!url) throw new Error(`the first log line has no URL: ${firstLine}`)
  return {
    url,
    firstLine,
    child,
    lines,
    stop: async () => {
      if (child.exitCode !== null) return child.exitCode
      child.kill('SIGTERM')
      const [code] = await once(child, 'exit')
      return code as number | null
    },
  }
}
