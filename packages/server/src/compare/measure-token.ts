/**
 * @module Token mode of the comparison, over HTTP: log in, count the `Authorization` header line, time
 * the server's own check (Server-Timing of `/me`) and a local signature check, load `/me`, then log out
 * and see what still accepts the access token.
 */
import type { JWK } from '@tessera/jose'
import { CompareFailed } from '../errors.js'
import { call, expectStatus } from './http.js'
import { runLoad } from './load-worker.js'
import type { MeasureOptions } from './measure.js'
import type { TokenModeReport } from './report.js'
import { serverWorkMicros, signatureCheck } from './timing.js'

export async function measureToken(
  options: MeasureOptions,
  user: { username: string; password: string },
): Promise<TokenModeReport> {
  const base = options.url
  const login = await call(base, 'POST', '/auth/login', {
    json: { username: user.username, password: user.password },
  })
  expectStatus(login, 200, 'POST /auth/login')
  const body = login.body as { access_token?: string; refresh_token?: string; expires_in?: number }
  if (typeof body?.access_token !== 'string')
    throw new CompareFailed('POST /auth/login returned no access_token')
  const token = body.access_token
  const authorization = `Bearer ${token}`
  expectStatus(
    await call(base, 'GET', '/me', { headers: { authorization } }),
    200,
    'GET /me with the new access token',
  )

  const jwksResult = await call(base, 'GET', '/.well-known/jwks.json')
  expectStatus(jwksResult, 200, 'GET /.well-known/jwks.json')
  const signature = await signatureCheck(token, jwksResult.body as { keys: JWK[] })
  const work = await serverWorkMicros(base, '/me', { authorization })
  const load = await runLoad({
    url: new URL('/me', base).href,
    headers: { authorization },
    durationMs: options.durationMs,
    connections: options.connections,
  })

  // Revocation: end the family, then present the same access token to the server, to introspection
  // (when the caller can ask it) and to a local verifier.
  const logout = await call(base, 'POST', '/auth/logout', {
    json: body.refresh_token ? { refresh_token: body.refresh_token } : {},
    headers: { authorization },
  })
  const lifetime = body.expires_in ?? 0
  let revocation = `logout answered HTTP ${logout.status}, so revocation was not observed`
  if (logout.status >= 200 && logout.status < 300) {
    const after = await call(base, 'GET', '/me', { headers: { authorization } })
    const active = options.introspect ? await options.introspect(token) : undefined
    let local = 'refused'
    try {
      signature.verify(token)
      local = 'still accepted'
    } catch {}
    revocation =
      `after logout: this server's /me answered ${after.status} at once` +
      (after.status === 401 ? ' (it looks up the token’s sid)' : '') +
      (active === undefined ? '' : `; introspection then said active: ${active}`) +
      `; a resource server verifying alone ${local} it until exp (up to ${lifetime} s)` +
      (active === undefined ? ' unless it introspects' : '')
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
