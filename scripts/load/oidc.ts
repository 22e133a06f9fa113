/**
 * @module `npm run load -- --scenario oidc`: the OpenID provider under load on loopback, one instance on
 * SQLite or three on PostgreSQL + Redis (a fresh schema, its Redis keys namespaced by it). A:
 * client_credentials grants/s with a confidential client (client_secret_basic) over N connections; B:
 * complete sign-ins/s — each virtual user signs in once through the login page, then loops /authorize
 * with its provider session → code → /token (PKCE) → /userinfo. Rates, p50/p99, errors and the load
 * average beside the targets; a benchmark, not a test.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { addClient, addUser, loadConfig, type ServerConfig } from '../../packages/server/src/index.js'
import { type Instance, startInstance } from '../../packages/server/test/helpers/instances.js'
import { dropSchema, freshDatabase, REDIS_URL } from '../../packages/server/test/helpers/services.js'
import { autocannon } from './autocannon.js'
import { cleanup, cleanupOnSignals, onCleanup } from './cleanup.js'
import { type OidcReport, type OidcRow, printOidc } from './oidc-report.js'
import {
  authorizeUrl,
  percentile,
  providerSession,
  type SignInClient,
  type SignInResult,
  signInLoop,
} from './oidc-signin.js'

export interface OidcOptions {
  instances: 1 | 3
  duration: number
  /** Connections for the grants, virtual users for the sign-ins. */
  connections: number
  logLevel: string
  json: boolean
}

const SECRET = 'load-secret-0123456789-abcdefghijklmnopq'
const ISSUER = 'http://localhost:8080'
const PASSWORD = 'correct horse battery staple'
const REDIRECT_URI = 'http://127.0.0.1:9999/callback'
/** Issue 13's targets for one instance on this 2-core machine. */
const GRANTS_TARGET = 1000
const SIGN_INS_TARGET = 300

function settings(database: string, logLevel: string, redis?: string): Partial<ServerConfig> {
  return {
    database,
    ...(redis ? { redis } : {}),
    secret: SECRET,
    issuer: ISSUER,
    logLevel,
    demoUser: false,
    // Every virtual user signs in from one address: keep the per-address limits out of it.
    ipMaxFailures: 1_000_000,
    accountFreeFailures: 1_000_000,
  } as Partial<ServerConfig>
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); 0 where there is none. */
function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
    // utime and stime, fields 14 and 15 of stat(5), in clock ticks (USER_HZ, 100 on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100
  } catch {
    return 0
  }
}

/** What `run` cost in CPU: the servers' and this load generator's, in seconds. */
async function measured<T>(
  instances: Instance[],
  run: () => Promise<T>,
): Promise<{ result: T; serverCpu: number; clientCpu: number }> {
  const servers = () => instances.reduce((sum, i) => sum + cpuSeconds(i.child.pid), 0)
  const before = servers()
  const client = process.cpuUsage()
  const result = await run()
  const used = process.cpuUsage(client)
  return { result, serverCpu: servers() - before, clientCpu: (used.user + used.system) / 1e6 }
}

