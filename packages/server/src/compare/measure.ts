/**
 * @module The sessions-vs-tokens comparison of issue 7, measured against this server over loopback HTTP:
 * a throwaway user logs in both ways; for each mode it counts the bytes the credential costs every
 * request, reads the server's own cost of authenticating a request (the `Server-Timing` the two `me`
 * routes send; median of many), loads `/me` and `/session/me` from a worker thread, and observes when a
 * logout takes effect. Nothing is estimated; field names carry their units.
 */
import { randomBytes } from 'node:crypto'
import { createVerifier, importJWK, type JWK } from '@tessera/jose'
import type { Services } from '../services.js'
import { type LoadFigures, runLoad } from './load-worker.js'

export interface ModeReport extends LoadFigures {
  credential: string
  credential_bytes_per_request: number
  credential_value_bytes: number
  /** Median cost of authenticating one request at this server, from its Server-Timing header. */
  server_work_microseconds_per_request: number
  revocation: string
  second_instance_needs: string
}

export interface TokenModeReport extends ModeReport {
  /** What a resource server verifying alone spends: the signature check, no store. */
  signature_check_microseconds: number
  access_token_lifetime_seconds: number
}

export interface ComparisonReport {
  measured_at: string
  duration_seconds_per_mode: number
  connections: number
  token: TokenModeReport
  session: ModeReport
  notes: string[]
}

export interface ComparisonOptions {
  /** The server's own base URL (loopback). */
  base: string
  durationMs: number
  connections: number
}

// Enough for a stable median on loopback, few enough to keep the demo run under 5 s on a 2-core machine.
const SAMPLES = 100

async function fetchJson(
  url: string,
  init: RequestInit = {},
): Promise<{ response: Response; body: unknown }> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) })
  const text = await response.text()
  return { response, body: text ? JSON.parse(text) : undefined }
}

function expectStatus(response: Response, status: number, what: string): void {
  if (response.status !== status) throw new Error(`compare: ${what} answered HTTP ${response.status}`)
}

/** Median of the `dur` (ms) of `auth` in Server-Timing over SAMPLES sequential requests, in µs. */
async function serverWorkMicros(url: string, headers: Record<string, string>): Promise<number> {
  const durations: number[] = []
  for (let i = 0; i < SAMPLES; i++) {
    const response = await fetch(url, { headers })
    await response.arrayBuffer()
    const match = /auth;[^,]*dur=([\d.]+)/.exec(response.headers.get('server-timing') ?? '')
    if (response.status !== 200 || !match) throw new Error(`compare: ${url} gave no Server-Timing`)
    durations.push(Number(match[1]))
  }
  durations.sort((a, b) => a - b)
  // The header has 3 decimals (1 µs); never report 0 for work that was done.
  return Math.max(1, Math.round(durations[Math.floor(durations.length / 2)]! * 1000))
}

async function signatureCheck(token: string, jwks: { keys: JWK[] }) {
  const header = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as {
    alg: string
    kid?: string
  }
  const jwk = jwks.keys.find((key) => key.kid === header.kid) ?? jwks.keys[0]!
  const verify = createVerifier({ key: await importJWK(jwk, header.alg), algorithms: [header.alg] })
  // Warm up (JIT), then enough rounds to sit far above timer resolution (ES256 ≈ 100-200 µs here).
  for (let i = 0; i < 100; i++) verify(token)
  const rounds = 500
  const t0 = performance.now()
  for (let i = 0; i < rounds; i++) verify(token)
  const micros = Math.max(1, Math.round(((performance.now() - t0) * 1000) / rounds))
  return { micros, verify }
}

