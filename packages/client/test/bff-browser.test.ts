/**
 * @module The backend-for-frontend helper in a real browser (Debian's Chromium through playwright-core)
 * against a real Tessera server: signing in through the BFF, calling the API through it, no token ever
 * reaching the page (not in `document.cookie`, not in any response the page gets), a cross-origin
 * state-changing request refused, and the session ended by logout and by back-channel logout.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { chromiumMissing, launchChromium } from '../../../test-support/chromium.js'
import { PASSWORD } from '../../server/test/oidc/interop-fixtures.js'
import { type BffApp, listen, startBffApp } from './bff-harness.js'

/** A fetch run by the page's own script: what page code gets to see. */
async function pageFetch(
  page: Page,
  path: string,
  init: { method?: string; accept?: string } = {},
): Promise<{ status: number; body: string }> {
  return page.evaluate(
    async ([p, method, accept]) => {
      const response = await fetch(p!, { method: method!, headers: accept ? { accept } : {} })
      return { status: response.status, body: await response.text() }
    },
    [path, init.method ?? 'GET', init.accept ?? ''],
  )
}

async function until(probe: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

const missing = chromiumMissing('BFF browser tests')

describe('the BFF in Chromium: tokens stay on the server', { skip: missing }, () => {
  let app: BffApp
  let browser: Browser
  let page: Page
  /** Every response the page got from the app's origin: status, headers and body text. */
  const seen: { url: string; status: number; text: string }[] = []

  before(async () => {
    app = await startBffApp()
    browser = await launchChromium()
    page = await (await browser.newContext()).newPage()
    page.on('response', async (response) => {
      if (!response.url().startsWith(app.url)) return
      const headers = JSON.stringify(await response.allHeaders())
      const body =
        response.status() >= 300 && response.status() < 400 ? '' : await response.text().catch(() => '')
      seen.push({ url: response.url(), status: response.status(), text: headers + body })
    })
  })
  after(async () => {
    await browser?.close()
    await app?.close()
  })

  async function signIn(typePassword: boolean): Promise<void> {
    await page.goto(`${app.url}/bff/login?returnTo=/`)
    if (typePassword) {
      await page.waitForSelector('input[name=password]')
      await page.fill('input[name=username]', 'lin')
      await page.fill('input[name=password]', PASSWORD)
      await page.click('button[type=submit]')
    }
    await page.waitForURL((url) => url.href.startsWith(app.url) || url.pathname.startsWith('/authorize'))
    if (page.url().startsWith(app.t.url) && (await page.locator('button[name=consent]').count()) > 0)
      await page.click('button[name=consent][value=allow]')
    await page.waitForURL(`${app.url}/`)
  }

  test('signs in through the BFF: the page knows who, through /bff/session', async () => {
    await signIn(true)
    const session = await pageFetch(page, '/bff/session')
    assert.equal(session.status, 200)
    const body = JSON.parse(session.body) as { signedIn: boolean; user: { sub: string; name: string } }
    assert.equal(body.signedIn, true)
    assert.equal(body.user.name, 'Ada lin')
  })

  test('the API answers through the BFF proxy, with the token added on the server', async () => {
    const answer = await pageFetch(page, '/bff/api/photos?page=2')
    assert.equal(answer.status, 200, answer.body)
    const body = JSON.parse(answer.body) as { sub: string; path: string }
    assert.equal(body.sub, app.store.seen.at(-1)!.sub)
    assert.equal(body.path, '/photos?page=2')
    const posted = await pageFetch(page, '/bff/api/photos', { method: 'POST' })
    assert.equal(posted.status, 200, posted.body)
  })

  test('no token is visible to page script: not in document.cookie, not in any response', async () => {
    assert.equal(await page.evaluate(() => document.cookie), '', 'the session cookie is HttpOnly')
    const cookies = await page.context().cookies(app.url)
    const session = cookies.find((c) => c.name === '__Host-tessera-session')
    assert.ok(session?.httpOnly && session.secure && session.sameSite === 'Lax', JSON.stringify(cookies))
    assert.ok(!cookies.some((c) => c.name === 'api'), "the API's own cookie is not passed on")
    const secrets = app.store.seen.flatMap((s) => [s.accessToken, s.idToken, s.refreshToken ?? ''])
    assert.ok(secrets.length >= 3 && seen.length >= 4, `responses seen: ${seen.length}`)
    for (const response of seen)
      for (const secret of secrets.filter(Boolean))
        assert.ok(!response.text.includes(secret), `a token reached the page in ${response.url}`)
  })

  test('a state-changing request from another origin is refused (CSRF), and nothing reaches the API', async () => {
    // Another origin on the same site (cookies do not isolate by port): the browser sends the cookie.
    const attacker = await listen((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' })
      response.end('<!doctype html><title>elsewhere</title>')
    })
    try {
      const evil = await page.context().newPage()
      await evil.goto(`http://localhost:${attacker.port}/`)
      const hitsBefore = app.api.hits.length
      const refused = evil.waitForResponse((r) => r.url() === `${app.url}/bff/api/photos`)
      await evil.evaluate(async (target) => {
        await fetch(target, { method: 'POST', mode: 'no-cors', credentials: 'include', body: 'x' })
      }, `${app.url}/bff/api/photos`)
      assert.equal((await refused).status(), 403)
      const logout = evil.waitForResponse((r) => r.url() === `${app.url}/bff/logout`)
      await evil.evaluate(async (target) => {
        await fetch(target, { method: 'POST', mode: 'no-cors', credentials: 'include' })
      }, `${app.url}/bff/logout`)
      assert.equal((await logout).status(), 403)
      await evil.close()
      assert.equal(app.api.hits.length, hitsBefore, app.api.hits.join(', '))
      const still = JSON.parse((await pageFetch(page, '/bff/session')).body) as { signedIn: boolean }
      assert.equal(still.signedIn, true, 'the forged logout did not end the session')
    } finally {
      await attacker.close()
    }
  })

  test('logout ends the session here and at the provider', async () => {
    const out = await pageFetch(page, '/bff/logout', { method: 'POST', accept: 'application/json' })
    assert.equal(out.status, 200, out.body)
    const { redirect } = JSON.parse(out.body) as { redirect: string }
    assert.ok(redirect.startsWith(`${app.t.url}/logout?`), redirect)
    await page.goto(redirect)
    await page.waitForURL(`${app.url}/`)
    assert.equal(JSON.parse((await pageFetch(page, '/bff/session')).body).signedIn, false)
    assert.equal((await pageFetch(page, '/bff/api/photos')).status, 401)
    // The provider session is gone too: signing in again asks for the password.
    await signIn(true)
  })

  test('a back-channel logout from the provider ends the BFF session', async () => {
    assert.equal(JSON.parse((await pageFetch(page, '/bff/session')).body).signedIn, true)
    // Signed out at the provider in this same tab (a second tab closed mid-way has left this page's
    // evaluate hanging in headless Chromium), then back on the app, whose session the back channel ends.
    await page.goto(`${app.t.url}/logout`)
    await page.click('button[name=logout][value=yes]')
    await page.waitForLoadState('load')
    await page.goto(`${app.url}/`)
    await until(
      async () => JSON.parse((await pageFetch(page, '/bff/session')).body).signedIn === false,
      15_000,
      'the back-channel logout ending the session',
    )
    assert.equal((await pageFetch(page, '/bff/api/photos')).status, 401)
  })
})