export async function runOidc(options: OidcOptions): Promise<void> {
  cleanupOnSignals()
  const { duration, connections, instances: count } = options
  const log = (line: string) => process.stderr.write(`load: ${line}\n`)
  const dir = mkdtempSync(join(tmpdir(), 'tessera-load-oidc-'))
  onCleanup(`remove ${dir}`, () => rmSync(dir, { recursive: true, force: true }))
  try {
    let overrides: Partial<ServerConfig>
    if (count === 1) {
      overrides = settings(`sqlite:${join(dir, 'oidc.db')}`, options.logLevel)
    } else {
      const db = freshDatabase('load_oidc')
      onCleanup(`drop schema ${db.schema}`, () => dropSchema(db.schema))
      overrides = settings(db.url, options.logLevel, REDIS_URL)
    }
    // Registered through the admin functions `tessera clients add` / `users add` use: the real hashing.
    const config = loadConfig({ host: '127.0.0.1', port: 0, ...overrides })
    const machine = await addClient(config, {
      name: 'load machine client',
      redirectUris: [],
      scope: 'api:read',
      grantTypes: ['client_credentials'],
    })
    const app = await addClient(config, {
      name: 'load first-party app',
      redirectUris: [REDIRECT_URI],
      firstParty: true,
      grantTypes: ['authorization_code'],
    })
    // The same app with ES256 ID tokens: RS256 (the registration default, as OpenID Connect Dynamic
    // Registration says) costs an RSA signature per sign-in.
    const appEs256 = await addClient(config, {
      name: 'load first-party app, ES256 ID tokens',
      redirectUris: [REDIRECT_URI],
      firstParty: true,
      grantTypes: ['authorization_code'],
      idTokenSignedResponseAlg: 'ES256',
    })
    const users = Array.from({ length: connections }, (_, n) => `load-oidc-${n}`)
    for (const u of users)
      await addUser(config, u, PASSWORD, { name: `Load ${u}`, email: `${u}@example.com` })

    const started: Instance[] = await Promise.all(
      ['A', 'B', 'C']
        .slice(0, count)
        .map((name) => startInstance(name, overrides, { logFile: join(dir, `${name}.log`) })),
    )
    for (const i of started) onCleanup(`stop instance ${i.name}`, () => i.stop())
    const urls = started.map((i) => i.url)
    const store = count === 1 ? 'SQLite' : 'PostgreSQL + Redis'
    log(`${count} instance(s) on ${store} at ${urls.join(', ')}; logs in ${dir}`)

    // A: client_credentials.
    const basic = Buffer.from(`${machine.client.client_id}:${machine.secret}`).toString('base64')
    const grants = (seconds: number) =>
      autocannon({
        url: urls.map((u) => `${u}/token`),
        connections,
        duration: seconds,
        method: 'POST',
        headers: {
          authorization: `Basic ${basic}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: 'grant_type=client_credentials',
      })
    log('warming up the grants…')
    await grants(2)
    log(`client_credentials: ${connections} connections, ${duration} s…`)
    const {
      result: a,
      serverCpu: aServer,
      clientCpu: aClient,
    } = await measured(started, () => grants(duration))
    const rows: OidcRow[] = [
      {
        name: 'A: client_credentials grants (POST /token, client_secret_basic)',
        instances: count,
        store,
        connections,
        perSecond: Math.round(a.requests.total / a.duration),
        latencyP50Ms: a.latency.p50,
        latencyP99Ms: a.latency.p99,
        count: a.requests.total,
        errors: a.errors + a.timeouts + a.non2xx,
        loadAverage: loadavg()[0]!,
        target: GRANTS_TARGET,
        serverCpuMsEach: a.requests.total ? (aServer * 1000) / a.requests.total : 0,
        clientCpuShare: aClient / a.duration,
      },
    ]

    // B: complete sign-ins.
    const client: SignInClient = {
      clientId: app.client.client_id,
      secret: app.secret!,
      redirectUri: REDIRECT_URI,
    }
    log(`signing ${users.length} virtual users in through the login page…`)
    const sessions: { url: string; cookie: string }[] = []
    for (const [n, u] of users.entries()) {
      const url = urls[n % urls.length]!
      sessions.push({ url, cookie: await providerSession(url, client, u, PASSWORD) })
    }
    log('warming up the sign-ins…')
    await signInLoop(client, sessions, 2)
    type Half = Awaited<ReturnType<typeof measured<SignInResult>>>
    const half = (on: SignInClient) => measured(started, () => signInLoop(on, sessions, duration / 2))
    const row = (name: string, [x, y]: [Half, Half]): SignInResult => {
      const b: SignInResult = {
        signIns: x.result.signIns + y.result.signIns,
        errors: x.result.errors + y.result.errors,
        failures: [...x.result.failures, ...y.result.failures],
        seconds: x.result.seconds + y.result.seconds,
        latencies: [...x.result.latencies, ...y.result.latencies],
        steps: {
          authorize: x.result.steps.authorize + y.result.steps.authorize,
          token: x.result.steps.token + y.result.steps.token,
          userinfo: x.result.steps.userinfo + y.result.steps.userinfo,
        },
        ...(y.result.accessToken ? { accessToken: y.result.accessToken } : {}),
      }
      const serverCpu = x.serverCpu + y.serverCpu
      rows.push({
        name,
        instances: count,
        store,
        connections: sessions.length,
        perSecond: Math.round(b.signIns / b.seconds),
        latencyP50Ms: percentile(b.latencies, 50),
        latencyP99Ms: percentile(b.latencies, 99),
        count: b.signIns,
        errors: b.errors,
        loadAverage: loadavg()[0]!,
        target: SIGN_INS_TARGET,
        serverCpuMsEach: b.signIns ? (serverCpu * 1000) / b.signIns : 0,
        clientCpuShare: (x.clientCpu + y.clientCpu) / b.seconds,
      })
      return b
    }
    const es256: SignInClient = { ...client, clientId: appEs256.client.client_id, secret: appEs256.secret! }
    await signInLoop(es256, sessions, 1)
    // RS256, ES256, ES256, RS256 (half the duration each): a drift in the machine's load weighs on both.
    log(
      `sign-ins: ${sessions.length} virtual users, ${duration} s per ID-token algorithm (RS256 ES256 ES256 RS256)…`,
    )
    const rs1 = await half(client)
    const es1 = await half(es256)
    const es2 = await half(es256)
    const rs2 = await half(client)
    const b = row('B: complete sign-ins (/authorize → /token → /userinfo), ID token RS256', [rs1, rs2])
    const bEs = row('B: the same, ID token ES256', [es1, es2])
    const mean = (v: number) => (b.signIns ? v / b.signIns : 0)

    // Server CPU of each step: /authorize and /userinfo alone (the same requests, repeated), and
    // /token as what is left of a sign-in.
    const alone = async (path: string, headers: Record<string, string>) => {
      const { result, serverCpu } = await measured(started, () =>
        autocannon({ url: urls.map((u) => u + path), connections, duration: 3, headers }),
      )
      const statuses = Object.entries(result.statusCodeStats).map(([code, { count }]) => `${code}×${count}`)
      log(`  ${path.split('?')[0]}: ${result.requests.total} requests (${statuses.join(', ')})`)
      return result.requests.total ? (serverCpu * 1000) / result.requests.total : 0
    }
    log('server CPU of /authorize and /userinfo alone, 3 s each…')
    const authorizeOnly = authorizeUrl(urls[0]!, client, 'a-fixed-verifier-0123456789-0123456789-abcdef')
    const authorizeCpu = await alone(authorizeOnly.pathname + authorizeOnly.search, {
      cookie: sessions[0]!.cookie,
    })
    const userinfoCpu = b.accessToken
      ? await alone('/userinfo', { authorization: `Bearer ${b.accessToken}` })
      : 0
    const signInCpu = rows[1]!.serverCpuMsEach
    const report: OidcReport = {
      durationSeconds: duration,
      node: process.version,
      cores: availableParallelism(),
      rows,
      steps: {
        authorize: mean(b.steps.authorize),
        token: mean(b.steps.token),
        userinfo: mean(b.steps.userinfo),
      },
      failures: [...new Set([...b.failures, ...bEs.failures])],
      serverCpuMs: {
        authorize: authorizeCpu,
        userinfo: userinfoCpu,
        token: Math.max(0, signInCpu - authorizeCpu - userinfoCpu),
      },
    }
    printOidc(report, options.json)
    if (rows.some((r) => r.errors > 0)) {
      process.stderr.write('load: some requests failed (errors must be zero)\n')
      process.exitCode = 1
    }
  } finally {
    await cleanup()
  }
}
