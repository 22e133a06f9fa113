/**
 * @module `npm run load` (the default `scale` scenario): autocannon against 1 and 3 server instances on
 * loopback sharing PostgreSQL and Redis, for `/api` (a resource server checking signatures with the
 * JWKS only), `/me` (token: a signature check and a family lookup), `/session/me` (session: a store
 * lookup), `/auth/refresh` (a rotation) and `/auth/login` (argon2id). Prints requests/s, p50/p99
 * latency and errors (which must be zero: the exit status says so). Needs PostgreSQL and Redis on
 * 127.0.0.1 (TESSERA_TEST_POSTGRES / TESSERA_TEST_REDIS to change).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Instance, startInstance } from '../../packages/server/test/helpers/instances.js'
import { dropSchema, freshDatabase, REDIS_URL } from '../../packages/server/test/helpers/services.js'
import { type AutocannonOptions, autocannon } from './autocannon.js'

export interface ScaleOptions {
  /** Seconds per run. */
  duration: number
  /** A multiple of 3, so three instances get the same number of connections each. */
  connections: number
  json: boolean
}

const PASSWORD = 'correct horse battery staple'
const SECRET = 'load-secret-0123456789-abcdefghijklmnopq'

interface Row {
  scenario: string
  instances: number
  requestsPerSecond: number
  latencyP50Ms: number
  latencyP99Ms: number
  requests: number
  errors: number
}

const post = async (url: string, path: string, body: unknown) => {
  const response = await fetch(url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`)
  return response
}

async function run(
  { duration, connections }: ScaleOptions,
  scenario: string,
  path: string,
  targets: Instance[],
  options: Partial<AutocannonOptions>,
): Promise<Row> {
  const result = await autocannon({
    url: targets.map((t) => t.url + path),
    connections,
    duration,
    ...options,
  })
  const errors = result.errors + result.timeouts + result.non2xx
  return {
    scenario,
    instances: targets.length,
    requestsPerSecond: Math.round(result.requests.average),
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    requests: result.requests.total,
    errors,
  }
}

/** A `node:http` resource server verifying with the issuer's JWKS only (scripts/load-resource-server.ts). */
function startResourceServer(issuer: string, jwksUrl: string): Promise<{ url: string; child: ChildProcess }> {
  const script = fileURLToPath(new URL('../load-resource-server.ts', import.meta.url))
  const child = spawn(process.execPath, ['--import', 'tsx', script, issuer, 'tessera', jwksUrl], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  return new Promise((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (chunk) => {
      out += chunk
      const match = /READY (\S+)/.exec(out)
      if (match) resolve({ url: match[1]!, child })
    })
    child.once('exit', (code) => reject(new Error(`the resource server exited with ${code}`)))
  })
}

export async function runScale(opts: ScaleOptions): Promise<void> {
  const { connections, duration, json } = opts
  const db = freshDatabase('load')
  const settings = {
    database: db.url,
    redis: REDIS_URL,
    secret: SECRET,
    issuer: 'http://localhost:8080',
    // As in production: one log line per request and response (the first line says where it listens).
    logLevel: 'info',
    // The login scenario sends one account's (correct) password from many connections at once: the
    // brute-force limiter counts attempts in flight as possible failures, so keep it out of the measurement.
    ipMaxFailures: 1_000_000,
    accountFreeFailures: 1_000_000,
  }
  const instances: Instance[] = []
  const resourceServers: ChildProcess[] = []
  try {
    const logDir = mkdtempSync(join(tmpdir(), 'tessera-load-'))
    process.stderr.write(`load: instance logs in ${logDir}\n`)
    instances.push(
      ...(await Promise.all(
        ['A', 'B', 'C'].map((name) =>
          startInstance(name, settings, { logFile: join(logDir, `${name}.log`) }),
        ),
      )),
    )
    const [a] = instances as [Instance]
    await post(a.url, '/auth/register', { username: 'loadtest', password: PASSWORD })
    const login = async (on: Instance) =>
      (await (await post(on.url, '/auth/login', { username: 'loadtest', password: PASSWORD })).json()) as {
        access_token: string
        refresh_token: string
      }
    const { access_token } = await login(a)
    const sessionResponse = await fetch(`${a.url}/session/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'sec-fetch-site': 'same-origin' },
      body: JSON.stringify({ username: 'loadtest', password: PASSWORD }),
    })
    const sessionCookie = sessionResponse.ok
      ? (sessionResponse.headers.get('set-cookie') ?? '').split(';')[0]
      : undefined

    const resources = await Promise.all(
      instances.map((i) => startResourceServer(settings.issuer, `${i.url}/.well-known/jwks.json`)),
    )
    resourceServers.push(...resources.map((r) => r.child))

    const rows: Row[] = []
    for (const count of [1, 3]) {
      const targets = instances.slice(0, count)
      rows.push(
        await run(
          opts,
          'GET /api (resource server, JWKS only)',
          '/api',
          resources.slice(0, count).map((r, n) => ({ ...instances[n]!, url: r.url })),
          { headers: { authorization: `Bearer ${access_token}` } },
        ),
      )
      rows.push(
        await run(opts, 'GET /me (token)', '/me', targets, {
          headers: { authorization: `Bearer ${access_token}` },
        }),
      )
      if (sessionCookie) {
        rows.push(
          await run(opts, 'GET /session/me (session)', '/session/me', targets, {
            headers: { cookie: sessionCookie },
          }),
        )
      }
      // Each rotation consumes its token: a pool of live chains, one token taken per request and its
      // successor put back from the response.
      const pool = (await Promise.all(Array.from({ length: connections * 2 }, () => login(a)))).map(
        (t) => t.refresh_token,
      )
      rows.push(
        await run(opts, 'POST /auth/refresh', '/auth/refresh', targets, {
          requests: [
            {
              method: 'POST',
              path: '/auth/refresh',
              headers: { 'content-type': 'application/json' },
              setupRequest: (request) => ({
                ...request,
                body: JSON.stringify({ refresh_token: pool.shift() }),
              }),
              onResponse: (status, body) => {
                if (status === 200) pool.push((JSON.parse(body) as { refresh_token: string }).refresh_token)
              },
            },
          ],
        }),
      )
      rows.push(
        await run(opts, 'POST /auth/login (argon2id)', '/auth/login', targets, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'loadtest', password: PASSWORD }),
        }),
      )
    }

    if (json) {
      process.stdout.write(`${JSON.stringify({ connections, durationSeconds: duration, rows }, null, 2)}\n`)
    } else {
      process.stdout.write(
        `\n${connections} connections, ${duration} s per run, node ${process.version}, PostgreSQL + Redis on loopback\n\n`,
      )
      process.stdout.write('| scenario | instances | req/s | p50 ms | p99 ms | requests | errors |\n')
      process.stdout.write('|---|---:|---:|---:|---:|---:|---:|\n')
      for (const r of rows) {
        process.stdout.write(
          `| ${r.scenario} | ${r.instances} | ${r.requestsPerSecond} | ${r.latencyP50Ms} | ${r.latencyP99Ms} | ${r.requests} | ${r.errors} |\n`,
        )
      }
      if (!sessionCookie)
        process.stdout.write('\n(session mode is not available on this server: /session/me skipped)\n')
    }
    if (rows.some((r) => r.errors > 0)) {
      process.stderr.write('load: some requests failed (errors must be zero)\n')
      process.exitCode = 1
    }
  } finally {
    for (const child of resourceServers) child.kill('SIGTERM')
    await Promise.all(instances.map((i) => i.stop()))
    await dropSchema(db.schema)
  }
}
