/**
 * @module Single sign-on in a real browser (Debian's Chromium through playwright-core): the two demo apps
 * on two sites (Notes on 127.0.0.1, Photos on localhost), each on port 0 against a real test server.
 * Signing in at Notes signs Photos in without the password; signing out at Photos ends Notes over
 * back-channel logout; signing out at Notes ends Photos at its next check.
 */
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { mkdirSync } from 'node:fs'
import { after, before, describe, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'
import { startTestServer, type TestServer } from '../../server/test/helpers/test-server.js'
import { addClient, addProfileUser, PASSWORD } from '../../server/test/oidc/interop-fixtures.js'
import { type DemoApp, startNotesApp, startPhotosApp } from '../src/index.js'

const ARTIFACTS = fileURLToPath(new URL('../../../test-artifacts/', import.meta.url))
const NOTES_SECRET = 'notes-test-secret-0123456789-abcdefghijklmnopqrstuv'

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true })
  await page.screenshot({ path: `${ARTIFACTS}demo-${name}.png`, fullPage: true })
}

/** The app's state line: 'signed-in' or 'signed-out'. */
const stateOf = (page: Page) => page.locator('[data-state]').getAttribute('data-state')

/** Server log lines about logout, for a failure message. */
let logoutLogs: () => string[] = () => []

/** An event from a demo app, or a failure after 15 s naming what never came (with the logs that tell why). */
async function next(app: DemoApp, name: string, what: string): Promise<Record<string, unknown>> {
  try {
    const [event] = await once(app.events, name, { signal: AbortSignal.timeout(15_000) })
    return event as Record<string, unknown>
  } catch {
    throw new Error(`${what}: no '${name}' event within 15 s\n${logoutLogs().join('\n')}`)
  }
}

