/**
 * @module Session mode of the comparison, over HTTP: log in the way the web app does (same-origin), count
 * the `Cookie` header line, time the server's session lookup (Server-Timing of `/session/me`), load it,
 * then log out and replay the cookie. A server without session mode is reported as not measured.
 */
import { CompareFailed } from '../errors.js'
import { call, expectStatus } from './http.js'
import { runLoad } from './load-worker.js'
import type { MeasureOptions } from './measure.js'
import type { ModeReport, NotMeasured } from './report.js'
import { serverWorkMicros } from './timing.js'

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
  // Same-origin, as the web app's own fetch would be: the CSRF check (Fetch Metadata, Origin) passes.
  const sameOrigin = { origin: new URL(base).origin, 'sec-fetch-site': 'same-origin' }
  const login = await call(base, 'POST', '/session/login', {
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
  if (!cookie) throw new CompareFailed('POST /session/login set no cookie')
  expectStatus(
    await call(base, 'GET', '/session/me', { headers: { cookie } }),
    200,
    'GET /session/me with the new cookie',
  )
  const work = await serverWorkMicros(base, '/session/me', { cookie })
  const load = await runLoad({
    url: new URL('/session/me', base).href,
    headers: { cookie },
    durationMs: options.durationMs,
    connections: options.connections,
  })
  const csrf = (login.body as { csrf_token?: string } | undefined)?.csrf_token
  const logout = await call(base, 'POST', '/session/logout', {
    headers: { cookie, ...sameOrigin, ...(csrf ? { 'x-csrf-token': csrf } : {}) },
  })
  let revocation = `logout answered HTTP ${logout.status}, so revocation was not observed`
  if (logout.status >= 200 && logout.status < 300) {
    const after = await call(base, 'GET', '/session/me', { headers: { cookie } })
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
    second_instance_needs: `the same session store on every request (${options.sessionStore ?? 'the database, or Redis'})`,
  }
}
