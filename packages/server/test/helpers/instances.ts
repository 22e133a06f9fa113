/**
 * @module Starts server instances as separate processes (helpers/scale-instance.ts) and reads each one's
 * address from its first log line, as an operator's script would.
 */
import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import { closeSync, openSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { ServerConfig } from '../../src/index.js'
import type { Tokens } from './test-server.js'

export interface Instance {
  name: string
  url: string
  child: ChildProcess
  /** Asks the instance to rotate its signing key at once; resolves with the new kid. */
  rotate(): Promise<string>
  /** SIGKILL: no graceful close, connections cut mid-request. */
  kill(): void
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>
}

const script = fileURLToPath(new URL('./scale-instance.ts', import.meta.url))

export interface InstanceOptions {
  /**
   * Write the instance's logs to this file instead of a pipe to this process. For load runs: pino writes
   * synchronously, so a parent busy generating load would otherwise stall every instance on a full pipe.
   */
  logFile?: string
}

export function startInstance(
  name: string,
  overrides: Partial<ServerConfig>,
  options: InstanceOptions = {},
): Promise<Instance> {
  // The address comes from the "tessera listening on" line, which the server logs at info: a quieter
  // level would leave this waiting for a line that never comes.
  const level = overrides.logLevel ?? 'info'
  if (!['trace', 'debug', 'info'].includes(level))
    return Promise.reject(
      new Error(
        `instance ${name}: log level "${level}" hides the info-level "listening" line this helper reads the address from; use info, debug or trace`,
      ),
    )
  const logFd = options.logFile ? openSync(options.logFile, 'w') : undefined
  const child = spawn(process.execPath, ['--import', 'tsx', script, JSON.stringify(overrides)], {
    stdio: ['ignore', logFd ?? 'pipe', 'pipe', 'ipc'],
  })
  if (logFd !== undefined) closeSync(logFd)
  let stderr = ''
  child.stderr!.on('data', (chunk) => {
    stderr += chunk
  })
  return new Promise((resolve, reject) => {
    let out = ''
    let started = false
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`instance ${name} did not start in 20 s: ${stderr}`))
    }, 20_000)
    child.once('exit', (code) => {
      clearTimeout(timer)
      if (!started) reject(new Error(`instance ${name} exited with ${code}: ${stderr}`))
    })
    const onOutput = (chunk: string | Buffer) => {
      if (started) return
      out += chunk
      const newline = out.indexOf('\n')
      if (newline === -1) return
      started = true
      clearTimeout(timer)
      const first = JSON.parse(out.slice(0, newline)) as { msg: string }
      const match = /^tessera listening on (\S+)$/.exec(first.msg)
      if (!match) return reject(new Error(`instance ${name}: unexpected first log line ${first.msg}`))
      resolve({
        name,
        url: match[1]!,
        child,
        rotate: () =>
          new Promise((done, fail) => {
            child.once('message', (m: { rotated?: string; error?: string }) =>
              m.rotated ? done(m.rotated) : fail(new Error(m.error)),
            )
            child.send('rotate')
          }),
        kill: () => {
          child.kill('SIGKILL')
        },
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done()
            child.once('exit', () => done())
            child.kill('SIGTERM')
          }),
      })
    }
    if (child.stdout) {
      child.stdout.on('data', onOutput)
    } else {
      const poll = setInterval(() => {
        if (started || child.exitCode !== null) return clearInterval(poll)
        out = ''
        onOutput(readFileSync(options.logFile!, 'utf8'))
      }, 50)
    }
  })
}

/** POSTs `body` as JSON to `path` on an instance; `signal` bounds how long the answer may take. */
export const postJson = (i: Instance, path: string, body: unknown, signal?: AbortSignal) =>
  fetch(i.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    ...(signal ? { signal } : {}),
  })

/** Logs `username` in on an instance (POST /auth/login) and returns the tokens; any answer but 200 fails. */
export async function loginOn(
  i: Instance,
  username: string,
  password: string,
  signal?: AbortSignal,
): Promise<Tokens> {
  const response = await postJson(i, '/auth/login', { username, password }, signal)
  assert.equal(response.status, 200, `login on ${i.name}: ${await response.clone().text()}`)
  return (await response.json()) as Tokens
}
