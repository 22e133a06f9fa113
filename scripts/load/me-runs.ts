/**
 * @module The measured runs of the `me` scenario: a GET route under autocannon with each connection
 * cycling through its own share of the credentials (or taking each never-used token once, for the cold
 * path), the in-process ES256 verify rate, and the delay from a logout on one instance to the refusal
 * of its access token on another.
 */
import { createLocalJWKSet, createVerifier, type JWK } from '@tessera/jose'
import { type AutocannonOptions, autocannon } from './autocannon.js'

export interface Run {
  name: string
  instances: number
  connections: number
  requestsPerSecond: number
  latencyP50Ms: number
  latencyP99Ms: number
  requests: number
  errors: number
}

/**
 * `path` on `urls` with `connections` connections for `seconds`; connection c sends, in turn, the
 * headers at positions c, c + connections, … of `credentials` (so 32 connections share 48 users' tokens).
 */
export async function cycling(
  name: string,
  urls: string[],
  path: string,
  credentials: Record<string, string>[],
  connections: number,
  seconds: number,
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
      let next = 0
      c.setRequests([
        {
          method: 'GET',
          path,
          setupRequest: (request) => ({ ...request, headers: mine[next++ % mine.length]! }),
        },
      ])
    }
  }
  return figures(name, urls.length, connections, await autocannon(options))
}

/** Each token in `pool` sent once to `path` (the cold path: no cache has seen any of them). */
export async function coldPath(name: string, url: string, path: string, pool: string[], connections: number) {
  const tokens = [...pool]
  // autocannon notices the last of `amount` answers only at its next once-a-second tick and reports
  // that as the duration: time the answers here instead.
  let answered = 0
  let last = 0
  const t0 = performance.now()
  const result = await autocannon({
    url: url + path,
    connections,
    duration: 600,
    amount: tokens.length,
    timeout: 10,
    requests: [
      {
        method: 'GET',
        path,
        setupRequest: (request) => ({
          ...request,
          headers: { authorization: `Bearer ${tokens.shift() ?? 'none'}` },
        }),
        onResponse: () => {
          answered++
          last = performance.now()
        },
      },
    ],
  } as AutocannonOptions & { amount: number })
  const run = figures(name, 1, connections, result)
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
  return [mean(a1, a2), mean(b1, b2)]
}

function mean(one: Run, two: Run): Run {
  const avg = (x: number, y: number) => Number(((x + y) / 2).toFixed(2))
  return {
    ...one,
    requestsPerSecond: Math.round((one.requestsPerSecond + two.requestsPerSecond) / 2),
    latencyP50Ms: avg(one.latencyP50Ms, two.latencyP50Ms),
    latencyP99Ms: avg(one.latencyP99Ms, two.latencyP99Ms),
    requests: one.requests + two.requests,
    errors: one.errors + two.errors,
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
  delays.sort((a, b) => a - b)
  const mid = Math.floor(delays.length / 2)
  const median = delays.length % 2 ? delays[mid]! : (delays[mid - 1]! + delays[mid]!) / 2
  return {
    medianMs: Number(median.toFixed(2)),
    maxMs: Number(delays.at(-1)!.toFixed(2)),
    count: delays.length,
    refusedAtFirstAsk: atOnce,
  }
}
