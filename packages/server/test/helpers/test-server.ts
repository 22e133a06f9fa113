/**
 * @module Starts a real server for a test: loopback, port 0, a real SQLite file in a fresh temp dir, a
 * fixed TESSERA_SECRET, logs captured in memory (so tests can also check nothing secret was logged).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  type Clock,
  loadConfig,
  type RunningServer,
  type ServerConfig,
  startServer,
} from '../../src/index.js'
import { testStoreSettings } from './test-store.js'

export const TEST_SECRET = 'test-secret-0123456789-abcdefghijklmnop'
export const INTROSPECTION = { id: 'resource-server', secret: 'rs-secret-0123456789' }

export interface TestServer {
  server: RunningServer
  url: string
  dir: string
  config: ServerConfig
  logs: string[]
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>
  form(path: string, body: Record<string, string>, headers?: Record<string, string>): Promise<Response>
  get(path: string, headers?: Record<string, string>): Promise<Response>
  introspect(token: string): Promise<Record<string, unknown>>
  stop(): Promise<void>
  /** Stops and deletes the temp dir. */
  cleanup(): Promise<void>
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'tessera-server-'))
}

export async function startTestServer(
  overrides: Partial<ServerConfig> = {},
  options: { clock?: Clock; dir?: string; logFormat?: 'json' | 'pretty' } = {},
): Promise<TestServer> {
  const dir = options.dir ?? tempDir()
  // SQLite in `dir`, or PostgreSQL (+ Redis) when TESSERA_TEST_STORE says so.
  const storeSettings = testStoreSettings(dir)
  const config = loadConfig({
    host: '127.0.0.1',
    port: 0,
    database: storeSettings.database,
    ...(storeSettings.redis ? { redis: storeSettings.redis } : {}),
    secret: TEST_SECRET,
    introspectionClients: [INTROSPECTION],
    demoUser: false,
    logLevel: 'info',
    // Suites register many users from 127.0.0.1; the limit itself is tested with its default in attack-auth.
    registrationsPerIp: 1000,
    ...overrides,
  })
  const logs: string[] = []
  const server = await startServer(config, {
    logDestination: { write: (line: string) => void logs.push(line) },
    schedule: false,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.logFormat ? { logFormat: options.logFormat } : {}),
  })
  const url = server.url
  let stopped = false
  const stop = async () => {
    if (!stopped) {
      stopped = true
      await server.close()
    }
  }
  return {
    server,
    url,
    dir,
    config,
    logs,
    post: (path, body, headers = {}) =>
      fetch(url + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      }),
    form: (path, body, headers = {}) =>
      fetch(url + path, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams(body),
      }),
    get: (path, headers = {}) => fetch(url + path, { headers }),
    async introspect(token) {
      const response = await fetch(`${url}/oauth/introspect`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${INTROSPECTION.id}:${INTROSPECTION.secret}`).toString('base64')}`,
        },
        body: new URLSearchParams({ token }),
      })
      if (response.status !== 200) throw new Error(`introspection answered ${response.status}`)
      return (await response.json()) as Record<string, unknown>
    },
    stop,
    async cleanup() {
      await stop()
      rmSync(dir, { recursive: true, force: true })
      await storeSettings.drop()
    },
  }
}

export interface Tokens {
  access_token: string
  token_type: string
  expires_in: number
  refresh_token: string
  scope: string
}

/** Registers a user and returns the first token pair. */
export async function register(
  t: TestServer,
  username: string,
  password = 'correct horse battery staple',
): Promise<Tokens> {
  const response = await t.post('/auth/register', { username, password })
  if (response.status !== 201)
    throw new Error(`register answered ${response.status}: ${await response.text()}`)
  return (await response.json()) as Tokens
}

export async function login(
  t: TestServer,
  username: string,
  password = 'correct horse battery staple',
): Promise<Tokens> {
  const response = await t.post('/auth/login', { username, password })
  if (response.status !== 200) throw new Error(`login answered ${response.status}: ${await response.text()}`)
  return (await response.json()) as Tokens
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` })
