/**
 * @module `npm run load -- --scenario me`: what a request costs at the issuer, token against session.
 * Many users (each connection cycling through its share of their tokens or cookies), on loopback:
 *   one instance on SQLite — GET /me with access tokens against GET /healthz of the same server (or an
 *   unauthenticated JSON route where there is none), the token check against the session lookup, the
 *   cold path (each request a token never seen before, obtained by refreshing) beside the limit computed
 *   in the same run from /healthz and the in-process ES256 verify rate (in rounds, each between two
 *   measurements of the limit: scripts/load/me-cold.ts), GET /me with DPoP (a new proof
 *   per request) beside GET /me with Bearer for the same users, and p50/p99 under 50 connections;
 *   three instances on PostgreSQL + Redis — the token check against the session lookup, and the delay
 *   from a logout on one instance to the refusal of its token on another, over 100 logouts.
 * Each ratio's two sides run A B B A. A benchmark, not a test: it prints figures and ratios (`--json`
 * for machines); the targets are beside them.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Instance, startInstance } from '../../packages/server/test/helpers/instances.js'
import { freshDatabase, REDIS_URL } from '../../packages/server/test/helpers/services.js'
import { cleanup, cleanupOnSignals, onCleanup } from './cleanup.js'
import { coldBesideLimit } from './me-cold.js'
import {
  accessTokens,
  freshTokens,
  login,
  registerUsers,
  sessionCookies,
  userNames,
} from './me-credentials.js'
import { dpopBesideBearer } from './me-dpop.js'
import { type MeReport, printMe } from './me-report.js'
import { coldPath, cycling, logoutDelays, paired, type Run } from './me-runs.js'

export interface MeOptions {
  duration: number
  connections: number
  users: number
  /** 1: SQLite only; 3: also three instances on PostgreSQL + Redis. */
  instances: 1 | 3
  coldTokens: number
  /** Rounds the cold path's tokens are split over, each between two measurements of its limit. */
  coldRounds: number
  /** Requests a side in each round of GET /me with DPoP beside Bearer. */
  dpopRequests: number
  logouts: number
  logLevel: string
  json: boolean
}

/** Never-seen tokens for the cold path's Server-Timing samples: a quarter on the idle server, the rest under load. */
const SAMPLE_TOKENS = 600

const SECRET = 'load-secret-0123456789-abcdefghijklmnopq'
const ISSUER = 'http://localhost:8080'

function settings(database: string, logLevel: string, redis?: string): Record<string, unknown> {
  return {
    database,
    ...(redis ? { redis } : {}),
    secret: SECRET,
    issuer: ISSUER,
    logLevel,
    // Every user registers and logs in from one address: keep the per-address limits out of it.
    registrationsPerIp: 1_000_000,
    ipMaxFailures: 1_000_000,
    accountFreeFailures: 1_000_000,
  }
}

/** The unauthenticated baseline: /healthz, or where a server has none yet, the JWKS document. */
async function baselinePath(url: string): Promise<string> {
  const response = await fetch(`${url}/healthz`)
  await response.arrayBuffer()
  return response.status === 200 ? '/healthz' : '/.well-known/jwks.json'
}

/**
 * Warm-up, the same for every route a ratio compares: each route in turn, then once more in reverse order,
 * so the last route warmed is not always the same one and every route's code is optimised before its first
 * measured run (a 2 s warm-up of /me and /session/me only left the first measured /me run slower than the
 * later ones).
 */
async function warmUp(
  urls: string[],
  connections: number,
  routes: [string, Record<string, string>[]][],
): Promise<void> {
  for (const [path, credentials] of [...routes, ...[...routes].reverse()])
    await cycling('warm-up', urls, path, credentials, connections, 2)
}

const bearer = (tokens: string[][]) => tokens.flat().map((t) => ({ authorization: `Bearer ${t}` }))
const cookie = (cookies: string[][]) => cookies.flat().map((c) => ({ cookie: c }))