describe('single sign-on across two sites in Chromium', () => {
  let t: TestServer
  let notes: DemoApp
  let photos: DemoApp
  let browser: Browser
  let context: BrowserContext
  let page: Page
  /** Every provider page the browser was shown with a password field. */
  const passwordPages: string[] = []
  const log: string[] = []

  before(async () => {
    t = await startTestServer()
    logoutLogs = () => [
      ...log,
      ...t.logs.filter((line) => /logout|backchannel|back-channel/i.test(line)).map((l) => l.slice(0, 400)),
    ]
    await addProfileUser(t, 'lin')
    notes = await startNotesApp({
      issuer: t.url,
      clientId: 'notes-test',
      clientSecret: NOTES_SECRET,
      port: 0,
      publicHost: '127.0.0.1',
      log: (line) => log.push(line),
    })
    photos = await startPhotosApp({
      issuer: t.url,
      clientId: 'photos-test',
      port: 0,
      publicHost: 'localhost',
      log: (line) => log.push(line),
    })
    await addClient(
      t,
      {
        id: 'notes-test',
        name: 'Notes',
        redirectUris: [notes.redirectUri],
        postLogoutRedirectUris: [notes.postLogoutRedirectUri],
        backchannelLogoutUri: notes.backchannelLogoutUri!,
      },
      NOTES_SECRET,
    )
    // Photos without its back-channel endpoint: it must learn of a logout from its own next check.
    await addClient(t, {
      id: 'photos-test',
      name: 'Photos',
      type: 'public',
      redirectUris: [photos.redirectUri],
      postLogoutRedirectUris: [photos.postLogoutRedirectUri],
    })
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    })
    context = await browser.newContext()
    page = await context.newPage()
    page.on('load', async (loaded) => {
      if (!loaded.url().startsWith(t.url)) return
      if (
        (await loaded
          .locator('input[name=password]')
          .count()
          .catch(() => 0)) > 0
      )
        passwordPages.push(new URL(loaded.url()).pathname)
    })
  })
  after(async () => {
    await browser?.close()
    await notes?.close()
    await photos?.close()
    await t?.cleanup()
  })

  /** Clicks through the consent page when the provider shows one (each app is asked once). */
  async function allowIfAsked(app: DemoApp): Promise<void> {
    await page.waitForURL((url) => url.href.startsWith(app.url) || url.pathname.startsWith('/authorize'))
    if (page.url().startsWith(t.url) && (await page.locator('button[name=consent]').count()) > 0)
      await page.click('button[name=consent][value=allow]')
    await page.waitForURL((url) => url.href.startsWith(`${app.url}/`))
  }

  test('signing in at Notes (127.0.0.1) types the password once', async () => {
    await page.goto(notes.url)
    assert.equal(await stateOf(page), 'signed-out')
    const signedIn = next(notes, 'signed-in', 'Notes sign-in')
    await page.click('[data-sign-in]')
    await page.waitForSelector('input[name=password]')
    assert.ok(page.url().startsWith(t.url), `the login page is the provider's: ${page.url()}`)
    await page.fill('input[name=username]', 'lin')
    await page.fill('input[name=password]', PASSWORD)
    await page.click('button[type=submit]')
    await allowIfAsked(notes)
    await signedIn
    assert.equal(await stateOf(page), 'signed-in', (await page.content()).slice(0, 2000))
    assert.match((await page.locator('[data-user]').textContent()) ?? '', /lin/)
    await shot(page, 'notes-signed-in')
  })

  let notesSid: string | null

  test('Photos (localhost, another site) signs in without the password: the same provider session', async () => {
    notesSid = await page.locator('[data-sid]').textContent()
    const before = passwordPages.length
    await page.goto(photos.url)
    assert.equal(await stateOf(page), 'signed-out')
    await page.click('[data-sign-in]')
    await allowIfAsked(photos)
    assert.equal(await stateOf(page), 'signed-in', (await page.content()).slice(0, 2000))
    assert.equal(passwordPages.length, before, `a password page was shown: ${passwordPages.join(', ')}`)
    assert.equal(await page.locator('[data-sid]').textContent(), notesSid, 'one provider session, one sid')
    await shot(page, 'photos-signed-in-by-sso')
  })

  test('signing out at Photos ends the Notes session over back-channel logout', async () => {
    const backchannel = next(notes, 'signed-out', 'back-channel logout to Notes')
    await page.click('button[name=logout]')
    await page.waitForURL((url) => url.href.startsWith(`${photos.url}/`))
    assert.equal(await stateOf(page), 'signed-out')
    const event = await backchannel
    assert.equal(event.reason, 'backchannel')
    assert.equal(event.sid, notesSid)
    await page.goto(notes.url)
    assert.equal(await stateOf(page), 'signed-out')
    assert.match((await page.locator('[data-notice]').textContent()) ?? '', /back-channel/)
    await shot(page, 'notes-ended-by-backchannel')
  })

  test('signing out at Notes ends Photos at its next check (its refresh token is refused)', async () => {
    // The provider session ended: signing in again asks for the password.
    await page.goto(notes.url)
    await page.click('[data-sign-in]')
    await page.waitForSelector('input[name=password]')
    await page.fill('input[name=username]', 'lin')
    await page.fill('input[name=password]', PASSWORD)
    await page.click('button[type=submit]')
    await allowIfAsked(notes)
    assert.equal(await stateOf(page), 'signed-in')
    await page.goto(photos.url)
    await page.click('[data-sign-in]')
    await allowIfAsked(photos)
    assert.equal(await stateOf(page), 'signed-in')

    await page.goto(notes.url)
    await page.click('button[name=logout]')
    await page.waitForURL((url) => url.href.startsWith(`${notes.url}/`))
    assert.equal(await stateOf(page), 'signed-out')
    await page.goto(photos.url)
    assert.equal(await stateOf(page), 'signed-out', (await page.content()).slice(0, 2000))
    assert.match((await page.locator('[data-notice]').textContent()) ?? '', /refused the refresh token/)
    await shot(page, 'photos-ended-at-next-check')
  })
})
