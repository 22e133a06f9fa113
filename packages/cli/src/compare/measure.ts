/**
 * @module What `tessera compare` measures against a running server, mode by mode: a throwaway user logs
 * in each way; the bytes each request spends on its credential; the server's own cost of authenticating
 * a request (the `Server-Timing: auth` header of `/me` and `/session/me`, median of many); the load each
 * protected endpoint takes; the local signature check; and when a logout takes effect. Nothing is
 * estimated: a figure that cannot be measured is `null` or a mode is `available: false`, with the reason.
 *
 * The field names match the report @tessera/server keeps at `GET /api/compare`, so the web page can show
 * either; `available` and `url` are added here because this client may meet a server without a mode.
 */
import { randomBytes } from 'node:crypto'
import { createVerifier, importJWK, type JWK } from '@tessera/jose'
import { CliRemoteError } from '../errors.js'
import { call, expectStatus } from './http-client.js'
import { type LoadResult, runLoad } from './load.js'

export interface CompareOptions {
  base: string
  durationMs: number
  connections: number
  username?: string | undefined
  password?: string | undefined
}

export interface ModeReport extends LoadResult {
  available: true
  credential: string
  credential_bytes_per_request: number
  credential_value_bytes: number
  /** Median `Server-Timing: auth` of the protected endpoint; null when the server sends none. */
  server_work_microseconds_per_request: number | null
  revocation: string
  second_instance_needs: string
}

export interface TokenReport extends ModeReport {
  signature_check_microseconds: number
  signature_alg: string
  access_token_lifetime_seconds: number
}

export interface Missing {
  available: false
  missing: string
}

export interface CompareReport {
  url: string
  measured_at: string
  duration_seconds_per_mode: number
  connections: number
  token: TokenReport
  session: ModeReport | Missing
  notes: string[]
}

interface Account {
  username: string
  password: string
  throwaway: boolean
}

/** Sequential requests for the Server-Timing median: enough for a stable middle, quick on loopback. */
const TIMING_SAMPLES = 100

/** A fresh user through /auth/register, or the one the caller named. */
async function account(options: CompareOptions): Promise<Account> {
  if (options.username && options.password) {
    return { username: options.username, password: options.password, throwaway: false }
  }
  const username = `compare-${randomBytes(6).toString('hex')}`
  // 24 random base64url characters: long enough for any length policy, never on a common-password list.
  const password = randomBytes(18).toString('base64url')
  const result = await call(options.base, 'POST', '/auth/register', { json: { username, password } })
  if (result.status === 404 || result.status === 403) {
    throw new CliRemoteError(
      'this server does not allow registration: pass --username and set TESSERA_COMPARE_PASSWORD for an existing user',
    )
  }
  if (result.status !== 200 && result.status !== 201) expectStatus(result, 201, 'POST /auth/register')
  return { username, password, throwaway: true }
}

/** Median of the `auth` entry of Server-Timing over sequential requests, in µs; null if absent. */
async function serverWorkMicros(url: string, headers: Record<string, string>): Promise<number | null> {
  const durations: number[] = []
  for (let i = 0; i < TIMING_SAMPLES; i++) {
    const response = await fetch(url, { headers, signal: AbortSignal.timeout(10_000) })
    await response.arrayBuffer()
    const match = /(?:^|,)\s*auth;[^,]*dur=([\d.]+)/.exec(response.headers.get('server-timing') ?? '')
    if (response.status !== 200)
      throw new CliRemoteError(`GET ${new URL(url).pathname} answered HTTP ${response.status}`)
    if (!match) return null
    durations.push(Number(match[1]))
  }
  durations.sort((a, b) => a - b)
  // Server-Timing has microsecond resolution at best; never report 0 for work that was done.
  return Math.max(1, Math.round(durations[Math.floor(durations.length / 2)]! * 1000))
}

/** Microseconds per verification of `token` with the server's published key, in this process. */
async function signatureCheck(token: string, jwks: { keys: JWK[] }) {
  const header = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as {
    alg: string
    kid?: string
  }
  const jwk = jwks.keys.find((key) => key.kid === header.kid) ?? jwks.keys[0]
  if (!jwk) throw new CliRemoteError('the server’s JWKS is empty; cannot check its tokens')
  const verify = createVerifier({ key: await importJWK(jwk, header.alg), algorithms: [header.alg] })
  // Warm up (JIT, header cache) so the figure is the steady state a long-running verifier sees.
  for (let i = 0; i < 200; i++) verify(token)
  const rounds = 2000
  const t0 = performance.now()
  for (let i = 0; i < rounds; i++) verify(token)
  const micros = Math.max(1, Math.round(((performance.now() - t0) * 1000) / rounds))
  return { micros, alg: header.alg, verify }
}

