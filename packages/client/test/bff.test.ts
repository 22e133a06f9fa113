/**
 * @module The BFF helper without a browser, against a real Tessera server: its options checked at start,
 * the callback's refusals (no sign-in pending, another state, another issuer), no open redirect, the
 * access token refreshed on the server once for concurrent calls, the session ended when the provider
 * refuses the refresh token, the CSRF rule for non-browser callers, logout tokens checked, and the same
 * core behind the Fastify plugin.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import Fastify from 'fastify'
import { addClient, UserAgent } from '../../server/test/oidc/interop-fixtures.js'
import { bffFastifyPlugin, createBff } from '../src/bff/index.js'
import { BFF_SECRET, type BffApp, listen, startBffApp } from './bff-harness.js'

/** One browser as far as the app is concerned: its cookies for the app's origin, no redirect followed. */
class AppBrowser {
  readonly cookies = new Map<string, string>()
  constructor(readonly origin: string) {}

  async request(
    path: string,
    init: { method?: string; headers?: Record<string, string>; body?: string } = {},
  ) {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
    const response = await fetch(new URL(path, this.origin), {
      method: init.method ?? 'GET',
      redirect: 'manual',
      headers: { ...(cookie ? { cookie } : {}), ...init.headers },
      ...(init.body !== undefined ? { body: init.body } : {}),
    })
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';')
      const eq = pair.indexOf('=')
      const name = pair.slice(0, eq)
      if (/Max-Age=0/.test(line)) this.cookies.delete(name)
      else this.cookies.set(name, pair.slice(eq + 1))
    }
    return response
  }

  /** The app's own calls carry its origin, as a browser's same-origin fetch does. */
  sameOrigin(path: string, method = 'POST') {
    return this.request(path, { method, headers: { origin: this.origin, 'sec-fetch-site': 'same-origin' } })
  }
}

/** Signs `lin` in through the app's BFF: login redirect, the provider's pages, the callback. */
async function signIn(
  app: { url: string },
  browser = new AppBrowser(app.url),
  returnTo = '/',
): Promise<AppBrowser> {
  const login = await browser.request(`/bff/login?returnTo=${encodeURIComponent(returnTo)}`)
  assert.equal(login.status, 303)
  const ua = new UserAgent('lin')
  const back = await ua.walk(login.headers.get('location')!, `${app.url}/bff/callback`)
  const callback = await browser.request(back.pathname + back.search)
  assert.equal(callback.status, 303, await callback.text())
  return browser
}

