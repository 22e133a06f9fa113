/**
 * @module `npm run load`: the server under load on loopback.
 *
 *   npm run load [-- --duration 5 --connections 12 --json]
 *     scale: 1 and 3 instances on PostgreSQL + Redis, every endpoint (scripts/load/scale.ts).
 *
 *   npm run load -- --scenario refresh --baseline 47ed3ed [--current <rev>] [--backends sqlite,postgres]
 *       [--connections 12 --duration 5 --rounds 4 --warmup 2 --log-level info --json --no-build]
 *     refresh: POST /auth/refresh req/s of a baseline revision and of the working tree (or `--current`
 *     revision) side by side, on SQLite and on PostgreSQL (scripts/load/refresh-compare.ts). A revision
 *     is checked out in a temporary worktree, installed and built there; `--no-build` uses the working
 *     tree's existing build. The servers log at `--log-level` (info, as deployed: the request lines a
 *     version writes at that level are part of its cost; `warn` leaves them out).
 *
 *   npm run load -- --scenario me [--connections 32 --duration 5 --users 48 --instances 3
 *       --cold-tokens 24000 --cold-rounds 4 --dpop-requests 12000 --logouts 100 --log-level info --json]
 *     me: GET /me (token check at the issuer) against /healthz and against GET /session/me on one
 *     SQLite instance, the cold path beside its limit, GET /me with DPoP beside Bearer (`--dpop-requests`
 *     a side and round, each DPoP one with its own proof), p50/p99 under 50 connections; with `--instances 3`
 *     (the default) also on three instances on PostgreSQL + Redis and the logout-to-refusal delay
 *     (scripts/load/me.ts).
 *
 *   npm run load -- --scenario compare [--instances 3 --duration 5 --connections 12 --json]
 *     compare: the report of `tessera compare` on one SQLite instance, or over three instances on
 *     PostgreSQL + Redis (scripts/load/compare.ts).
 *
 *   npm run load -- --scenario oidc [--instances 1|3 --duration 5 --connections 12 --log-level info --json]
 *     oidc: client_credentials grants/s and complete sign-ins/s (/authorize with a provider session →
 *     /token → /userinfo) on one SQLite instance or three on PostgreSQL + Redis (scripts/load/oidc.ts).
 *
 * Needs PostgreSQL (and, for `scale`, `me` and `compare --instances 3`, Redis) on 127.0.0.1: TESSERA_TEST_POSTGRES / TESSERA_TEST_REDIS.
 */
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { runCompare } from './load/compare.js'
import { runMe } from './load/me.js'
import { runOidc } from './load/oidc.js'
import { type Backend, compareRefresh } from './load/refresh-compare.js'
import { runScale } from './load/scale.js'

const { values } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'scale' },
    duration: { type: 'string', default: '5' },
    connections: { type: 'string' },
    json: { type: 'boolean', default: false },
    baseline: { type: 'string' },
    current: { type: 'string' },
    backends: { type: 'string', default: 'sqlite,postgres' },
    rounds: { type: 'string', default: '4' },
    warmup: { type: 'string', default: '2' },
    'no-build': { type: 'boolean', default: false },
    'log-level': { type: 'string', default: 'info' },
    users: { type: 'string', default: '48' },
    instances: { type: 'string', default: '3' },
    'cold-tokens': { type: 'string', default: '24000' },
    'cold-rounds': { type: 'string', default: '4' },
    'dpop-requests': { type: 'string', default: '12000' },
    logouts: { type: 'string', default: '100' },
  },
})

function fail(message: string, status = 2): never {
  process.stderr.write(`load: ${message}\n`)
  process.exit(status)
}

/** A whole number within bounds, or a message naming the flag. */
function count(flag: string, value: string, min: number, max: number): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < min || n > max)
    fail(`--${flag} must be a whole number from ${min} to ${max}`)
  return n
}

const duration = count('duration', values.duration, 1, 300)
const connections = count(
  'connections',
  values.connections ?? (values.scenario === 'me' ? '32' : '12'),
  1,
  256,
)

if (values.scenario === 'scale') {
  // A multiple of 3, so three instances get the same number of connections each.
  await runScale({ duration, connections: Math.max(3, Math.round(connections / 3) * 3), json: values.json })
} else if (values.scenario === 'refresh') {
  // A failed install, build or start says what failed and how; a stack trace would add nothing.
  if (!values.baseline) fail('--scenario refresh needs --baseline <rev> (the commit to compare against)')
  const backends = values.backends.split(',').map((b) => b.trim())
  for (const b of backends) if (b !== 'sqlite' && b !== 'postgres') fail(`--backends: unknown backend "${b}"`)
  await compareRefresh({
    repoRoot: fileURLToPath(new URL('..', import.meta.url)),
    baseline: values.baseline,
    current: values.current,
    backends: backends as Backend[],
    connections,
    duration,
    rounds: count('rounds', values.rounds, 1, 20),
    warmup: count('warmup', values.warmup, 0, 60),
    buildWorkingTree: !values['no-build'],
    logLevel: values['log-level'],
    json: values.json,
  }).catch((error: Error) => fail(error.message, 1))
} else if (values.scenario === 'me') {
  const instances = count('instances', values.instances, 1, 3)
  if (instances !== 1 && instances !== 3)
    fail('--instances must be 1 (SQLite only) or 3 (also PostgreSQL + Redis)')
  await runMe({
    duration,
    connections,
    users: count('users', values.users, 1, 1000),
    instances: instances as 1 | 3,
    coldTokens: count('cold-tokens', values['cold-tokens'], 100, 100_000),
    coldRounds: count('cold-rounds', values['cold-rounds'], 1, 20),
    dpopRequests: count('dpop-requests', values['dpop-requests'], 300, 200_000),
    logouts: count('logouts', values.logouts, 1, 1000),
    logLevel: values['log-level'],
    json: values.json,
  }).catch((error: Error) => fail(error.message, 1))
} else if (values.scenario === 'compare') {
  const instances = count('instances', values.instances, 1, 3)
  if (instances !== 1 && instances !== 3) fail('--instances must be 1 (SQLite) or 3 (PostgreSQL + Redis)')
  await runCompare({
    instances: instances as 1 | 3,
    duration,
    connections,
    logLevel: values['log-level'],
    json: values.json,
  }).catch((error: Error) => fail(error.message, 1))
} else if (values.scenario === 'oidc') {
  const instances = count('instances', values.instances, 1, 3)
  if (instances !== 1 && instances !== 3) fail('--instances must be 1 (SQLite) or 3 (PostgreSQL + Redis)')
  await runOidc({
    instances: instances as 1 | 3,
    duration,
    // A multiple of the instances, so each gets the same share.
    connections: Math.max(instances, Math.round(connections / instances) * instances),
    logLevel: values['log-level'],
    json: values.json,
  }).catch((error: Error) => fail(error.message, 1))
} else {
  fail(`unknown --scenario "${values.scenario}" (scale, refresh, me, compare or oidc)`)
}
