/**
 * @module The flow page's two-tab view in a real browser (Debian's Chromium through playwright-core):
 * the real server serving the built flow page, access tokens of 30 s, and Photos (the single-page app on
 * @tessera/client) on another site. Two Photos tabs opened from the flow page report their token events
 * back to it, and when their shared tokens are due the page shows one refresh between them — one request
 * to /token counted at the browser, the other tab handed the new tokens over BroadcastChannel.
 */
import assert from 'node:assert/strict'
import { mkdirSync } from 'node:fs'
import { after, before, describe, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { chromiumMissing, launchChromium } from '../../../test-support/chromium.js'
import { startTestServer, type TestServer } from '../../server/test/helpers/test-server.js'
import { addProfileUser } from '../../server/test/oidc/interop-fixtures.js'
import { assertBuilt, DIST } from '../../web/test/support/static-server.js'
import { type DemoApp, startPhotosApp } from '../src/index.js'
import { registerPhotos, signInAtPhotos } from './photos-fixtures.js'

const ARTIFACTS = fileURLToPath(new URL('../../../test-artifacts/', import.meta.url))
const missing = chromiumMissing('the two-tab flow page test')

describe('the flow page shows two Photos tabs sharing one refresh (Chromium)', { skip: missing }, () => {
  let t: TestServer
  let photos: DemoApp
  let browser: Browser
  let context: BrowserContext
  /** POSTs to the provider's /token from any page of the browser, with the grant they carried. */
  const tokenRequests: string[] = []

  before(async () => {
    assertBuilt()
    t = await startTestServer({ webRoot: DIST, accessTtl: 30, demoClients: false })
    await addProfileUser(t, 'lin')
    photos = await startPhotosApp({
      issuer: t.url,
      clientId: 'photos',
      port: 0,
      publicHost: 'localhost',
      audience: t.config.audience,
    })
    // The id the flow page looks for in the demo's app list.
    await registerPhotos(t, photos, 'photos')
    browser = await launchChromium()
    context = await browser.newContext({ locale: 'en-US' })
    context.on('request', (request) => {
      if (request.method() === 'POST' && request.url() === `${t.url}/token`)
        tokenRequests.push(new URLSearchParams(request.postData() ?? '').get('grant_type') ?? '?')
    })
  })
  after(async () => {
    await browser?.close()
    await photos?.close()
    await t?.cleanup()
  })

  const rows = (page: Page) => page.locator('#sso-tabs tbody tr')

  test('two tabs opened from the flow page make one refresh between them, and the page shows it', async () => {
    // Sign in at Photos once; its tabs then come back signed in from the key and refresh token it stored.
    const first = await context.newPage()
    await first.goto(photos.url)
    await first.waitForSelector('[data-sign-in]')
    await signInAtPhotos(first, t, photos, true)
    await first.waitForSelector('[data-state="signed-in"]')
    await first.close()

    const flow = await context.newPage()
    await flow.goto(`${t.url}/`)
    const open = flow.locator('#sso-tabs-open')
    await flow.waitForSelector('#sso-tabs-open:not([disabled])')
    const tabs: Page[] = []
    for (let i = 0; i < 2; i++) {
      const popup = flow.waitForEvent('popup')
      await open.click()
      tabs.push(await popup)
    }
    for (const tab of tabs) await tab.waitForSelector('[data-state="signed-in"]')
    await flow.waitForFunction(
      () =>
        [...document.querySelectorAll('#sso-tabs tbody tr')].filter((row) =>
          row.textContent?.includes('signed in'),
        ).length === 2,
    )
    // Both tabs hold the same tokens now; from here on, count what the next due refresh costs.
    await new Promise((resolve) => setTimeout(resolve, 1000))
    const summary = flow.locator('#sso-tabs-summary')
    const refreshesBefore = Number(await summary.getAttribute('data-refreshes'))
    const handedBefore = Number(await summary.getAttribute('data-handed'))
    const requestsBefore = tokenRequests.length
    const expiresBefore = await rows(flow).first().getAttribute('data-expires')

    await flow.waitForFunction(
      (count) => Number(document.querySelector('#sso-tabs-summary')?.getAttribute('data-refreshes')) > count,
      refreshesBefore,
      { timeout: 45_000 },
    )
    await flow.waitForFunction(
      (count) => Number(document.querySelector('#sso-tabs-summary')?.getAttribute('data-handed')) > count,
      handedBefore,
      { timeout: 10_000 },
    )
    // Let a second refresh, if one were coming, arrive before counting.
    await new Promise((resolve) => setTimeout(resolve, 1500))
    assert.equal(
      Number(await summary.getAttribute('data-refreshes')),
      refreshesBefore + 1,
      'one tab refreshed',
    )
    assert.equal(
      Number(await summary.getAttribute('data-handed')),
      handedBefore + 1,
      'the other was handed the tokens',
    )
    assert.deepEqual(
      tokenRequests.slice(requestsBefore),
      ['refresh_token'],
      'one refresh request reached /token',
    )
    const [a, b] = [
      await rows(flow).nth(0).getAttribute('data-expires'),
      await rows(flow).nth(1).getAttribute('data-expires'),
    ]
    assert.equal(a, b, 'both tabs show the same new expiry')
    assert.ok(Number(a) > Number(expiresBefore), `the expiry moved on: ${expiresBefore} → ${a}`)
    assert.match(
      (await flow.locator('#sso-tabs-log').textContent()) ?? '',
      /took the new tokens from the other tab/,
    )
    mkdirSync(ARTIFACTS, { recursive: true })
    await flow.locator('#sso-tabs').screenshot({ path: `${ARTIFACTS}flow-two-tabs-one-refresh.png` })
  })
})
