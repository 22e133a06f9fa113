/**
 * @module The flow demo in a real headless Chromium against the real server (startServer, SQLite file
 * in a temp dir, loopback port 0) serving the built pages. The server's clock and the page's clock are
 * both injected and moved together, so the access token really expires without the test sleeping.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { after, before, describe, test } from 'node:test'
import { loadConfig, type ManualClock, manualClock, type RunningServer, startServer } from '@tessera/server'
import type { Browser, Page } from 'playwright-core'
import { launchChromium, screenshot, watchErrors } from './support/browser.js'
import { assertBuilt, DIST } from './support/static-server.js'

// The injected clock starts at the real time: the server's own compare run (demo mode) verifies the
// tokens it measures against the wall clock, so a clock far from it would make that run fail.
const START = Date.now()
const ACCESS_TTL = 30

let dir: string
let server: RunningServer
let clock: ManualClock
let browser: Browser
let compareStatus = 0

before(async () => {
  assertBuilt()
  dir = mkdtempSync(join(tmpdir(), 'tessera-web-flow-'))
  clock = manualClock(START)
  const config = loadConfig({
    port: 0,
    host: '127.0.0.1',
    database: `sqlite:${join(dir, 'tessera.db')}`,
    webRoot: DIST,
    accessTtl: ACCESS_TTL,
    insecureCookies: true,
    // No leeway, so "expired" means refused the second exp passes (the page explains a leeway if there is one).
    clockSkew: 0,
    logLevel: 'warn',
  })
  // Logs are discarded: the demo password line must not land in the test output.
  const logDestination = new Writable({ write: (_chunk, _encoding, done) => done() })
  server = await startServer(config, { clock, schedule: false, logDestination })
  // Demo mode measures sessions vs tokens on the first GET /api/compare (a few seconds): do it now,
  // before the tests move the clock, so every page load finds the report ready.
  const compare = await fetch(`${server.url}/api/compare`)
  compareStatus = compare.status
  await compare.arrayBuffer()
  browser = await launchChromium()
})
after(async () => {
  await browser?.close()
  await server?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

async function openFlow(): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 1000 } })
  // Both clocks stand still at the same instant until the test moves them.
  const at = clock() + 5000
  clock.set(at)
  await context.clock.install({ time: at - 5000 })
  await context.clock.pauseAt(at)
  const page = await context.newPage()
  const errors = watchErrors(page)
  await page.goto(`${server.url}/`)
  await page.waitForSelector('#demo-password')
  return { page, errors }
}

function step(page: Page, id: string) {
  return page.locator(`#token-timeline [data-step="${id}"], #session-timeline [data-step="${id}"]`)
}

async function stateOf(page: Page, id: string): Promise<string | null> {
  await step(page, id).waitFor()
  return step(page, id).getAttribute('data-state')
}

describe('flow demo against the real server (Chromium)', () => {
  test('token mode runs from login to the revoked family', async () => {
    assert.ok(server.demoPassword, 'the server seeds a demo user outside production')
    const { page, errors } = await openFlow()
    await page.fill('#demo-password', server.demoPassword!)
    await page.press('#demo-password', 'Enter')

    assert.equal(await stateOf(page, 'login'), 'done')
    assert.match((await step(page, 'tokens').textContent()) ?? '', /"typ": "at\+jwt"/)
    assert.match((await step(page, 'tokens').textContent()) ?? '', /"sid":/)
    assert.equal(await stateOf(page, 'me'), 'done')
    assert.equal(await stateOf(page, 'expiry'), 'waiting')
    assert.match((await step(page, 'expiry').textContent()) ?? '', /expires in 30 s/)
    await screenshot(page, 'flow-token-waiting')

    // 31 s later on both clocks: the page sees exp pass, the server agrees the token expired.
    clock.advance((ACCESS_TTL + 2) * 1000)
    await page.clock.runFor((ACCESS_TTL + 2) * 1000)
    assert.equal(await stateOf(page, 'expiry'), 'done')
    assert.equal(await stateOf(page, 'me-expired'), 'refused')
    assert.match((await step(page, 'me-expired').textContent()) ?? '', /HTTP 401/)
    assert.equal(await stateOf(page, 'refresh'), 'done')

    // Keyboard only: the theft button is reached and pressed without a mouse, and focus stays in the timeline.
    await page.focus('#theft-button')
    await page.keyboard.press('Enter')
    // Seconds after the rotation, the replay lands in the grace window first (no false alarm);
    // once the victim has moved on, the same replay is theft.
    assert.equal(await stateOf(page, 'grace'), 'info')
    assert.equal(await stateOf(page, 'refresh-again'), 'done')
    assert.equal(await stateOf(page, 'theft'), 'refused')
    assert.match((await step(page, 'theft').textContent()) ?? '', /invalid_grant/)
    assert.equal(await stateOf(page, 'revoked'), 'done')
    assert.equal(await stateOf(page, 'revoked-me'), 'refused')
    assert.equal(await page.evaluate(() => document.activeElement?.closest('#token-timeline') !== null), true)
    assert.match(
      (await page.textContent('#token-timeline [role="status"]')) ?? '',
      /Access token of the revoked family/,
    )
    assert.match((await step(page, 'revoked-me').textContent()) ?? '', /HTTP 401/)
    await screenshot(page, 'flow-token-revoked')
    assert.deepEqual(
      errors.filter((e) => !/status of 40[014]/.test(e)),
      [],
    )
    await page.context().close()
  })

  test('the server serves the debugger at /debugger, and the nav switches pages in place', async () => {
    const { page, errors } = await openFlow()
    await page.click('a.nav-link[href="/debugger"]')
    await page.waitForSelector('#token-input')
    assert.equal(new URL(page.url()).pathname, '/debugger')
    assert.equal(await page.getAttribute('a.nav-link[href="/debugger"]', 'aria-current'), 'page')
    await page.goBack()
    await page.waitForSelector('#demo-password')
    for (const path of ['/debugger', '/debugger/']) {
      await page.goto(`${server.url}${path}`)
      await page.waitForSelector('#token-input')
      assert.equal(await page.textContent('h1'), 'JWT debugger')
    }
    assert.deepEqual(
      errors.filter((e) => !/status of 404/.test(e)),
      [],
    )
    await page.context().close()
  })

  test('a wrong password is refused with the OAuth error shown', async () => {
    const { page } = await openFlow()
    await page.fill('#demo-password', 'not-the-demo-password')
    await page.click('#run-token-flow')
    assert.equal(await stateOf(page, 'login'), 'failed')
    assert.match((await step(page, 'login').textContent()) ?? '', /Login refused \(invalid_grant\)/)
    await page.context().close()
  })

  test('session mode and the comparison: real results, or a clear "not available" when the server has none', async () => {
    const { page } = await openFlow()
    const hasSessions = (await fetch(`${server.url}/session/me`)).status !== 404
    const hasCompare = compareStatus !== 404
    await page.fill('#demo-password', server.demoPassword!)
    await page.click('#run-session-flow')
    if (hasSessions) {
      assert.equal(await stateOf(page, 's-login'), 'done')
      assert.match((await step(page, 's-login').textContent()) ?? '', /cannot read it/)
      assert.equal(await stateOf(page, 's-me'), 'done')
      assert.equal(await stateOf(page, 's-logout'), 'done')
      assert.equal(await stateOf(page, 's-after'), 'refused')
    } else {
      assert.equal(await stateOf(page, 's-login'), 'unavailable')
      assert.match((await step(page, 's-login').textContent()) ?? '', /Not available on this server/)
    }
    if (hasCompare) {
      assert.equal(compareStatus, 200)
      await page.locator('#compare-table').waitFor()
      assert.ok((await page.locator('#compare-table tbody tr').count()) > 5)
      await page.locator('#compare-chart').waitFor()
      assert.ok((await page.locator('#compare-chart rect.bar-token').count()) > 1)
    } else {
      await page.locator('#compare-unavailable').waitFor()
      assert.equal(await page.locator('#compare-table').count(), 0, 'no made-up numbers')
    }
    await page.click('button[data-lang="ko"]')
    assert.equal(await page.textContent('h1'), '로그인 흐름 데모')
    await screenshot(page, 'flow-session-korean')
    await page.context().close()
  })
})
