/**
 * @module The authorization response checks of `handleRedirect`, in Chromium against a real Tessera
 * server: a `state` this browser never sent, a response replayed after it was used, an `iss` that is not
 * the issuer (RFC 9207), and an error the provider sent back are each refused with
 * ERR_CLIENT_REDIRECT_INVALID, and no code is redeemed for them.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { BrowserContext, Page } from 'playwright-core'
import { chromiumMissing } from '../../../test-support/chromium.js'
import { type SpaHarness, startSpaHarness } from './spa-harness.js'

const missing = chromiumMissing('@tessera/client login tests')

/** `handleRedirect(url)` in the page: 'ok', or the error's code and OAuth error. */
const handle = (page: Page, url: string) =>
  page.evaluate(
    (u) =>
      (window as unknown as { tessera: { handleRedirect(url: string): Promise<unknown> } }).tessera
        .handleRedirect(u)
        .then(
          () => 'ok',
          (error: { code?: string; oauthError?: string }) => `${error.code} ${error.oauthError ?? ''}`.trim(),
        ),
    url,
  )

describe('handleRedirect refuses what this browser did not ask for', { skip: missing }, () => {
  let h: SpaHarness
  let context: BrowserContext
  let page: Page

  before(async () => {
    h = await startSpaHarness({ handleRedirect: false })
    context = await h.newContext()
    page = await h.openTab(context)
  })
  after(async () => {
    await h?.close()
  })

  /** Runs a login up to the provider's redirect back; the page leaves the response unhandled. */
  async function authorizationResponse(): Promise<URL> {
    await page.goto(`${h.spa}/`)
    await page.waitForSelector('body[data-ready]')
    await h.signIn(page)
    const response = new URL(page.url())
    assert.ok(response.searchParams.has('code'), response.href)
    return response
  }

  test('a state this browser never sent: refused, nothing redeemed', async () => {
    const url = `${h.spa}/callback?code=abc&state=${'x'.repeat(43)}&iss=${encodeURIComponent(h.issuer)}`
    assert.equal(await handle(page, url), 'ERR_CLIENT_REDIRECT_INVALID')
    assert.deepEqual(h.grants, [])
  })

  test('an iss that is not the issuer (a mix-up): refused before the code is redeemed', async () => {
    const response = await authorizationResponse()
    assert.equal(response.searchParams.get('iss'), h.issuer)
    response.searchParams.set('iss', 'https://evil.example')
    assert.equal(await handle(page, response.href), 'ERR_CLIENT_REDIRECT_INVALID')
    response.searchParams.delete('iss')
    // The provider says it always sends iss (discovery): a response without it is refused too — and the
    // state was spent by the first attempt anyway.
    assert.equal(await handle(page, response.href), 'ERR_CLIENT_REDIRECT_INVALID')
    assert.deepEqual(h.grants, [])
  })

  test('a response replayed after it was used (the back button, a leaked URL): refused', async () => {
    const response = await authorizationResponse()
    assert.equal(await handle(page, response.href), 'ok')
    assert.equal(await handle(page, response.href), 'ERR_CLIENT_REDIRECT_INVALID')
    assert.deepEqual(
      h.grants.map((g) => `${g.grant} ${g.status}`),
      ['authorization_code 200'],
    )
  })

  test('an error from the provider (prompt=none without a session) is refused with its OAuth error', async () => {
    const fresh = await h.newContext()
    const tab = await h.openTab(fresh)
    await tab.evaluate(() =>
      (window as unknown as { tessera: { login(o: object): Promise<void> } }).tessera.login({
        prompt: 'none',
      }),
    )
    await tab.waitForURL((url) => url.href.startsWith(`${h.spa}/callback`))
    await tab.waitForSelector('body[data-ready]')
    assert.equal(new URL(tab.url()).searchParams.get('error'), 'login_required')
    assert.equal(await handle(tab, tab.url()), 'ERR_CLIENT_REDIRECT_INVALID login_required')
    await fresh.close()
  })
})