export async function runMe(options: MeOptions): Promise<void> {
  cleanupOnSignals()
  const { duration, connections } = options
  const dir = mkdtempSync(join(tmpdir(), 'tessera-load-me-'))
  onCleanup(`remove ${dir}`, () => rmSync(dir, { recursive: true, force: true }))
  const log = (line: string) => process.stderr.write(`load: ${line}\n`)
  const users = userNames(options.users)
  const runs: Run[] = []
  const report: Partial<MeReport> = {}
  try {
    // One instance, SQLite.
    const one = await startInstance('S', settings(`sqlite:${join(dir, 'me.db')}`, options.logLevel), {
      logFile: join(dir, 'sqlite.log'),
    })
    onCleanup('stop the SQLite instance', () => one.stop())
    const baseline = await baselinePath(one.url)
    log(`SQLite instance at ${one.url}; registering ${users.length} users…`)
    await registerUsers(one.url, users)
    const tokens = await accessTokens(one.url, users, 4)
    const cookies = await sessionCookies(one.url, users, 2)
    const pids = [one.child.pid!]
    log('warming up…')
    // Every route measured gets the same warm-up, the baseline too, so no side runs on colder code.
    await warmUp([one.url], connections, [
      [baseline, []],
      ['/me', bearer(tokens)],
      ['/session/me', cookie(cookies)],
    ])
    const healthzRun = () => cycling(`GET ${baseline}`, [one.url], baseline, [], connections, duration, pids)
    const meRun = () =>
      cycling(
        'GET /me (token check at the issuer)',
        [one.url],
        '/me',
        bearer(tokens),
        connections,
        duration,
        pids,
      )
    const sessionRun = () =>
      cycling(
        'GET /session/me (session lookup)',
        [one.url],
        '/session/me',
        cookie(cookies),
        connections,
        duration,
        pids,
      )
    // Each ratio from its own A B B A: the sides of a ratio sit next to each other in time.
    const [healthz, me] = await paired(healthzRun, meRun)
    const [meAgain, session] = await paired(meRun, sessionRun)
    runs.push(healthz, me, { ...meAgain, name: `${meAgain.name}, beside the session lookup` }, session)
    // A sixth as many again for the cold path's own warm-up: the limit's two rates are taken warm (a
    // /healthz warm-up, 200 verifies before the timed ones), so the server's verify-and-insert path, which
    // the hot runs never take, gets a warm-up too, with tokens of its own: the measured ones stay unseen.
    const warmCount = Math.ceil(options.coldTokens / 6)
    log(`obtaining ${options.coldTokens} + ${warmCount} never-used access tokens by refreshing…`)
    const fresh = await freshTokens(one.url, users, options.coldTokens + warmCount + SAMPLE_TOKENS)
    const pool = fresh.slice(warmCount, warmCount + options.coldTokens)
    const sampleTokens = fresh.slice(warmCount + options.coldTokens)
    await coldPath('warm-up', one.url, '/me', fresh.slice(0, warmCount), connections)
    log(`the cold path: ${options.coldRounds} rounds, each between two measurements of its limit…`)
    const coldRun = await coldBesideLimit({
      url: one.url,
      issuer: ISSUER,
      baselinePath: baseline,
      pool,
      sampleTokens,
      rounds: options.coldRounds,
      connections,
      serverPids: pids,
    })
    runs.push(coldRun.baseline, coldRun.cold)
    log(`GET /me with DPoP beside Bearer: ${users.length} users log in with keys of their own…`)
    const [bearerOnce, dpopOnce] = await dpopBesideBearer({
      url: one.url,
      issuer: ISSUER,
      path: '/me',
      users,
      bearerRequests: bearer(tokens),
      count: options.dpopRequests,
      connections,
      serverPids: pids,
    })
    runs.push(bearerOnce, dpopOnce)
    const me50 = await cycling(
      'GET /me, 50 connections',
      [one.url],
      '/me',
      bearer(tokens),
      50,
      duration,
      pids,
    )
    const session50 = await cycling(
      'GET /session/me, 50 connections',
      [one.url],
      '/session/me',
      cookie(cookies),
      50,
      duration,
      pids,
    )
    runs.push(me50, session50)
    Object.assign(report, {
      baselinePath: baseline,
      verifiesPerSecond: coldRun.verifiesPerSecond,
      coldLimitRequestsPerSecond: coldRun.limitRequestsPerSecond,
      coldRounds: coldRun.rounds,
      coldSignatureUs: coldRun.signatureUs,
      ratios: {
        meOverHealthz: me.requestsPerSecond / healthz.requestsPerSecond,
        tokenOverSessionSqlite: meAgain.requestsPerSecond / session.requestsPerSecond,
        coldOverLimit: coldRun.ratio,
        dpopOverBearer: dpopOnce.requestsPerSecond / bearerOnce.requestsPerSecond,
      },
    })
    await one.stop()

    if (options.instances === 3) {
      const db = freshDatabase('load_me')
      onCleanup('drop the PostgreSQL schema', () => db.drop())
      const instances: Instance[] = []
      for (const name of ['A', 'B', 'C']) {
        const instance = await startInstance(name, settings(db.url, options.logLevel, REDIS_URL), {
          logFile: join(dir, `${name}.log`),
        })
        onCleanup(`stop instance ${name}`, () => instance.stop())
        instances.push(instance)
      }
      const [a, b] = instances as [Instance, Instance]
      const urls = instances.map((i) => i.url)
      log(`three instances on PostgreSQL + Redis; registering ${users.length} users…`)
      await registerUsers(a.url, users)
      const tokens3 = await accessTokens(a.url, users, 4)
      const cookies3 = await sessionCookies(a.url, users, 2)
      const pids3 = instances.map((i) => i.child.pid!)
      await warmUp(urls, connections, [
        ['/me', bearer(tokens3)],
        ['/session/me', cookie(cookies3)],
      ])
      const [me3, session3] = await paired(
        () =>
          cycling(
            'GET /me (token check at the issuer)',
            urls,
            '/me',
            bearer(tokens3),
            connections,
            duration,
            pids3,
          ),
        () =>
          cycling(
            'GET /session/me (session lookup)',
            urls,
            '/session/me',
            cookie(cookies3),
            connections,
            duration,
            pids3,
          ),
      )
      runs.push(me3, session3)
      log(`${options.logouts} logouts on A, each watched on B…`)
      const pairs = []
      for (let n = 0; n < options.logouts; n++) pairs.push(await login(a.url, users[n % users.length]!))
      const delays = await logoutDelays(a.url, b.url, pairs)
      Object.assign(report, { logout: delays })
      report.ratios!.tokenOverSessionThree = me3.requestsPerSecond / session3.requestsPerSecond
    }
    printMe(
      { ...(report as MeReport), runs, connections, durationSeconds: duration, users: users.length },
      options.json,
    )
    if (runs.some((r) => r.errors > 0)) {
      log(`some requests failed (errors must be zero); server logs in ${dir}`)
      process.exitCode = 1
    }
  } finally {
    await cleanup()
  }
}
