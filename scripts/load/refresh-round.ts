/**
 * @module One measured round of `POST /auth/refresh`: every connection logs in once as its own user,
 * then refreshes its own chain for the round, presenting the refresh token the previous response handed
 * back (a rotated token presented again is reuse, and would revoke the chain).
 */
import { autocannon } from './autocannon.js'

export const PASSWORD = 'correct horse battery staple'

export interface RoundResult {
  requestsPerSecond: number
  requests: number
  seconds: number
  latencyP50Ms: number
  latencyP99Ms: number
  /** Non-2xx answers, connection errors and timeouts. */
  errors: number
  /** Answers by status code, e.g. `{ "200": 4000, "401": 2 }`. */
  statuses: Record<string, number>
}

async function post(url: string, path: string, body: unknown): Promise<Response> {
  const response = await fetch(url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`)
  return response
}

/** The user names a run uses: one per connection, so no two chains share a user. */
export function userNames(connections: number): string[] {
  return Array.from({ length: connections }, (_, n) => `load-refresh-${n}`)
}

export async function registerUsers(url: string, users: string[]): Promise<void> {
  for (const username of users) await post(url, '/auth/register', { username, password: PASSWORD })
}

/** One login per user (argon2id each, a few at a time): the first refresh token of each chain. */
export async function loginChains(url: string, users: string[]): Promise<string[]> {
  const tokens: string[] = []
  for (let at = 0; at < users.length; at += 4) {
    const batch = users.slice(at, at + 4).map(async (username) => {
      const body = (await (await post(url, '/auth/login', { username, password: PASSWORD })).json()) as {
        refresh_token?: string
      }
      if (!body.refresh_token) throw new Error('/auth/login answered without a refresh_token in its body')
      return body.refresh_token
    })
    tokens.push(...(await Promise.all(batch)))
  }
  return tokens
}

/** `tokens.length` connections for `seconds`, each carrying its own rotating refresh token. */
export async function refreshRound(url: string, tokens: string[], seconds: number): Promise<RoundResult> {
  let next = 0
  const result = await autocannon({
    url,
    connections: tokens.length,
    duration: seconds,
    timeout: 10,
    setupClient: (client) => {
      let token = tokens[next++]!
      client.setRequests([
        {
          method: 'POST',
          path: '/auth/refresh',
          headers: { 'content-type': 'application/json' },
          setupRequest: (request) => ({ ...request, body: JSON.stringify({ refresh_token: token }) }),
          onResponse: (status, body) => {
            if (status === 200) token = (JSON.parse(body) as { refresh_token: string }).refresh_token
          },
        },
      ])
    },
  })
  const statuses: Record<string, number> = {}
  for (const [status, { count }] of Object.entries(result.statusCodeStats)) statuses[status] = count
  return {
    requestsPerSecond: result.requests.total / result.duration,
    requests: result.requests.total,
    seconds: result.duration,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
    statuses,
  }
}