export async function runComparison(
  services: Services,
  options: ComparisonOptions,
): Promise<ComparisonReport> {
  const { base, durationMs, connections } = options
  const origin = new URL(base).origin
  const username = `compare-${randomBytes(6).toString('hex')}`
  const password = randomBytes(18).toString('base64url')
  const user = await services.users.register(username, password)
  const credentials = JSON.stringify({ username, password })
  try {
    // Token mode.
    const login = await fetchJson(`${base}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: credentials,
    })
    expectStatus(login.response, 200, 'POST /auth/login')
    const tokens = login.body as { access_token: string; refresh_token: string; expires_in: number }
    const authorization = `Bearer ${tokens.access_token}`
    const jwks = (await fetchJson(`${base}/.well-known/jwks.json`)).body as { keys: JWK[] }
    const signature = await signatureCheck(tokens.access_token, jwks)
    const tokenWork = await serverWorkMicros(`${base}/me`, { authorization })
    const tokenLoad = await runLoad({
      url: `${base}/me`,
      headers: { authorization },
      durationMs,
      connections,
    })
    const logout = await fetch(`${base}/auth/logout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refresh_token: tokens.refresh_token }),
    })
    expectStatus(logout, 204, 'POST /auth/logout')
    const issuerAfter = (await fetch(`${base}/me`, { headers: { authorization } })).status
    const introspectedAfter = (await services.tokens.introspect(tokens.access_token)).active
    let localAfter = 'refused'
    try {
      signature.verify(tokens.access_token)
      localAfter = 'still accepted'
    } catch {}

    // Session mode.
    const sessionLogin = await fetchJson(`${base}/session/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin, 'sec-fetch-site': 'same-origin' },
      body: credentials,
    })
    expectStatus(sessionLogin.response, 200, 'POST /session/login')
    const cookie = (sessionLogin.response.headers.get('set-cookie') ?? '').split(';')[0]!
    const sessionWork = await serverWorkMicros(`${base}/session/me`, { cookie })
    const sessionLoad = await runLoad({
      url: `${base}/session/me`,
      headers: { cookie },
      durationMs,
      connections,
    })
    const sessionLogout = await fetch(`${base}/session/logout`, {
      method: 'POST',
      headers: { cookie, origin, 'sec-fetch-site': 'same-origin' },
    })
    expectStatus(sessionLogout, 204, 'POST /session/logout')
    const sessionAfter = (await fetch(`${base}/session/me`, { headers: { cookie } })).status

    const ttl = tokens.expires_in
    const store = services.store.kind === 'sqlite' ? 'the SQLite file' : `the ${services.store.kind} store`
    return {
      measured_at: new Date(services.clock()).toISOString(),
      duration_seconds_per_mode: durationMs / 1000,
      connections,
      token: {
        credential: 'Authorization: Bearer <access token>',
        credential_bytes_per_request: Buffer.byteLength(`Authorization: ${authorization}\r\n`),
        credential_value_bytes: Buffer.byteLength(tokens.access_token),
        server_work_microseconds_per_request: tokenWork,
        signature_check_microseconds: signature.micros,
        access_token_lifetime_seconds: ttl,
        ...tokenLoad,
        revocation:
          `after logout: this server's /me answered ${issuerAfter} at once (it looks up the token's sid), ` +
          `introspection then said active: ${introspectedAfter}; a resource server verifying alone ${localAfter} it until exp (up to ${ttl} s)`,
        second_instance_needs:
          'the JWKS only (cached per its Cache-Control); no shared store to verify a token',
      },
      session: {
        credential: `Cookie: ${cookie.split('=')[0]}=<session id>`,
        credential_bytes_per_request: Buffer.byteLength(`Cookie: ${cookie}\r\n`),
        credential_value_bytes: Buffer.byteLength(cookie.slice(cookie.indexOf('=') + 1)),
        server_work_microseconds_per_request: sessionWork,
        ...sessionLoad,
        revocation: `after logout: /session/me answered ${sessionAfter} at once (the session row is gone), on every instance sharing the store`,
        second_instance_needs: `the same session store on every request (${store}, or Redis with --redis)`,
      },
      notes: [
        `Measured by this server against itself on loopback: ${durationMs / 1000} s of GET /me and of GET /session/me, ${connections} keep-alive connections from a worker thread; compare the modes with each other, not with other machines.`,
        `server_work_microseconds_per_request is the median of ${SAMPLES} requests' Server-Timing: for /me the ${jwks.keys[0]?.alg ?? 'JWS'} signature check plus this server's sid lookup (so it can refuse ended sessions), for /session/me the session lookup in ${store}.`,
        'signature_check_microseconds is what a separate resource server spends per request: the signature check alone, no network, no store.',
        'Bytes count the whole request-header line that carries the credential; the refresh token travels only to /auth/refresh.',
      ],
    }
  } finally {
    // The throwaway user cannot be logged into afterwards (disabling also ends its sessions and families).
    await services.users.setDisabled(user.username, true).catch(() => {})
  }
}
