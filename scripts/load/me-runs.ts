/**
 * @module The measured runs of the `me` scenario: a GET route under autocannon with each connection
 * cycling through its own share of the credentials (or taking each never-used token once, for the cold
 * path), the in-process ES256 verify rate, and the delay from a logout on one instance to the refusal
 * of its access token on another.
 */
import { readFileSync } from 'node:fs'
import { createLocalJWKSet, createVerifier, type JWK } from '@tessera/jose'
import { type AutocannonOptions, autocannon } from './autocannon.js'
import { median } from './stats.js'

export interface Run {
  name: string
  instances: number
  connections: number
  requestsPerSecond: number
  latencyP50Ms: number
  latencyP99Ms: number
  requests: number
  errors: number
  /** CPU time of the load generator (this process) per request, µs. */
  loadCpuUsPerRequest?: number
  /** CPU time of the server process(es) per request, µs (where /proc can tell). */
  serverCpuUsPerRequest?: number
}

/**
 * `path` on `urls` with `connections` connections for `seconds`; connection c sends, in turn, the
 * headers at positions c, c + connections, … of `credentials` (so 32 connections share 48 users' tokens).
 * Each connection's requests are built once, before the run, as autocannon builds the one request of a
 * run without credentials: a request rebuilt per send (`setupRequest`) cost the generator ~7 µs more per
 * request than the baseline's prebuilt one (measured in a CPU profile), on the two cores it shares with
 * the server. `serverPids`: the server processes whose CPU time the run reports per request.
 */
export async function cycling(
  name: string,
  urls: string[],
  path: string,
  credentials: Record<string, string>[],
  connections: number,
  seconds: number,
  serverPids: number[] = [],
): Promise<Run> {
  let client = 0
  const options: AutocannonOptions = {
    url: urls.map((u) => u + path),
    connections,
    duration: seconds,
    timeout: 10,
  }
  if (credentials.length > 0) {
    options.setupClient = (c) => {
      const share = credentials.filter((_, i) => i % connections === client % connections)
      // More connections than credentials: several connections share one.
      const mine = share.length > 0 ? share : [credentials[client % credentials.length]!]
      client++
      c.setRequests(mine.map((headers) => ({ method: 'GET', path, headers })))
    }
  }
  const cpu = cpuMeter(serverPids)
  const result = await autocannon(options)
  return { ...figures(name, urls.length, connections, result), ...cpu.perRequest(result.requests.total) }
}

/**
 * CPU time per request of this process (the load generator: autocannon runs on its main thread) and of
 * the server processes (from /proc, where there is one), over one run: on a machine with two cores the
 * generator's work is part of what a run measures, so it is reported beside the server's.
 */
function cpuMeter(serverPids: number[]) {
  const ownStart = process.cpuUsage()
  const serverStart = serverCpuMicros(serverPids)
  return {
    perRequest(requests: number): Pick<Run, 'loadCpuUsPerRequest' | 'serverCpuUsPerRequest'> {
      const own = process.cpuUsage(ownStart)
      const server = serverCpuMicros(serverPids)
      const per = (micros: number) => Number((micros / Math.max(requests, 1)).toFixed(1))
      return {
        loadCpuUsPerRequest: per(own.user + own.system),
        ...(server !== undefined && serverStart !== undefined
          ? { serverCpuUsPerRequest: per(server - serverStart) }
          : {}),
      }
    },
  }
}

/** utime + stime of `pids` in microseconds (Linux /proc; undefined elsewhere or with no pids). */
function serverCpuMicros(pids: number[]): number | undefined {
  if (pids.length === 0) return undefined
  let ticks = 0
  for (const pid of pids) {
    let stat: string
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    } catch {
      return undefined
    }
    // Fields after the command name (which may hold spaces) start at state; utime and stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    ticks += Number(fields[11]) + Number(fields[12])
  }
  // The kernel counts in USER_HZ ticks, 100 per second on Linux.
  return ticks * 10_000
}

/** Each token in `pool` sent once to `path` (the cold path: no cache has seen any of them). */
export function coldPath(
  name: string,
  url: string,
  path: string,
  pool: string[],
  connections: number,
  serverPids: number[] = [],
): Promise<Run> {
  const requests = pool.map((token) => ({ authorization: `Bearer ${token}` }))
  return eachOnce(name, url, path, requests, connections, serverPids)
}

/**
 * GET `path` once with each of `requests` (headers): tokens never seen, or DPoP proofs that may be sent
 * once. Connection c sends the requests at positions c, c + connections, …, each built before the run
 * (as in `cycling`), and autocannon gives connection c exactly that many sends. Answers are counted from
 * the run's `response` events, not a per-request `onResponse`: that one makes autocannon rebuild every
 * answer's headers as an object for it, generator work the baseline's run does not do.
 */
