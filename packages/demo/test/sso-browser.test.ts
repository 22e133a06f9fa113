/**
 * @module Single sign-on in a real browser (Debian's Chromium through playwright-core): Notes (a
 * server-side confidential client on openid-client, 127.0.0.1) and Photos (a single-page app on
 * @tessera/client, a public client with DPoP, localhost — another site), each on port 0 against a real
 * test server. Signing in at Notes signs Photos in without the password; signing out at Photos ends Notes
 * over back-channel logout; signing out at Notes ends Photos' API access at once (the revocation feed)
 * and then its session (the refresh token is refused).
 */
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { mkdirSync } from 'node:fs'
import { after, before, describe, test } from 'node:test'
import { fileURLToPath } from 'node:url'
// The built package, as Photos imports it: its errors must be the classes Photos' requireAuth knows.
import { type RevocationSubscription, subscribeRevocations } from '@tessera/server'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { chromiumMissing, launchChromium } from '../../../test-support/chromium.js'
import { INTROSPECTION, startTestServer, type TestServer } from '../../server/test/helpers/test-server.js'
import { addClient, addProfileUser, PASSWORD } from '../../server/test/oidc/interop-fixtures.js'
import { type DemoApp, startNotesApp, startPhotosApp } from '../src/index.js'
import { registerPhotos, signInAtPhotos } from './photos-fixtures.js'

const ARTIFACTS = fileURLToPath(new URL('../../../test-artifacts/', import.meta.url))
const NOTES_SECRET = 'notes-test-secret-0123456789-abcdefghijklmnopqrstuv'

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true })
  await page.screenshot({ path: `${ARTIFACTS}demo-${name}.png`, fullPage: true })
}

/** The app's state line: 'signed-in', 'signed-out' (or 'loading' while the SPA starts). */
const stateOf = (page: Page) => page.locator('[data-state]').getAttribute('data-state')
/** What the pages said on their consoles (the SPA's errors), for a failure message. */
const consoleLines: string[] = []

/** The SPA's state once it has settled. */
async function settled(page: Page): Promise<string | null> {
  try {
    await page.waitForSelector('[data-state="signed-in"], [data-state="signed-out"]', { timeout: 20_000 })
  } catch {
    throw new Error(
      `the SPA never settled:\n${consoleLines.join('\n')}\n${(await page.content()).slice(-1500)}`,
    )
  }
  return stateOf(page)
}

/** Waits for the album the API answered; on failure says what the SPA's event list shows. */
async function albumShown(page: Page): Promise<void> {
  try {
    await page.waitForSelector('[data-photos="4"]', { timeout: 15_000 })
  } catch {
    throw new Error(
      `no album: ${await page.locator('[data-events]').textContent()}\n${consoleLines.join('\n')}`,
    )
  }
}

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

const missing = chromiumMissing('the single sign-on browser test')

