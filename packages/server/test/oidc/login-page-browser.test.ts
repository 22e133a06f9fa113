/**
 * @module The sign-in pages in a real browser (Debian's Chromium through playwright-core): the Korean
 * page chosen by the browser's language with its stylesheet applied under the CSP, login then consent
 * then the redirect with code, state and iss; a second client on another origin signed in without the
 * password; and the login page refusing to render inside a frame on another site.
 */
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, test } from 'node:test'
import type { Browser } from 'playwright-core'
import { chromiumMissing, launchChromium } from '../../../../test-support/chromium.js'
import { addUser, authorizeParams, type Harness, PASSWORD, startHarness } from './authorize-fixtures.js'

const missing = chromiumMissing('the sign-in page browser tests')

let h: Harness
let browser: Browser
before(async () => {
  if (missing) return
  h = await startHarness()
  browser = await launchChromium()
})
after(async () => {
  if (missing) return
  await browser.close()
  await h.t.cleanup()
})

test('login, consent and redirect in Chromium; then a second origin signs in without a password', {
  skip: missing,
}, async () => {
  await addUser(h, 'browser')
  const photos = await h.addClient('browser-photos', { redirectUris: ['http://localhost:59999/cb'] })
  const notes = await h.addClient('browser-notes', {
    firstParty: true,
    redirectUris: ['http://127.0.0.1:59998/cb'],
  })
  const context = await browser.newContext({ locale: 'ko-KR' })
  const page = await context.newPage()
  const problems: string[] = []
  page.on('console', (message) => problems.push(`${message.type()}: ${message.text()}`))
  const landed: string[] = []
  for (const origin of ['http://localhost:59999', 'http://127.0.0.1:59998'])
    await context.route(`${origin}/**`, (route) => {
      landed.push(route.request().url())
      return route.fulfill({ body: 'signed in' })
    })
  const params = authorizeParams(photos)
  await page.goto(`${h.t.url}/authorize?${params}`)
  assert.equal(await page.title(), '로그인 · Tessera')
  // The stylesheet applied (the panel's colour), so the CSP let our own CSS through.
  const background = await page.locator('.panel').evaluate((e) => getComputedStyle(e).backgroundColor)
  assert.equal(background, 'rgb(245, 247, 249)')
  await page.fill('input[name=username]', 'browser')
  await page.fill('input[name=password]', PASSWORD)
  await page.click('button[type=submit]')
  await page.waitForSelector('button[name=consent][value=allow]')
  await page.click('button[name=consent][value=allow]')
  await page.waitForURL('http://localhost:59999/**')
  const first = new URL(landed.at(-1)!)
  assert.ok(first.searchParams.get('code'))
  assert.equal(first.searchParams.get('state'), params.get('state'))
  assert.equal(first.searchParams.get('iss'), h.t.url)
  // Another site, another client: no login page, straight back with a code.
  await page.goto(`${h.t.url}/authorize?${authorizeParams(notes)}`).catch(() => {})
  await page.waitForURL('http://127.0.0.1:59998/**')
  assert.ok(new URL(landed.at(-1)!).searchParams.get('code'))
  assert.deepEqual(problems, [])
  await context.close()
})

test('the login page does not render in a frame on another site', { skip: missing }, async () => {
  const client = await h.addClient('browser-framed', { firstParty: true })
  const target = `${h.t.url}/authorize?${authorizeParams(client)}`
  // A real page on another origin framing the login page; it says when the frame has loaded (a
  // blocked frame loads an error page instead).
  const framer = createServer((_request, response) => {
    response.setHeader('content-type', 'text/html')
    response.end(`<iframe onload="document.title='loaded'" src="${target.replace(/&/g, '&amp;')}"></iframe>`)
  })
  await new Promise<void>((resolve) => framer.listen(0, '127.0.0.1', resolve))
  const context = await browser.newContext()
  try {
    const page = await context.newPage()
    await page.goto(`http://localhost:${(framer.address() as AddressInfo).port}/`)
    await page.waitForFunction(() => document.title === 'loaded')
    const frame = page.frames().find((f) => f !== page.mainFrame())
    assert.ok(frame)
    assert.equal(await frame.locator('input[name=password]').count(), 0, 'the login form rendered in a frame')
  } finally {
    await context.close()
    framer.close()
  }
})
