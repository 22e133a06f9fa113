/**
 * @module The `oidc` scenario's sign-in loop: virtual users, each signed in once through the real login
 * page (a provider session cookie), then for a fixed time GET /authorize with that cookie → the code from
 * the redirect → POST /token with the PKCE verifier → GET /userinfo, over keep-alive loopback
 * connections, timing each sign-in and each of its three steps.
 */
import { createHash, randomBytes } from 'node:crypto'
import { Agent, request } from 'node:http'
import { parseForm } from '../../packages/server/test/oidc/interop-fixtures.js'

export interface SignInClient {
  clientId: string
  secret: string
  redirectUri: string
}

export interface SignInResult {
  signIns: number
  errors: number
  /** The first few distinct failures, for the log. */
  failures: string[]
  seconds: number
  /** Per sign-in, milliseconds. */
  latencies: number[]
  /** Milliseconds spent in each step, summed over the successful sign-ins. */
  steps: { authorize: number; token: number; userinfo: number }
  /** An access token from the last successful sign-in (for measuring /userinfo alone). */
  accessToken?: string
}

interface Answer {
  status: number
  location: string | undefined
  setCookie: string[]
  body: string
}

/** One request on a keep-alive agent; the whole body read. */
function send(
  agent: Agent,
  url: URL,
  method: string,
  headers: Record<string, string>,
  body?: string,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, method, headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          location: res.headers.location,
          setCookie: res.headers['set-cookie'] ?? [],
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      )
      res.on('error', reject)
    })
    req.on('error', reject)
    req.setTimeout(10_000, () => req.destroy(new Error('no answer in 10 s')))
    req.end(body)
  })
}

const b64url = (b: Buffer) => b.toString('base64url')

/** Signs `username` in through the login page (the first-party client: no consent); returns the cookie header. */
export async function providerSession(
  issuerUrl: string,
  client: SignInClient,
  username: string,
  password: string,
): Promise<string> {
  const agent = new Agent({ keepAlive: false })
  const cookies = new Map<string, string>()
  const keep = (answer: Answer) => {
    for (const line of answer.setCookie) {
      const [pair = ''] = line.split(';')
      const eq = pair.indexOf('=')
      cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim())
    }
  }
  const page = await send(agent, authorizeUrl(issuerUrl, client, b64url(randomBytes(32))), 'GET', {})
  keep(page)
  const form = parseForm(page.body)
  if (page.status !== 200 || !form?.inputs.includes('password'))
    throw new Error(`${username}: GET /authorize answered ${page.status} without the login form`)
  const fields = new URLSearchParams(form.fields)
  fields.set('username', username)
  fields.set('password', password)
  const cookie = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  // As a browser posts the provider's own form: same-origin by Fetch Metadata.
  const posted = await send(
    agent,
    new URL(form.action, issuerUrl),
    'POST',
    {
      cookie: cookie(),
      'content-type': 'application/x-www-form-urlencoded',
      'sec-fetch-site': 'same-origin',
    },
    fields.toString(),
  )
  keep(posted)
  if (!posted.location?.startsWith(client.redirectUri))
    throw new Error(`${username}: the login form answered ${posted.status}, not a redirect with a code`)
  agent.destroy()
  return cookie()
}

export function authorizeUrl(issuerUrl: string, client: SignInClient, verifier: string): URL {
  const url = new URL('/authorize', issuerUrl)
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: client.clientId,
    redirect_uri: client.redirectUri,
    scope: 'openid profile email',
    state: b64url(randomBytes(9)),
    nonce: b64url(randomBytes(9)),
    code_challenge: b64url(createHash('sha256').update(verifier).digest()),
    code_challenge_method: 'S256',
  }).toString()
  return url
}

/**
 * Runs `users` (one cookie and one instance URL each) for `seconds`; a sign-in whose step answers
 * anything but the expected status counts as one error.
 */
export async function signInLoop(
  client: SignInClient,
  users: { url: string; cookie: string }[],
  seconds: number,
): Promise<SignInResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: users.length })
  const basic = `Basic ${Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.secret)}`).toString('base64')}`
  const result: SignInResult = {
    signIns: 0,
    errors: 0,
    failures: [],
    seconds,
    latencies: [],
    steps: { authorize: 0, token: 0, userinfo: 0 },
  }
  const fail = (what: string) => {
    result.errors++
    if (result.failures.length < 5 && !result.failures.includes(what)) result.failures.push(what)
  }
  const started = performance.now()
  const end = started + seconds * 1000
  const one = async (url: string, cookie: string) => {
    const verifier = b64url(randomBytes(32))
    const t0 = performance.now()
    const a = await send(agent, authorizeUrl(url, client, verifier), 'GET', { cookie })
    const code = a.location ? new URL(a.location).searchParams.get('code') : null
    if (a.status < 300 || a.status >= 400 || !code) return fail(`GET /authorize answered ${a.status}`)
    const t1 = performance.now()
    const form = new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: client.redirectUri,
      code_verifier: verifier,
    }).toString()
    const t = await send(
      agent,
      new URL('/token', url),
      'POST',
      { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
      form,
    )
    if (t.status !== 200) return fail(`POST /token answered ${t.status}: ${t.body.slice(0, 200)}`)
    const { access_token } = JSON.parse(t.body) as { access_token: string }
    const t2 = performance.now()
    const u = await send(agent, new URL('/userinfo', url), 'GET', { authorization: `Bearer ${access_token}` })
    if (u.status !== 200) return fail(`GET /userinfo answered ${u.status}`)
    const t3 = performance.now()
    result.signIns++
    result.accessToken = access_token
    result.latencies.push(t3 - t0)
    result.steps.authorize += t1 - t0
    result.steps.token += t2 - t1
    result.steps.userinfo += t3 - t2
  }
  await Promise.all(
    users.map(async ({ url, cookie }) => {
      while (performance.now() < end) await one(url, cookie).catch((e: Error) => fail(e.message))
    }),
  )
  result.seconds = (performance.now() - started) / 1000
  agent.destroy()
  return result
}

/** The p-th percentile (0-100) of `values`, milliseconds to two decimals. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0
  const sorted = [...values].sort((x, y) => x - y)
  const at = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  return Math.round(sorted[Math.max(0, at)]! * 100) / 100
}