describe('single sign-on across two sites in Chromium', { skip: missing }, () => {
  let t: TestServer
  let notes: DemoApp
  let photos: DemoApp
  let revocations: RevocationSubscription
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
    revocations = subscribeRevocations({
      url: `${t.url}/oauth/revocations`,
      clientId: INTROSPECTION.id,
      clientSecret: INTROSPECTION.secret,
    })
    photos = await startPhotosApp({
      issuer: t.url,
      clientId: 'photos-test',
      port: 0,
      publicHost: 'localhost',
      audience: t.config.audience,
      revocations,
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
    await registerPhotos(t, photos, 'photos-test')
    browser = await launchChromium()
    context = await browser.newContext()
    context.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning')
        consoleLines.push(`${message.type()}: ${message.text().slice(0, 300)}`)
    })
    context.on('weberror', (error) => consoleLines.push(`page error: ${error.error().message}`))
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
    revocations?.close()
    await t?.cleanup()
  })

  /** Clicks through the consent page when the provider shows one (each app is asked once). */
  async function allowIfAsked(app: DemoApp): Promise<void> {
    await page.waitForURL((url) => url.href.startsWith(app.url) || url.pathname.startsWith('/authorize'))
    if (page.url().startsWith(t.url) && (await page.locator('button[name=consent]').count()) > 0)
      await page.click('button[name=consent][value=allow]')
    await page.waitForURL((url) => url.href.startsWith(`${app.url}/`))
  }

  /**
   * Clicks the app's sign-out button and waits for its signed-out state, across the provider's logout
   * round trip. The page is at the app before the click, so its URL says nothing until then; its state does.
   */
  async function signOutAt(app: DemoApp, name: string): Promise<void> {
    await page.click('button[name=logout]')
    await page
      .waitForSelector('[data-state="signed-out"]', { timeout: 20_000 })
      .catch(async () => assert.fail(`${name} never signed out:\n${(await page.content()).slice(0, 2000)}`))
    assert.ok(page.url().startsWith(`${app.url}/`), `back at ${name} after signing out: ${page.url()}`)
  }

  async function signInAtNotes(): Promise<void> {
    await page.goto(notes.url)
    await page.click('[data-sign-in]')
    await page.waitForSelector('input[name=password]')
    assert.ok(page.url().startsWith(t.url), `the login page is the provider's: ${page.url()}`)
    await page.fill('input[name=username]', 'lin')
    await page.fill('input[name=password]', PASSWORD)
    await page.click('button[type=submit]')
    await allowIfAsked(notes)
  }

  async function signInAtPhotosPage(): Promise<void> {
    await page.goto(photos.url)
    assert.equal(await settled(page), 'signed-out')
    await signInAtPhotos(page, t, photos, false)
    assert.equal(await settled(page), 'signed-in', (await page.content()).slice(0, 2000))
  }

  test('signing in at Notes (127.0.0.1) types the password once', async () => {
    await page.goto(notes.url)
    assert.equal(await stateOf(page), 'signed-out')
    const signedIn = next(notes, 'signed-in', 'Notes sign-in')
    await signInAtNotes()
    await signedIn
    assert.equal(await stateOf(page), 'signed-in', (await page.content()).slice(0, 2000))
    assert.match((await page.locator('[data-user]').textContent()) ?? '', /lin/)
    await shot(page, 'notes-signed-in')
  })

  let notesSid: string | null

  test('Photos, the SPA (localhost, another site), signs in without the password: the same provider session', async () => {
    notesSid = await page.locator('[data-sid]').textContent()
    const before = passwordPages.length
    await signInAtPhotosPage()
    assert.equal(passwordPages.length, before, `a password page was shown: ${passwordPages.join(', ')}`)
    assert.equal(await page.locator('[data-sid]').textContent(), notesSid, 'one provider session, one sid')
    await albumShown(page)
    assert.match((await page.locator('#photos-app').textContent()) ?? '', /bound to this browser’s DPoP key/)
    assert.equal(new URL(page.url()).pathname, '/', 'the code and state left the address bar')
    const stored = await page.evaluate(() => ({
      local: localStorage.length,
      session: sessionStorage.length,
      cookie: document.cookie,
    }))
    assert.deepEqual(
      stored,
      { local: 0, session: 0, cookie: '' },
      'the SPA keeps nothing in web storage or cookies',
    )
    await shot(page, 'photos-signed-in-by-sso')
  })

  test('signing out at Photos ends the Notes session over back-channel logout', async () => {
    const backchannel = next(notes, 'signed-out', 'back-channel logout to Notes')
    await signOutAt(photos, 'Photos')
    const event = await backchannel
    assert.equal(event.reason, 'backchannel')
    assert.equal(event.sid, notesSid)
    await page.goto(notes.url)
    assert.equal(await stateOf(page), 'signed-out')
    assert.match((await page.locator('[data-notice]').textContent()) ?? '', /back-channel/)
    await shot(page, 'notes-ended-by-backchannel')
  })

  test("signing out at Notes ends Photos' API access at once (revocation feed), then its session", async () => {
    // The provider session ended: signing in again asks for the password.
    await signInAtNotes()
    assert.equal(await stateOf(page), 'signed-in')
    await signInAtPhotosPage()
    const photosTab = await context.newPage()
    await photosTab.goto(photos.url)
    assert.equal(await settled(photosTab), 'signed-in', 'a second tab of the SPA is signed in too')
    await albumShown(photosTab)

    await page.goto(notes.url)
    await signOutAt(notes, 'Notes')

    // The API refuses the still-unexpired access token as soon as the feed says the session ended.
    const deadline = Date.now() + 10_000
    let answered: Record<string, unknown> = {}
    while (Date.now() < deadline && (await stateOf(photosTab)) === 'signed-in') {
      const call = next(photos, 'api', 'a Photos API call')
      await photosTab.click('[data-reload]')
      answered = await call
      if (answered.status === 401) break
    }
    assert.equal(answered.status, 401, `the API refused the token of the ended session\n${log.join('\n')}`)
    // The refused call makes the SDK try its refresh token, which the ended session revoked: signed out.
    await photosTab
      .waitForSelector('[data-state="signed-out"]', { timeout: 20_000 })
      .catch(async () =>
        assert.fail(`Photos never signed out:\n${(await photosTab.content()).slice(0, 2000)}`),
      )
    assert.match(
      (await photosTab.locator('[data-notice]').textContent()) ?? '',
      /refused the refresh token|another tab/,
    )
    await shot(photosTab, 'photos-ended-by-notes-logout')
    await photosTab.close()
  })
})
