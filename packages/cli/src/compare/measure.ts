/**
 * @module What `tessera compare` measures, mode by mode, against a running server: log in a throwaway
 * user each way, count the bytes each request spends on its credential, load the protected endpoint,
 * time the local signature check, and observe when a logout takes effect. Nothing is estimated: a figure
 * that cannot be measured is reported as missing, with the reason.
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

export interface TokenReport {
  available: true
  access_token_bytes: number
  credential_header_bytes_per_request: number
  access_token_lifetime_seconds: number
  signature_check_microseconds: number
  signature_alg: string
  me: LoadResult
  revocation: { auth_server_after_logout: string; local_verifiers_after_logout: string }
  second_instance_needs: string
  jwks_bytes: number
}

export interface SessionReport {
  available: true
  session_cookie_bytes: number
  credential_header_bytes_per_request: number
  me: LoadResult
  revocation: { after_logout: string }
  second_instance_needs: string
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
  token: TokenReport | Missing
  session: SessionReport | Missing
  notes: string[]
}

interface Account {
  username: string
  password: string
  throwaway: boolean
}

/** A fresh user through /auth/register, or the one the caller named. */
async function account(options: CompareOptions): Promise<Account> {
  if (options.username && options.password)
    return { username: options.username, password: options.password, throwaway: false }
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

/** Microseconds per verification of `token` with the server's published key, in this process. */
async function signatureCheckMicros(
  token: string,
  jwks: { keys: JWK[] },
): Promise<{ micros: number; alg: string }> {
  const header = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as {
    alg: string
    kid?: string
  }
  const jwk = jwks.keys.find((key) => key.kid === header.kid) ?? jwks.keys[0]
  if (!jwk) throw new CliRemoteError('the server’s JWKS is empty; cannot check its tokens')
  const key = await importJWK(jwk, header.alg)
  const verify = createVerifier({ key, algorithms: [header.alg] })
  // Warm up (JIT, header cache) so the figure is the steady state a long-running server sees.
  for (let i = 0; i < 200; i++) verify(token)
  // Enough rounds to be well above timer resolution (ES256 ≈ 50-100 µs, EdDSA less).
  const rounds = 2000
  const t0 = performance.now()
  for (let i = 0; i < rounds; i++) verify(token)
  return { micros: Number((((performance.now() - t0) * 1000) / rounds).toFixed(1)), alg: header.alg }
}

export async function measureToken(options: CompareOptions, user: Account): Promise<TokenReport> {
  const login = await call(options.base, 'POST', '/auth/login', {
    json: { username: user.username, password: user.password },
  })
  expectStatus(login, 200, 'POST /auth/login')
  const body = login.body as { access_token?: string; refresh_token?: string; expires_in?: number }
  if (typeof body?.access_token !== 'string')
    throw new CliRemoteError('POST /auth/login returned no access_token')
  const token = body.access_token
  const authorization = `Bearer ${token}`
  const me = await call(options.base, 'GET', '/me', { headers: { authorization } })
  expectStatus(me, 200, 'GET /me with the new access token')

  const jwksResult = await call(options.base, 'GET', '/.well-known/jwks.json')
  expectStatus(jwksResult, 200, 'GET /.well-known/jwks.json')
  const jwks = jwksResult.body as { keys: JWK[] }
  const check = await signatureCheckMicros(token, jwks)
  const load = await runLoad({
    url: new URL('/me', options.base).href,
    headers: { authorization },
    durationMs: options.durationMs,
    connections: options.connections,
  })

  // Revocation: log the family out, then present the same access token again.
  const logout = await call(options.base, 'POST', '/auth/logout', {
    json: body.refresh_token ? { refresh_token: body.refresh_token } : {},
    headers: { authorization },
  })
  let afterLogout = `logout answered HTTP ${logout.status}; not observed`
  if (logout.status >= 200 && logout.status < 300) {
    const again = await call(options.base, 'GET', '/me', { headers: { authorization } })
    afterLogout =
      again.status === 401
        ? 'refused immediately (the auth server checks the session id in the token)'
        : `still accepted (HTTP ${again.status}) until the access token expires`
  }
  const lifetime = body.expires_in ?? 0
  const cacheControl = jwksResult.headers.get('cache-control') ?? 'no cache-control header'
  return {
    available: true,
    access_token_bytes: Buffer.byteLength(token),
    credential_header_bytes_per_request: Buffer.byteLength(`Authorization: ${authorization}\r\n`),
    access_token_lifetime_seconds: lifetime,
    signature_check_microseconds: check.micros,
    signature_alg: check.alg,
    me: load,
    revocation: {
      auth_server_after_logout: afterLogout,
      local_verifiers_after_logout: `accepted until "exp" (up to ${lifetime} s), unless they introspect (POST /oauth/introspect)`,
    },
    second_instance_needs: `only the JWKS (${cacheControl}); no shared store to verify a token`,
    jwks_bytes: Buffer.byteLength(JSON.stringify(jwks)),
  }
}

/** The `name=value` pair of the session cookie from a login's Set-Cookie headers. */
function sessionCookie(setCookies: string[]): string | undefined {
  const pairs = setCookies.map((header) => header.split(';')[0]!.trim())
  return pairs.find((pair) => /session/i.test(pair.split('=')[0]!)) ?? pairs[0]
}

export async function measureSession(
  options: CompareOptions,
  user: Account,
): Promise<SessionReport | Missing> {
  const login = await call(options.base, 'POST', '/session/login', {
    json: { username: user.username, password: user.password },
    headers: { origin: new URL(options.base).origin },
  })
  if (login.status === 404) {
    return {
      available: false,
      missing:
        'POST /session/login answered 404: this server has no session mode yet (issue 7), so nothing was measured',
    }
  }
  if (login.status < 200 || login.status >= 300) expectStatus(login, 200, 'POST /session/login')
  const cookie = sessionCookie(login.setCookies)
  if (!cookie) throw new CliRemoteError('POST /session/login set no cookie')
  const me = await call(options.base, 'GET', '/session/me', { headers: { cookie } })
  expectStatus(me, 200, 'GET /session/me with the new session cookie')
  const load = await runLoad({
    url: new URL('/session/me', options.base).href,
    headers: { cookie },
    durationMs: options.durationMs,
    connections: options.connections,
  })
  const csrf = (login.body as { csrf_token?: string } | undefined)?.csrf_token
  const logout = await call(options.base, 'POST', '/session/logout', {
    headers: { cookie, origin: new URL(options.base).origin, ...(csrf ? { 'x-csrf-token': csrf } : {}) },
  })
  let afterLogout = `logout answered HTTP ${logout.status}; not observed`
  if (logout.status >= 200 && logout.status < 300) {
    const again = await call(options.base, 'GET', '/session/me', { headers: { cookie } })
    afterLogout =
      again.status === 401
        ? 'refused immediately (the session row is gone)'
        : `still accepted (HTTP ${again.status})`
  }
  return {
    available: true,
    session_cookie_bytes: Buffer.byteLength(cookie),
    credential_header_bytes_per_request: Buffer.byteLength(`Cookie: ${cookie}\r\n`),
    me: load,
    revocation: { after_logout: afterLogout },
    second_instance_needs: 'the same session store (database or Redis) for every request',
  }
}

export async function runCompare(options: CompareOptions): Promise<CompareReport> {
  const user = await account(options)
  const token = await measureToken(options, user)
  const session = await measureSession(options, user)
  const notes = [
    'Requests per second and latencies come from one client on this machine (closed loop, keep-alive); compare the two modes with each other, not with other machines.',
    'signature_check_microseconds is measured in this process with @tessera/jose, the library the server verifies with.',
    'Only the access token travels with each request; the refresh token is sent only to /auth/refresh.',
  ]
  if (!session.available) notes.push(`Session mode was not measured: ${session.missing}.`)
  if (user.throwaway) {
    notes.push(
      `The throwaway user "${user.username}" stays in the database; remove it with "tessera users disable ${user.username}".`,
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
