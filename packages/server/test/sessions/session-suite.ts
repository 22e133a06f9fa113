/**
 * @module The session-mode suite of issue 7, parameterised by store: `sessionSuite(factory)` runs every
 * case against a real server on loopback whose `--database` (and `--redis`) the factory chooses, so the
 * same cases run on SQLite here and on PostgreSQL (+ Redis) in session-mode-postgres.test.ts. Time is a
 * manual clock the cases move; nothing sleeps.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { type ManualClock, manualClock, type ServerConfig } from '../../src/index.js'
import { bearer, register, startTestServer, type TestServer } from '../helpers/test-server.js'

export interface SessionStoreFactory {
  name: string
  /** Settings naming the store (`database`, `redis`), and how to drop it afterwards. */
  open(): Promise<{ overrides: Partial<ServerConfig>; cleanup(): Promise<void> }>
  /** Why the suite is skipped (a service is unreachable), if it is. */
  skip?: string
}

const PASSWORD = 'correct horse battery staple'
const APP = 'https://app.example.com'

interface Login {
  cookie: string
  setCookie: string
  body: { sub: string; username: string; csrf_token: string; idle_expires_in: number; expires_in: number }
}

const cookieOf = (setCookie: string) => setCookie.split(';')[0]!

export function sessionSuite(factory: SessionStoreFactory): void {
  describe(`session mode: ${factory.name}`, { skip: factory.skip ?? false }, () => {
    let t: TestServer
    let clock: ManualClock
    let dispose: () => Promise<void>
    const servers: TestServer[] = []

    /** Another server on the same store, with other settings (cookie attributes depend on them). */
    const startWith = async (overrides: Partial<ServerConfig>) => {
      const { overrides: store, cleanup } = await factory.open()
      const server = await startTestServer({ ...store, ...overrides })
      servers.push(server)
      const stop = server.cleanup
      server.cleanup = async () => {
        await stop()
        await cleanup()
      }
      return server
    }

    before(async () => {
      clock = manualClock(Date.now())
      const { overrides, cleanup } = await factory.open()
      dispose = cleanup
      t = await startTestServer({ ...overrides, allowedOrigins: [APP] }, { clock })
      for (const name of ['sam', 'mallory', 'eve', 'ida', 'abe', 'lou', 'csr', 'rot']) await register(t, name)
    })
    after(async () => {
      for (const server of servers) await server.cleanup()
      await t?.cleanup()
      await dispose?.()
    })

    const login = async (
      username: string,
      headers: Record<string, string> = {},
      server: TestServer = t,
    ): Promise<Login> => {
      const response = await server.post('/session/login', { username, password: PASSWORD }, headers)
      assert.equal(response.status, 200, await response.clone().text())
      const setCookie = response.headers.get('set-cookie') ?? ''
      return { cookie: cookieOf(setCookie), setCookie, body: (await response.json()) as Login['body'] }
    }
    const me = (cookie: string) => t.get('/session/me', { cookie })
    const change = (path: string, cookie: string, headers: Record<string, string> = {}) =>
      fetch(`${t.url}${path}`, { method: 'POST', headers: { cookie, ...headers } })
    const code = async (response: Response) => ((await response.json()) as { code: string }).code

    test('development on plain-HTTP loopback: HttpOnly, SameSite=Lax, Path=/, no Domain, no Secure — and the log says so', async () => {
      const { setCookie, body } = await login('sam')
      assert.match(setCookie, /^tessera-session=[A-Za-z0-9_-]{43}; /)
      assert.deepEqual(setCookie.split('; ').slice(1).sort(), ['HttpOnly', 'Path=/', 'SameSite=Lax'])
      assert.match(body.csrf_token, /^[A-Za-z0-9_-]{43}$/)
      assert.equal(body.expires_in, 8 * 3600)
      assert.equal(body.idle_expires_in, 30 * 60)
      assert.ok(
        t.logs.some((line) =>
          /session cookie is sent WITHOUT Secure: development mode on plain HTTP/.test(line),
        ),
      )
    })

    test('served over HTTPS (the issuer): __Host- prefix with Secure, Path=/, no Domain; SameSite configurable', async () => {
      const server = await startWith({ issuer: 'https://auth.example.test', sessionSameSite: 'strict' })
      await register(server, 'hana')
      const { setCookie } = await login('hana', {}, server)
      assert.match(setCookie, /^__Host-tessera-session=[A-Za-z0-9_-]{43}; /)
      assert.deepEqual(setCookie.split('; ').slice(1).sort(), [
        'HttpOnly',
        'Path=/',
        'SameSite=Strict',
        'Secure',
      ])
      assert.ok(!server.logs.some((line) => /WITHOUT Secure/.test(line)))
    })

    test('--production always sets Secure, even on plain-HTTP loopback', async () => {
      const server = await startWith({ production: true, issuer: 'http://127.0.0.1:9' })
      // Registration is off in production: the user is added the way `tessera users add` does.
      await server.server.services.users.register('pete', PASSWORD)
      const { setCookie } = await login('pete', {}, server)
      assert.match(setCookie, /^tessera-session=[A-Za-z0-9_-]{43}; /)
      assert.deepEqual(setCookie.split('; ').slice(1).sort(), [
        'HttpOnly',
        'Path=/',
        'SameSite=Lax',
        'Secure',
      ])
    })

    test('session fixation: an id planted before login is never honoured after it', async () => {
      // A made-up id, and a real session of the attacker's own, both planted in the victim's browser.
      const planted = 'A'.repeat(43)
      const attacker = await login('mallory')
      for (const cookie of [`tessera-session=${planted}`, attacker.cookie]) {
        const victim = await login('eve', { cookie })
        assert.notEqual(victim.cookie, cookie)
        assert.equal(((await (await me(victim.cookie)).json()) as { username: string }).username, 'eve')
        const replay = await me(cookie)
        assert.equal(replay.status, 401)
        assert.equal(await code(replay), 'ERR_SESSION_INVALID')
      }
    })

    test('idle timeout: requests keep it alive, 30 min of silence ends it (server-side, injected clock)', async () => {
      const { cookie } = await login('ida')
      for (let i = 0; i < 3; i++) {
        clock.advance(29 * 60_000)
        assert.equal((await me(cookie)).status, 200)
      }
      clock.advance(30 * 60_000)
      const response = await me(cookie)
      assert.equal(response.status, 401)
      assert.equal(await code(response), 'ERR_SESSION_EXPIRED')
      assert.match(response.headers.get('set-cookie') ?? '', /^tessera-session=;/)
      // Deleted on the server: moving the clock back does not revive it.
      clock.advance(-30 * 60_000)
      assert.equal(await code(await me(cookie)), 'ERR_SESSION_INVALID')
      clock.advance(30 * 60_000)
    })

    test('absolute timeout: 8 h after login the session ends however busy it was', async () => {
      const { cookie } = await login('abe')
      for (let elapsed = 0; elapsed < 8 * 60 - 20; elapsed += 20) {
        clock.advance(20 * 60_000)
        assert.equal((await me(cookie)).status, 200, `after ${elapsed + 20} min`)
      }
      clock.advance(20 * 60_000)
      const response = await me(cookie)
      assert.equal(response.status, 401)
      assert.equal(await code(response), 'ERR_SESSION_EXPIRED')
    })

    test('logout deletes the session on the server: replaying the old cookie fails', async () => {
      const { cookie } = await login('lou')
      assert.equal((await me(cookie)).status, 200)
      const response = await change('/session/logout', cookie, { 'sec-fetch-site': 'same-origin' })
      assert.equal(response.status, 204)
      assert.match(
        response.headers.get('set-cookie') ?? '',
        /^tessera-session=;.*(Max-Age=0|Expires=Thu, 01 Jan 1970)/,
      )
      const replay = await me(cookie)
      assert.equal(replay.status, 401)
      assert.equal(await code(replay), 'ERR_SESSION_INVALID')
      assert.equal((await change('/session/logout', cookie, { 'sec-fetch-site': 'same-origin' })).status, 401)
    })

    test('log out everywhere ends every session and every refresh family of the user, and nobody else’s', async () => {
      const username = 'everywhere'
      await register(t, username)
      const a = await login(username)
      const b = await login(username)
      const other = await login('sam')
      const tokens = (await (await t.post('/auth/login', { username, password: PASSWORD })).json()) as {
        access_token: string
        refresh_token: string
      }
      const response = await change('/session/logout-all', a.cookie, { 'sec-fetch-site': 'same-origin' })
      assert.equal(response.status, 200)
      assert.deepEqual(await response.json(), { sessions_ended: 2, refresh_families_ended: 2 })
      for (const cookie of [a.cookie, b.cookie]) assert.equal((await me(cookie)).status, 401)
      assert.equal((await me(other.cookie)).status, 200)
      const refresh = await t.post('/auth/refresh', { refresh_token: tokens.refresh_token })
      assert.equal(refresh.status, 400)
      assert.equal(await code(refresh), 'ERR_REFRESH_TOKEN_INVALID')
      assert.equal((await t.get('/me', bearer(tokens.access_token))).status, 401)
      assert.equal((await t.introspect(tokens.access_token)).active, false)
    })

    test('CSRF: a cross-site form post is refused before its body is read; the session survives', async () => {
      const { cookie } = await login('csr')
      for (const headers of [
        { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
        { origin: 'https://evil.example' },
        { 'sec-fetch-site': 'same-site', origin: 'https://sub.127.0.0.1.example' },
      ] as Record<string, string>[]) {
        const response = await fetch(`${t.url}/session/logout`, {
          method: 'POST',
          headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', ...headers },
          body: 'x=1',
        })
        assert.equal(response.status, 403)
        assert.equal(await code(response), 'ERR_CSRF_REJECTED')
      }
      assert.equal((await me(cookie)).status, 200)
      // Login CSRF: another site cannot log the browser into an account either.
      const forged = await t.form(
        '/session/login',
        { username: 'csr', password: PASSWORD },
        { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
      )
      assert.equal(forged.status, 403)
      assert.equal(await code(forged), 'ERR_CSRF_REJECTED')
    })

    test('CSRF: a same-origin fetch and an allowed origin are accepted', async () => {
      const first = await login('csr', { 'sec-fetch-site': 'same-origin', origin: t.url })
      const sameOrigin = await fetch(`${t.url}/session/logout`, {
        method: 'POST',
        headers: {
          cookie: first.cookie,
          'content-type': 'application/json',
          'sec-fetch-site': 'same-origin',
          origin: t.url,
        },
        body: '{}',
      })
      assert.equal(sameOrigin.status, 204)
      const second = await login('csr', { 'sec-fetch-site': 'cross-site', origin: APP })
      const allowed = await change('/session/logout', second.cookie, {
        'sec-fetch-site': 'same-site',
        origin: APP,
      })
      assert.equal(allowed.status, 204)
    })

    test('CSRF token fallback: without Sec-Fetch-Site and Origin, only the session’s X-CSRF-Token passes', async () => {
      const { cookie, body } = await login('csr')
      const other = await login('sam')
      for (const token of [undefined, 'wrong', other.body.csrf_token]) {
        const response = await change('/session/logout', cookie, token ? { 'x-csrf-token': token } : {})
        assert.equal(response.status, 403)
        assert.equal(await code(response), 'ERR_CSRF_REJECTED')
      }
      assert.equal((await me(cookie)).status, 200)
      const response = await change('/session/logout', cookie, { 'x-csrf-token': body.csrf_token })
      assert.equal(response.status, 204)
      assert.equal((await me(cookie)).status, 401)
    })

    test('rotation at privilege change: a new id and CSRF token, the old id dead, the absolute deadline kept', async () => {
      const first = await login('rot')
      clock.advance(10 * 60_000)
      const response = await change('/session/rotate', first.cookie, { 'sec-fetch-site': 'same-origin' })
      assert.equal(response.status, 200)
      const next = cookieOf(response.headers.get('set-cookie') ?? '')
      const body = (await response.json()) as Login['body']
      assert.notEqual(next, first.cookie)
      assert.notEqual(body.csrf_token, first.body.csrf_token)
      assert.equal(body.expires_in, first.body.expires_in - 600)
      assert.equal((await me(first.cookie)).status, 401)
      assert.equal((await me(next)).status, 200)
    })

    test('GET /session/me names the user, is not cached, and reports the server’s lookup time (Server-Timing)', async () => {
      const { cookie } = await login('sam')
      const response = await me(cookie)
      assert.equal(response.status, 200)
      assert.equal(response.headers.get('cache-control'), 'no-store')
      assert.match(
        response.headers.get('server-timing') ?? '',
        /^session;desc="session lookup in the store";dur=\d+\.\d{3}, total;dur=\d+\.\d{3}$/,
      )
      assert.equal(((await response.json()) as { username: string }).username, 'sam')
      const none = await t.get('/session/me')
      assert.equal(none.status, 401)
      assert.equal(await code(none), 'ERR_SESSION_INVALID')
      // Nothing secret in the logs: no session id, no password.
      const log = t.logs.join('\n')
      assert.ok(!log.includes(cookie.split('=')[1]!))
      assert.ok(!log.includes(PASSWORD))
    })
  })
}