export async function eachOnce(
  name: string,
  url: string,
  path: string,
  requests: Record<string, string>[],
  connections: number,
  serverPids: number[] = [],
): Promise<Run> {
  // autocannon notices the last of `amount` answers only at its next once-a-second tick and reports
  // that as the duration: time the answers here instead, from when the last connection was set up.
  let answered = 0
  let last = 0
  let t0 = performance.now()
  let client = 0
  let cpu = cpuMeter(serverPids)
  const running = autocannon({
    url: url + path,
    connections,
    duration: 600,
    amount: requests.length,
    timeout: 10,
    setupClient: (c) => {
      const mine = requests.filter((_, i) => i % connections === client)
      client++
      c.setRequests(mine.map((headers) => ({ method: 'GET', path, headers })))
      // Building the requests is set-up, as the baseline's is: time and CPU count from here.
      if (client === connections) {
        t0 = performance.now()
        cpu = cpuMeter(serverPids)
      }
    },
  } as AutocannonOptions & { amount: number })
  // Without a callback autocannon answers with its run's event emitter, made thenable.
  ;(running as unknown as NodeJS.EventEmitter).on('response', () => {
    answered++
    last = performance.now()
  })
  const result = await running
  const run = { ...figures(name, 1, connections, result), ...cpu.perRequest(result.requests.total) }
  return { ...run, requestsPerSecond: Math.round(answered / ((last - t0) / 1000)) }
}

/**
 * Two runs measured A B B A, so a machine load that rises or falls across the run weighs on both alike;
 * each side's figures are the mean of its two rounds.
 */
export async function paired(a: () => Promise<Run>, b: () => Promise<Run>): Promise<[Run, Run]> {
  const a1 = await a()
  const b1 = await b()
  const b2 = await b()
  const a2 = await a()
  return [meanRuns([a1, a2]), meanRuns([b1, b2])]
}

/** The mean of `runs` of one route: rates and latencies averaged, requests and errors summed. */
export function meanRuns(runs: Run[]): Run {
  const avg = (pick: (r: Run) => number, digits: number) =>
    Number((runs.reduce((sum, r) => sum + pick(r), 0) / runs.length).toFixed(digits))
  const cpu = (field: 'loadCpuUsPerRequest' | 'serverCpuUsPerRequest') =>
    runs.every((r) => r[field] !== undefined) ? { [field]: avg((r) => r[field]!, 1) } : {}
  return {
    ...runs[0]!,
    requestsPerSecond: Math.round(avg((r) => r.requestsPerSecond, 2)),
    latencyP50Ms: avg((r) => r.latencyP50Ms, 2),
    latencyP99Ms: avg((r) => r.latencyP99Ms, 2),
    requests: runs.reduce((sum, r) => sum + r.requests, 0),
    errors: runs.reduce((sum, r) => sum + r.errors, 0),
    ...cpu('loadCpuUsPerRequest'),
    ...cpu('serverCpuUsPerRequest'),
  }
}

function figures(
  name: string,
  instances: number,
  connections: number,
  result: Awaited<ReturnType<typeof autocannon>>,
): Run {
  return {
    name,
    instances,
    connections,
    requestsPerSecond: Math.round(result.requests.total / result.duration),
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors + result.timeouts + result.non2xx,
  }
}

/** ES256 verifications per second in this process, each of a different token, with the server's JWKS. */
export async function verifyRate(url: string, tokens: string[], issuer: string): Promise<number> {
  const jwks = (await (await fetch(`${url}/.well-known/jwks.json`)).json()) as { keys: JWK[] }
  const verify = createVerifier({
    key: createLocalJWKSet(jwks),
    algorithms: ['ES256', 'EdDSA'],
    issuer,
    audience: 'tessera',
    typ: 'at+jwt',
  })
  for (const token of tokens.slice(0, 200)) await verify(token)
  const t0 = performance.now()
  for (const token of tokens) await verify(token)
  return Math.round(tokens.length / ((performance.now() - t0) / 1000))
}

/**
 * Over `count` logouts: log in on the first instance, see the token accepted by `other`, log out on the
 * first, then ask `other` again and again until it refuses; the delay runs from the logout's answer.
 */
export async function logoutDelays(
  first: string,
  other: string,
  pairs: { access_token: string; refresh_token: string }[],
): Promise<{ medianMs: number; maxMs: number; count: number; refusedAtFirstAsk: number }> {
  const delays: number[] = []
  let atOnce = 0
  for (const pair of pairs) {
    const authorization = `Bearer ${pair.access_token}`
    const before = await fetch(`${other}/me`, { headers: { authorization } })
    await before.arrayBuffer()
    if (before.status !== 200)
      throw new Error(`/me on the other instance answered ${before.status} before logout`)
    const logout = await fetch(`${first}/auth/logout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: JSON.stringify({ refresh_token: pair.refresh_token }),
    })
    await logout.arrayBuffer()
    if (!logout.ok) throw new Error(`/auth/logout answered ${logout.status}`)
    const t0 = performance.now()
    for (let ask = 0; ; ask++) {
      const response = await fetch(`${other}/me`, { headers: { authorization } })
      await response.arrayBuffer()
      if (response.status === 401) {
        if (ask === 0) atOnce++
        break
      }
      if (performance.now() - t0 > 10_000)
        throw new Error('the other instance still accepted the token 10 s after logout')
    }
    delays.push(performance.now() - t0)
  }
  return {
    medianMs: Number(median(delays).toFixed(2)),
    maxMs: Number(Math.max(...delays).toFixed(2)),
    count: delays.length,
    refusedAtFirstAsk: atOnce,
  }
}
