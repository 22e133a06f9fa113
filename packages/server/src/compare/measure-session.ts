/**
 * @module Session mode of the comparison, over HTTP: log in the way the web app does (same-origin), count
 * the `Cookie` header line, read the server's work (Server-Timing of `/session/me`, part by part), load
 * it on every instance, then log out and replay the cookie. A server without session mode is reported as
 * not measured.
 */
import { CompareFailed } from '../errors.js'
import { call, expectStatus } from './http.js'
import { runLoad } from './load-worker.js'
import type { MeasureOptions } from './measure.js'
import type { ModeReport, NotMeasured } from './report.js'
import { untilRefused } from './revocation.js'
import { serverWork } from './timing.js'

/** The `name=value` pair of the session cookie from a login's Set-Cookie headers. */
function sessionCookie(setCookies: string[]): string | undefined {
  const pairs = setCookies.map((header) => header.split(';')[0]!.trim())
  return pairs.find((pair) => /session/i.test(pair.split('=')[0]!)) ?? pairs[0]
}

export async function measureSession(
  options: MeasureOptions,
  user: { username: string; password: string },
): Promise<ModeReport | NotMeasured> {
  const base = options.url
  const urls = [base, ...(options.also ?? [])]
  // Same-origin, as the web app's own fetch would be: the CSRF check (Fetch Metadata, Origin) passes.
  const sameOrigin = { origin: new URL(base).origin, 'sec-fetch-site': 'same-origin' }
  const login = await call(base, 'POST', '/session/login', {
    json: { username: user.username, password: user.password },
    headers: sameOrigin,
  })
  if (login.status === 404) {
    return {
      available: false,
      missing: 'POST /session/login answered 404: this server has no session mode, so nothing was measured',
    }
  }
  if (login.status < 200 || login.status >= 300) expectStatus(login, 200, 'POST /session/login')
  const cookie = sessionCookie(login.setCookies)
  if (!cookie) throw new CompareFailed('POST /session/login set no cookie')
  expectStatus(
    await call(base, 'GET', '/session/me', { headers: { cookie } }),
    200,
    'GET /session/me with the new cookie',
  )
  const work = await serverWork(base, '/session/me', { cookie })
  const load = await runLoad({
    urls: urls.map((url) => new URL('/session/me', url).href),
    headers: [{ cookie }],
    durationMs: options.durationMs,
    connections: options.connections,
  })
  const csrf = (login.body as { csrf_token?: string } | undefined)?.csrf_token
  const logout = await call(base, 'POST', '/session/logout', {
    headers: { cookie, ...sameOrigin, ...(csrf ? { 'x-csrf-token': csrf } : {}) },
  })
  let revocation = `logout answered HTTP ${logout.status}, so revocation was not observed`
  let refusedAfter: number | null = null
  if (logout.status >= 200 && logout.status < 300) {
    const other = urls[urls.length - 1]!
    const after = await untilRefused(other, '/session/me', { cookie })
    if (after.status === 401) refusedAfter = after.milliseconds
    revocation = `after logout: ${urls.length > 1 ? 'another instance’s' : 'this server’s'} /session/me answered ${after.status} ${after.status === 401 ? `after ${after.milliseconds} ms (the session row is gone from the shared store)` : 'for 2 s'}`
  }
  const name = cookie.slice(0, cookie.indexOf('='))
  return {
    available: true,
    credential: `Cookie: ${name}=<session id>`,
    credential_bytes_per_request: Buffer.byteLength(`Cookie: ${cookie}\r\n`),
    credential_value_bytes: Buffer.byteLength(cookie.slice(cookie.indexOf('=') + 1)),
    server_work_microseconds_per_request: work.total,
    server_work_parts: work.parts,
    store_lookup_per_request: work.storeLookup,
    ...load,
    revocation,
    revocation_refused_after_ms: refusedAfter,
    second_instance_needs: `a shared session store, read on every request (${options.sessionStore ?? 'the database, or Redis'})`,
  }
}