async function measureToken(options: CompareOptions, user: Account): Promise<TokenReport> {
  const login = await call(options.base, 'POST', '/auth/login', {
    json: { username: user.username, password: user.password },
  })
  expectStatus(login, 200, 'POST /auth/login')
  const body = login.body as { access_token?: string; refresh_token?: string; expires_in?: number }
  if (typeof body?.access_token !== 'string')
    throw new CliRemoteError('POST /auth/login returned no access_token')
  const token = body.access_token
  const authorization = `Bearer ${token}`
  expectStatus(
    await call(options.base, 'GET', '/me', { headers: { authorization } }),
    200,
    'GET /me with the new access token',
  )

  const jwksResult = await call(options.base, 'GET', '/.well-known/jwks.json')
  expectStatus(jwksResult, 200, 'GET /.well-known/jwks.json')
  const jwks = jwksResult.body as { keys: JWK[] }
  const signature = await signatureCheck(token, jwks)
  const meUrl = new URL('/me', options.base).href
  const work = await serverWorkMicros(meUrl, { authorization })
  const load = await runLoad({
    url: meUrl,
    headers: { authorization },
    durationMs: options.durationMs,
    connections: options.connections,
  })

  // Revocation: end the family, then present the same access token to the server and to a local verifier.
  const logout = await call(options.base, 'POST', '/auth/logout', {
    json: body.refresh_token ? { refresh_token: body.refresh_token } : {},
    headers: { authorization },
  })
  const lifetime = body.expires_in ?? 0
  let revocation = `logout answered HTTP ${logout.status}, so revocation was not observed`
  if (logout.status >= 200 && logout.status < 300) {
    const after = await call(options.base, 'GET', '/me', { headers: { authorization } })
    let local = 'refused'
    try {
      signature.verify(token)
      local = 'still accepted'
    } catch {}
    revocation =
      `after logout: this server's /me answered ${after.status} at once` +
      (after.status === 401 ? ' (it looks up the token’s sid)' : '') +
      `; a resource server verifying alone ${local} it until exp (up to ${lifetime} s) unless it introspects`
  }
  const cacheControl = jwksResult.headers.get('cache-control')
  return {
    available: true,
    credential: 'Authorization: Bearer <access token>',
    credential_bytes_per_request: Buffer.byteLength(`Authorization: ${authorization}\r\n`),
    credential_value_bytes: Buffer.byteLength(token),
    server_work_microseconds_per_request: work,
    signature_check_microseconds: signature.micros,
    signature_alg: signature.alg,
    access_token_lifetime_seconds: lifetime,
    ...load,
    revocation,
    second_instance_needs: `the JWKS only${cacheControl ? ` (Cache-Control: ${cacheControl})` : ''}; no shared store to verify a token`,
  }
}

/** The `name=value` pair of the session cookie from a login's Set-Cookie headers. */
function sessionCookie(setCookies: string[]): string | undefined {
  const pairs = setCookies.map((header) => header.split(';')[0]!.trim())
  return pairs.find((pair) => /session/i.test(pair.split('=')[0]!)) ?? pairs[0]
}

async function measureSession(options: CompareOptions, user: Account): Promise<ModeReport | Missing> {
  // Same-origin, as the web app's own fetch would be: the CSRF check (Fetch Metadata, Origin) passes.
  const sameOrigin = { origin: new URL(options.base).origin, 'sec-fetch-site': 'same-origin' }
  const login = await call(options.base, 'POST', '/session/login', {
    json: { username: user.username, password: user.password },
    headers: sameOrigin,
  })
  if (login.status === 404) {
    return {
      available: false,
      missing:
        'POST /session/login answered 404: this server has no session mode (issue 7), so nothing was measured',
    }
  }
  if (login.status < 200 || login.status >= 300) expectStatus(login, 200, 'POST /session/login')
  const cookie = sessionCookie(login.setCookies)
  if (!cookie) throw new CliRemoteError('POST /session/login set no cookie')
  const meUrl = new URL('/session/me', options.base).href
  expectStatus(
    await call(options.base, 'GET', '/session/me', { headers: { cookie } }),
    200,
    'GET /session/me with the new cookie',
  )
  const work = await serverWorkMicros(meUrl, { cookie })
  const load = await runLoad({
    url: meUrl,
    headers: { cookie },
    durationMs: options.durationMs,
    connections: options.connections,
  })
  const csrf = (login.body as { csrf_token?: string } | undefined)?.csrf_token
  const logout = await call(options.base, 'POST', '/session/logout', {
    headers: { cookie, ...sameOrigin, ...(csrf ? { 'x-csrf-token': csrf } : {}) },
  })
  let revocation = `logout answered HTTP ${logout.status}, so revocation was not observed`
  if (logout.status >= 200 && logout.status < 300) {
    const after = await call(options.base, 'GET', '/session/me', { headers: { cookie } })
    revocation = `after logout: /session/me answered ${after.status} at once${after.status === 401 ? ' (the session row is gone)' : ''}, on every instance sharing the store`
  }
  const name = cookie.slice(0, cookie.indexOf('='))
  return {
    available: true,
    credential: `Cookie: ${name}=<session id>`,
    credential_bytes_per_request: Buffer.byteLength(`Cookie: ${cookie}\r\n`),
    credential_value_bytes: Buffer.byteLength(cookie.slice(cookie.indexOf('=') + 1)),
    server_work_microseconds_per_request: work,
    ...load,
    revocation,
    second_instance_needs: 'the same session store (database or Redis) on every request',
  }
}

export async function runCompare(options: CompareOptions): Promise<CompareReport> {
  const user = await account(options)
  const token = await measureToken(options, user)
  const session = await measureSession(options, user)
  const notes = [
    `Measured from this client over HTTP: ${options.durationMs / 1000} s of GET /me and of GET /session/me, ${options.connections} keep-alive connections (closed loop); compare the modes with each other, not with other machines.`,
    `server_work_microseconds_per_request is the median of ${TIMING_SAMPLES} requests' Server-Timing "auth" entry, as the server reports its own work (null: the server sends none).`,
    'signature_check_microseconds is what a separate resource server spends per request: the signature check alone, timed in this process with @tessera/jose.',
    'Bytes count the whole request-header line that carries the credential; the refresh token travels only to /auth/refresh.',
  ]
  if (!session.available) notes.push(`Session mode was not measured: ${session.missing}.`)
  if (user.throwaway) {
    notes.push(
      `The throwaway user "${user.username}" stays in the store (logged out); remove its access with "tessera users disable ${user.username}".`,
    )
  }
  return {
    url: options.base,
    measured_at: new Date().toISOString(),
    duration_seconds_per_mode: options.durationMs / 1000,
    connections: options.connections,
    token,
    session,
    notes,
  }
}
