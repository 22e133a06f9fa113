/**
 * @module The login page of /authorize: headers that forbid framing and foreign resources, English and
 * Korean, escaping of everything a request or a registration puts on it, the same password check and
 * throttle as /auth/login, and login CSRF refused (a post from another site, a form without this
 * browser's binding cookie, a wrong token, an altered or stale sealed request).
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  addUser,
  authorize,
  authorizeParams,
  browse,
  formFields,
  Jar,
  PASSWORD,
  redirectedTo,
  submitLogin,
  useHarness,
} from './authorize-fixtures.js'

const h = useHarness()

const sessionCookie = (jar: Jar) => jar.cookies.get('tessera-session')

async function loginPage(clientId: string, overrides: Record<string, string | undefined> = {}, headers = {}) {
  const client = await h.addClient(clientId, { firstParty: true })
  const jar = new Jar()
  const response = await authorize(h, jar, authorizeParams(client, overrides), headers)
  assert.equal(response.status, 200)
  return { client, jar, response, html: await response.text() }
}

test('the page cannot be framed, loads only our own stylesheet, and is not cached', async () => {
  const { response, html } = await loginPage('frame-app')
  const csp = response.headers.get('content-security-policy') ?? ''
  assert.match(csp, /default-src 'self'/)
  assert.match(csp, /frame-ancestors 'none'/)
  assert.equal(response.headers.get('x-frame-options'), 'DENY')
  assert.equal(response.headers.get('cache-control'), 'no-store')
  assert.equal(response.headers.get('x-content-type-options'), 'nosniff')
  const urls = [...html.matchAll(/(?:src|href|action)="([^"]*)"/g)].map((m) => m[1]!)
  assert.ok(urls.length > 0)
  for (const url of urls) assert.ok(url.startsWith('/') && !url.startsWith('//'), `foreign resource ${url}`)
  assert.doesNotMatch(html, /<script|style=/)
  const css = await fetch(`${h.t.url}/authorize/pages.css`)
  assert.equal(css.status, 200)
  assert.match(css.headers.get('content-type') ?? '', /^text\/css/)
  assert.match(await css.text(), /--accent: #0b5cad/)
})

test('ui_locales=ko gives the Korean page; Accept-Language is used when ui_locales names nothing we have', async () => {
  const ko = await loginPage('ko-app', { ui_locales: 'ko' })
  assert.match(ko.html, /<html lang="ko">/)
  assert.match(ko.html, /비밀번호/)
  const browser = await loginPage(
    'ko-browser-app',
    { ui_locales: 'fr-CA' },
    { 'accept-language': 'ko-KR,ko;q=0.9,en;q=0.5' },
  )
  assert.match(browser.html, /<html lang="ko">/)
  const first = await loginPage('en-first-app', { ui_locales: 'en ko' }, { 'accept-language': 'ko' })
  assert.match(first.html, /<html lang="en">/)
  assert.match(first.html, /Password/)
  const weighted = await loginPage('en-weight-app', {}, { 'accept-language': 'ko;q=0.2, en;q=0.8' })
  assert.match(weighted.html, /<html lang="en">/)
})

test('login_hint and the client name are escaped', async () => {
  const client = await h.addClient('xss-app', { firstParty: true, name: '<img src=x onerror=alert(1)>' })
  const response = await authorize(
    h,
    new Jar(),
    authorizeParams(client, { login_hint: '"><script>alert(1)</script>' }),
  )
  const html = await response.text()
  assert.doesNotMatch(html, /<script>|<img/)
  assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;/)
  assert.match(html, /value="&quot;&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;"/)
})

test('a wrong password shows the page again (401) and starts no session; the right one then works', async () => {
  await addUser(h, 'typo')
  const { client, jar, html } = await loginPage('typo-app')
  const wrong = await submitLogin(h, jar, html, 'typo', 'not the password at all')
  assert.equal(wrong.status, 401)
  assert.equal(sessionCookie(jar), undefined)
  const again = await wrong.text()
  assert.match(again, /The username or password is wrong/)
  const right = await submitLogin(h, jar, again, 'typo')
  assert.equal(right.status, 303)
  assert.ok(redirectedTo(right, client.redirectUris[0]!).get('code'))
  assert.ok(sessionCookie(jar))
})

test('the page shares the throttle of /auth/login: failures on one count on the other', async () => {
  await addUser(h, 'guessed')
  const { jar, html } = await loginPage('throttle-app')
  let page = html
  // accountFreeFailures is 5 by default; the clock stands still, so the back-off never runs out.
  for (let i = 0; i < 5; i++) {
    const response = await submitLogin(h, jar, page, 'guessed', `wrong guess ${i}`)
    assert.equal(response.status, 401)
    page = await response.text()
  }
  const api = await h.t.post('/auth/login', { username: 'guessed', password: PASSWORD })
  assert.equal(api.status, 429)
  const throttled = await submitLogin(h, jar, page, 'guessed')
  assert.equal(throttled.status, 429)
  assert.ok(Number(throttled.headers.get('retry-after')) >= 1)
  assert.equal(sessionCookie(jar), undefined)
})

test('login CSRF: a post from another site is refused (Sec-Fetch-Site, then Origin) and no session starts', async () => {
  await addUser(h, 'victim')
  for (const [i, headers] of [
    { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
    { 'sec-fetch-site': 'same-site', origin: 'https://sub.evil.example' },
    { 'sec-fetch-site': '', origin: 'https://evil.example' },
  ].entries()) {
    const { jar, html } = await loginPage(`csrf-site-${i}`)
    const response = await submitLogin(h, jar, html, 'victim', PASSWORD, headers)
    assert.equal(response.status, 403)
    assert.equal(response.headers.get('location'), null)
    assert.match(await response.text(), /ERR_CSRF_REJECTED/)
    assert.equal(sessionCookie(jar), undefined)
  }
})

test("login CSRF: the attacker's own form posted from the victim's browser (no binding cookie) is refused", async () => {
  await addUser(h, 'attacker')
  const { html } = await loginPage('csrf-binding-app')
  // The victim's browser: no cookie from that page, and no Origin/Sec-Fetch-Site (an old browser).
  const victim = new Jar()
  const { interaction, csrf } = formFields(html)
  const response = await fetch(`${h.t.url}/authorize/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ interaction, csrf_token: csrf, username: 'attacker', password: PASSWORD }),
  })
  victim.take(response)
  assert.equal(response.status, 400)
  assert.match(await response.text(), /ERR_AUTHORIZE_INTERACTION/)
  assert.equal(sessionCookie(victim), undefined)
})

test('login CSRF: a wrong or missing token, an altered or a stale sealed request is refused', async () => {
  await addUser(h, 'careful')
  const post = (jar: Jar, fields: Record<string, string>) =>
    browse(h, jar, '/authorize/login', {
      form: new URLSearchParams({ username: 'careful', password: PASSWORD, ...fields }),
    })
  const { jar, html } = await loginPage('csrf-token-app')
  const { interaction, csrf } = formFields(html)
  const flipped = `${interaction.slice(0, 20)}${interaction[20] === 'A' ? 'B' : 'A'}${interaction.slice(21)}`
  for (const fields of [
    { interaction, csrf_token: `${csrf.slice(0, -1)}x` },
    { interaction },
    { interaction: flipped, csrf_token: csrf },
    { csrf_token: csrf },
  ]) {
    const response = await post(jar, fields)
    assert.equal(response.status, 400, JSON.stringify(Object.keys(fields)))
    assert.equal(response.headers.get('location'), null)
  }
  assert.equal(sessionCookie(jar), undefined)
  h.advance(11 * 60 * 1000)
  const stale = await post(jar, { interaction, csrf_token: csrf })
  assert.equal(stale.status, 400)
  assert.match(await stale.text(), /expired/)
  assert.equal(sessionCookie(jar), undefined)
})

test("signing in as someone else through the page ends the first user's session (its clients are told) and starts another", async () => {
  const firstId = await addUser(h, 'first-user')
  const secondId = await addUser(h, 'second-user')
  const { client, jar, html } = await loginPage('switch-app')
  // A client that wants back-channel logout (nothing listens there: only the queued notice is checked).
  const { store, sessions } = h.t.server.services
  await store.clients.update(client.id, { backchannelLogoutUri: 'http://127.0.0.1:9/logout' }, h.now())
  assert.equal((await submitLogin(h, jar, html, 'first-user')).status, 303)
  const before = sessionCookie(jar)
  const firstSid = (await sessions.resolve(before)).record.sid
  const page = await authorize(h, jar, authorizeParams(client, { prompt: 'login' }))
  const response = await submitLogin(h, jar, await page.text(), 'second-user')
  assert.equal(response.status, 303)
  assert.notEqual(sessionCookie(jar), before)
  assert.equal(await store.sessions.findBySid(firstSid), undefined)
  const queued = await store.backchannelLogouts.claimDue(h.now() + 86_400_000, 100, 1000)
  assert.ok(
    queued.some((r) => r.sid === firstSid && r.sub === firstId && r.clientId === client.id),
    'a back-channel logout for the first session',
  )
  const me = await fetch(`${h.t.url}/session/me`, { headers: jar.header() })
  const now = (await me.json()) as { sub: string }
  assert.equal(now.sub, secondId)
  assert.notEqual((await sessions.resolve(sessionCookie(jar))).record.sid, firstSid)
})

test('a client or redirect_uri removed while the page was open gets an error page, not a redirect', async () => {
  await addUser(h, 'late')
  const { client, jar, html } = await loginPage('removed-uri-app')
  await h.t.server.services.store.clients.update(
    client.id,
    { redirectUris: ['https://removed-uri-app.example/new'] },
    h.now(),
  )
  const moved = await submitLogin(h, jar, html, 'late')
  assert.equal(moved.status, 400)
  assert.equal(moved.headers.get('location'), null)
  assert.match(await moved.text(), /ERR_AUTHORIZE_REDIRECT_URI/)
  const gone = await loginPage('removed-client-app')
  await h.t.server.services.store.clients.remove(gone.client.id)
  const response = await submitLogin(h, gone.jar, gone.html, 'late')
  assert.equal(response.status, 400)
  assert.match(await response.text(), /ERR_AUTHORIZE_CLIENT_UNKNOWN/)
})

test('a request at every length limit still fits its login form under the body limit, and signs in', async () => {
  const userId = await addUser(h, 'longest')
  const client = await h.addClient('long-app', { firstParty: true })
  const long = (n: number) => 'x'.repeat(n)
  const iat = Math.floor(h.now() / 1000)
  const claims = { iss: h.t.url, aud: client.id, sub: userId, iat, exp: iat + 300, pad: long(5500) }
  const hint = h.t.server.services.keys.signIdToken(claims, 'RS256')
  assert.ok(hint.length > 7500 && hint.length <= 8192, `hint of ${hint.length}`)
  const params = authorizeParams(client, {
    id_token_hint: hint,
    state: long(2048),
    nonce: long(512),
    login_hint: long(256),
    ui_locales: `ko ${long(250)}`,
    acr_values: long(512),
    resource: `https://api.example/${long(2000)}`,
  })
  const jar = new Jar()
  const page = await authorize(h, jar, params)
  assert.equal(page.status, 200)
  const response = await submitLogin(h, jar, await page.text(), 'longest')
  assert.equal(response.status, 303)
  const query = redirectedTo(response, client.redirectUris[0]!)
  assert.equal(query.get('state'), long(2048))
  assert.ok(query.get('code'))
  const tooLong = await authorize(h, new Jar(), authorizeParams(client, { state: long(2049) }))
  assert.equal(redirectedTo(tooLong, client.redirectUris[0]!).get('error'), 'invalid_request')
})