describe('the BFF helper against a real server', () => {
  let app: BffApp
  let offset = 0
  const tokenRequests: string[] = []

  before(async () => {
    app = await startBffApp({
      clock: () => Date.now() + offset,
      fetch: async (input, init) => {
        const url = String(input instanceof Request ? input.url : input)
        if (url.endsWith('/token')) tokenRequests.push(String(init?.body ?? ''))
        return fetch(input, init)
      },
    })
  })
  after(() => app?.close())

  test('options are checked when the BFF is built, each refusal naming its setting', async () => {
    const base = { issuer: app.t.url, clientId: 'bff-app', clientSecret: BFF_SECRET, origin: app.url }
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ cookieName: 'session' }, /cookieName must start with __Host-/],
      [{ origin: 'http://app.example.com' }, /origin must use https:/],
      [{ origin: `${app.url}/app` }, /origin must be an origin only/],
      [{ clientSecret: '' }, /clientSecret must be a non-empty string/],
      [{ scope: 'profile' }, /scope must include openid/],
      [{ issuer: `${app.t.url}/other` }, /discovery document/],
    ]
    for (const [change, message] of cases)
      await assert.rejects(createBff({ ...base, ...change } as never), (error: Error & { code?: string }) => {
        assert.match(error.message, message)
        return error.code === 'ERR_BFF_OPTION_INVALID' || error.code === 'ERR_BFF_PROVIDER'
      })
  })

  test('the callback completes only in the browser that started the sign-in, with its state and our iss', async () => {
    const browser = new AppBrowser(app.url)
    const login = await browser.request('/bff/login')
    const ua = new UserAgent('lin')
    const back = await ua.walk(login.headers.get('location')!, `${app.url}/bff/callback`)
    const code = (r: Response) => r.json().then((b) => (b as { error: string }).error)

    const elsewhere = await new AppBrowser(app.url).request(back.pathname + back.search)
    assert.equal(elsewhere.status, 400)
    assert.equal(await code(elsewhere), 'ERR_BFF_CALLBACK_INVALID')

    const forged = new URL(back)
    forged.searchParams.set('state', 'another')
    const wrongState = await browser.request(forged.pathname + forged.search)
    assert.equal(wrongState.status, 400)
    // The pending sign-in is used once: even the genuine answer now finds nothing to complete.
    const replay = await browser.request(back.pathname + back.search)
    assert.equal(replay.status, 400)
    assert.ok(!browser.cookies.has('__Host-tessera-session'))

    const second = new AppBrowser(app.url)
    const again = await second.request('/bff/login')
    const answer = await new UserAgent('lin').walk(again.headers.get('location')!, `${app.url}/bff/callback`)
    answer.searchParams.set('iss', 'https://evil.example')
    const mixUp = await second.request(answer.pathname + answer.search)
    assert.equal(mixUp.status, 400)
    assert.match((await mixUp.json()).error_description, /another issuer/)
  })

  test('returnTo only leads to a path on the app itself', async () => {
    for (const [returnTo, expected] of [
      ['/albums/3?x=1', '/albums/3?x=1'],
      ['//evil.example/', '/'],
      ['https://evil.example/', '/'],
      ['/\\evil.example', '/'],
    ]) {
      const browser = new AppBrowser(app.url)
      const login = await browser.request(`/bff/login?returnTo=${encodeURIComponent(returnTo!)}`)
      const back = await new UserAgent('lin').walk(login.headers.get('location')!, `${app.url}/bff/callback`)
      const callback = await browser.request(back.pathname + back.search)
      assert.equal(callback.headers.get('location'), expected, returnTo)
    }
  })

  test('concurrent API calls with an expired access token share one refresh on the server', async () => {
    offset = 0
    const browser = await signIn(app)
    offset += 3600_000
    tokenRequests.length = 0
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => browser.request('/bff/api/photos').then((r) => r.status)),
    )
    assert.deepEqual(answers, [200, 200, 200, 200, 200])
    const refreshes = tokenRequests.filter((body) => body.includes('grant_type=refresh_token'))
    assert.equal(refreshes.length, 1, `token requests: ${tokenRequests.length}`)
    assert.equal(
      await app.bff.getAccessToken(`__Host-tessera-session=${browser.cookies.get('__Host-tessera-session')}`),
      app.store.seen.at(-1)!.accessToken,
    )
  })

  test('a refresh token the provider refuses ends the session (invalid_grant), and says so', async () => {
    offset = 0
    const browser = await signIn(app)
    const session = app.store.seen.at(-1)!
    const revoked = await fetch(`${app.t.url}/oauth/revoke`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`bff-app:${BFF_SECRET}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ token: session.refreshToken!, token_type_hint: 'refresh_token' }),
    })
    assert.equal(revoked.status, 200)
    offset += 3600_000
    const answer = await browser.request('/bff/api/photos')
    assert.equal(answer.status, 401)
    assert.match((await answer.json()).error_description, /provider ended this session/)
    const state = await (await browser.request('/bff/session')).json()
    assert.equal(state.signedIn, false)
  })

  test('a cookie alone never changes state: no Origin, a foreign Origin, a cross-site fetch are refused', async () => {
    offset = 0
    const browser = await signIn(app)
    const hits = app.api.hits.length
    for (const headers of [
      {},
      { origin: 'http://evil.example' },
      { 'sec-fetch-site': 'cross-site', origin: 'http://evil.example' },
      { 'sec-fetch-site': 'same-site' },
    ]) {
      const refused = await browser.request('/bff/api/photos', { method: 'POST', headers })
      assert.equal(refused.status, 403, JSON.stringify(headers))
      assert.equal((await refused.json()).error, 'ERR_BFF_CSRF_REJECTED')
      assert.equal((await browser.request('/bff/logout', { method: 'POST', headers })).status, 403)
    }
    assert.equal(app.api.hits.length, hits, 'nothing reached the API')
    assert.equal((await browser.sameOrigin('/bff/api/photos')).status, 200)
    const local = await browser.sameOrigin('/bff/logout?local')
    assert.equal(local.status, 303)
    assert.equal(local.headers.get('location'), `${app.url}/`, 'local logout stays at the app')
    assert.equal((await (await browser.request('/bff/session')).json()).signedIn, false)
  })

  test('a logout token that fails a check is refused with 400 and ends nothing', async () => {
    offset = 0
    const browser = await signIn(app)
    const session = app.store.seen.at(-1)!
    for (const body of ['', 'logout_token=not-a-jwt', `logout_token=${session.idToken}`]) {
      const answer = await fetch(`${app.url}/bff/backchannel-logout`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      })
      assert.equal(answer.status, 400, body.slice(0, 20))
      assert.equal((await answer.json()).error, 'invalid_request')
    }
    assert.equal((await (await browser.request('/bff/session')).json()).signedIn, true)
  })

  test('the Fastify plugin serves the same routes over the same core', async () => {
    // The origin (and so the port) goes into the BFF, which the plugin needs before Fastify listens.
    const probe = await listen(() => {})
    const port = probe.port
    await probe.close()
    const fastify = Fastify()
    fastify.get('/', async () => 'the app')
    try {
      const bff = await createBff({
        issuer: app.t.url,
        clientId: 'bff-fastify',
        clientSecret: BFF_SECRET,
        origin: `http://localhost:${port}`,
        apiBaseUrl: app.api.url,
      })
      await fastify.register(bffFastifyPlugin, { bff })
      await fastify.listen({ port, host: '127.0.0.1' })
      await addClient(app.t, { id: 'bff-fastify', redirectUris: [bff.settings.redirectUri] }, BFF_SECRET)
      const browser = await signIn({ url: `http://localhost:${port}` })
      assert.equal(
        (await (await browser.request('/bff/session')).json()).user.sub,
        app.store.seen.at(-1)!.sub,
      )
      const posted = await browser.sameOrigin('/bff/api/photos')
      assert.equal(posted.status, 200)
      assert.equal((await browser.request('/bff/api/photos', { method: 'POST' })).status, 403)
      assert.equal(await (await browser.request('/')).text(), 'the app')
    } finally {
      await fastify.close()
    }
  })
})
