/**
 * @module Token mode of the comparison, over HTTP: log in, count the `Authorization` header line, read
 * the server's own work per request (Server-Timing of `/me`, part by part), time a local signature check,
 * load `/me` on every instance and a resource server verifying with the JWKS alone, then log out and see
 * what still accepts the access token.
 */
import type { JWK } from '@tessera/jose'
import { CompareFailed } from '../errors.js'
import { call, expectStatus } from './http.js'
import { runLoad } from './load-worker.js'
import type { MeasureOptions } from './measure.js'
import type { TokenModeReport } from './report.js'
import { startResourceServer } from './resource-server.js'
import { untilRefused } from './revocation.js'
import { serverWork, signatureCheck } from './timing.js'

export async function measureToken(
  options: MeasureOptions,
  user: { username: string; password: string },
): Promise<TokenModeReport> {
  const base = options.url
  const urls = [base, ...(options.also ?? [])]
  const login = await call(base, 'POST', '/auth/login', {
    json: { username: user.username, password: user.password },
  })
  expectStatus(login, 200, 'POST /auth/login')
  const body = login.body as { access_token?: string; refresh_token?: string; expires_in?: number }
  if (typeof body?.access_token !== 'string')
    throw new CompareFailed('POST /auth/login returned no access_token')
  const token = body.access_token
  const authorization = `Bearer ${token}`
  for (const url of urls) {
    expectStatus(
      await call(url, 'GET', '/me', { headers: { authorization } }),
      200,
      `GET ${new URL('/me', url).href} with the new access token`,
    )
  }

  const jwksUri = new URL('/.well-known/jwks.json', base).href
  const jwksResult = await call(base, 'GET', '/.well-known/jwks.json')
  expectStatus(jwksResult, 200, 'GET /.well-known/jwks.json')
  const signature = await signatureCheck(token, jwksResult.body as { keys: JWK[] })
  const work = await serverWork(base, '/me', { authorization })
  const load = await runLoad({
    urls: urls.map((url) => new URL('/me', url).href),
    headers: [{ authorization }],
    durationMs: options.durationMs,
    connections: options.connections,
  })

  const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as {
    iss: string
    aud: string | string[]
  }
  const resource = await startResourceServer({
    issuer: claims.iss,
    audience: Array.isArray(claims.aud) ? claims.aud[0]! : claims.aud,
    jwksUri,
  })
  let resourceLoad: Awaited<ReturnType<typeof runLoad>>
  try {
    expectStatus(
      await call(resource.url, 'GET', '/', { headers: { authorization } }),
      200,
      'the resource server (createRequestVerifier over the JWKS)',
    )
    resourceLoad = await runLoad({
      urls: [resource.url],
      headers: [{ authorization }],
      durationMs: options.durationMs,
      connections: options.connections,
    })
  } finally {
    await resource.close()
  }

  // Revocation: end the family on the first instance, then present the same access token to the last
  // one, to introspection (when the caller can ask it) and to a local verifier.
  const logout = await call(base, 'POST', '/auth/logout', {
    json: body.refresh_token ? { refresh_token: body.refresh_token } : {},
    headers: { authorization },
  })
  const lifetime = body.expires_in ?? 0
  let revocation = `logout answered HTTP ${logout.status}, so revocation was not observed`
  let refusedAfter: number | null = null
  if (logout.status >= 200 && logout.status < 300) {
    const other = urls[urls.length - 1]!
    const after = await untilRefused(other, '/me', { authorization })
    if (after.status === 401) refusedAfter = after.milliseconds
    const active = options.introspect ? await options.introspect(token) : undefined
    let local = 'refused'
    try {
      signature.verify(token)
      local = 'still accepted'
    } catch {}
    const how = work.parts.some((p) => p.name === 'revocation')
      ? ' (it checks the token’s sid against its revocation set in memory)'
      : work.storeLookup
        ? ' (it looks up the token’s sid in the store)'
        : ''
    revocation =
      `after logout: ${urls.length > 1 ? 'another instance’s' : 'this server’s'} /me answered ${after.status} ${after.status === 401 ? `after ${after.milliseconds} ms` : 'for 2 s'}${after.status === 401 ? how : ''}` +
      (active === undefined ? '' : `; introspection then said active: ${active}`) +
      `; a resource server verifying alone ${local} it until exp (up to ${lifetime} s)` +
      (active === undefined ? ' unless it introspects or follows the revocation feed' : '')
  }
  const cacheControl = jwksResult.headers.get('cache-control')
  return {
    available: true,
    credential: 'Authorization: Bearer <access token>',
    credential_bytes_per_request: Buffer.byteLength(`Authorization: ${authorization}\r\n`),
    credential_value_bytes: Buffer.byteLength(token),
    server_work_microseconds_per_request: work.total,
    server_work_parts: work.parts,
    store_lookup_per_request: work.storeLookup,
    signature_check_microseconds: signature.micros,
    signature_alg: signature.alg,
    access_token_lifetime_seconds: lifetime,
    ...load,
    resource_server: { ...resourceLoad, verifies_with: `createRequestVerifier over ${jwksUri}` },
    revocation,
    revocation_refused_after_ms: refusedAfter,
    second_instance_needs: `the JWKS${cacheControl ? ` (Cache-Control: ${cacheControl})` : ''}, and for instant revocation the revocation feed; no shared store to verify a token`,
  }
}
