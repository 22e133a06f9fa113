/**
 * @module The flow page's single-sign-on view in a real headless Chromium against the real server (SQLite
 * in a temp dir, loopback port 0, development mode, so the page's own public client is registered) and a
 * real Notes app (openid-client, confidential, back-channel logout) on another port: the page signs in
 * through the provider, Notes then signs in without a password, and the page's logout reaches Notes.
 */
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { after, before, describe, test } from 'node:test'
import { loadConfig, type RunningServer, startServer } from '@tessera/server'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { type DemoApp, startNotesApp } from '../../demo/src/index.js'
import { launchChromium, screenshot, watchErrors } from './support/browser.js'
import { assertBuilt, DIST } from './support/static-server.js'

const NOTES_SECRET = 'notes-web-test-secret-0123456789-abcdefghijklmnop'

let dir: string
let server: RunningServer
let notes: DemoApp
let browser: Browser
let context: BrowserContext

before(async () => {
  assertBuilt()
  dir = mkdtempSync(join(tmpdir(), 'tessera-web-sso-'))
  const config = loadConfig({
    port: 0,
    host: '127.0.0.1',
    database: `sqlite:${join(dir, 'tessera.db')}`,
    webRoot: DIST,
    insecureCookies: true,
    logLevel: 'warn',
  })
  // Logs are discarded: the demo password line must not land in the test output.
  const logDestination = new Writable({ write: (_chunk, _encoding, done) => done() })
  server = await startServer(config, { schedule: false, logDestination })
  notes = await startNotesApp({
    issuer: server.url,
    clientId: 'notes-web-test',
    clientSecret: NOTES_SECRET,
    port: 0,
    publicHost: '127.0.0.1',
  })
  await server.services.clients.register(
    {
      id: 'notes-web-test',
      name: 'Notes (test)',
      type: 'confidential',
      redirectUris: [notes.redirectUri],
      postLogoutRedirectUris: [notes.postLogoutRedirectUri],
      backchannelLogoutUri: notes.backchannelLogoutUri,
      scope: 'openid profile email offline_access',
      grantTypes: ['authorization_code', 'refresh_token'],
    },
    { secret: NOTES_SECRET },
  )
  browser = await launchChromium()
  context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 1000 } })
})
after(async () => {
  await browser?.close()
  await notes?.close()
  await server?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

/** An event from Notes, or a failure after 15 s naming what never came. */
async function next(name: string, what: string): Promise<Record<string, unknown>> {
  try {
    const [event] = await once(notes.events, name, { signal: AbortSignal.timeout(15_000) })
    return event as Record<string, unknown>
  } catch {
    throw new Error(`${what}: Notes emitted no '${name}' within 15 s`)
  }
}

const step = (page: Page, id: string) => page.locator(`#sso-timeline [data-step="${id}"]`)
async function stateOf(page: Page, id: string): Promise<string | null> {
  await step(page, id).waitFor()
  return step(page, id).getAttribute('data-state')
}
const textOf = async (page: Page, id: string) => (await step(page, id).textContent()) ?? ''

describe('single-sign-on view against the real provider (Chromium)', () => {
  let page: Page
  let errors: string[]
  let sid: string
  const passwordPages: string[] = []

  test('the page signs in as its own public client: request, code + iss, tokens, verified ID token, session', async () => {
    page = await context.newPage()
    errors = watchErrors(page)
    page.on('load', async (loaded) => {
      // Only the provider's login page counts (the flow page has a password field for its other demos).
      const url = loaded.url()
      if (!new URL(url).pathname.startsWith('/authorize')) return
      if (
        (await loaded
          .locator('input[name=password]')
          .count()
          .catch(() => 0)) > 0
      )
        passwordPages.push(url)
    })
    await page.goto(`${server.url}/`)
    await page.locator('#sso-app-links a[data-app="notes"]').waitFor()
    assert.equal(await page.getAttribute('a[data-app="notes"]', 'href'), 'http://127.0.0.1:8081/')
    assert.equal(await page.getAttribute('a[data-app="photos"]', 'href'), 'http://localhost:8082/')
    assert.equal(await page.isEnabled('#sso-start'), true)

    await page.click('#sso-start')
    await page.waitForSelector('input[name=password]')
    const authorize = new URL(page.url())
    assert.equal(authorize.pathname, '/authorize', 'the login page is the provider’s')
    assert.equal(authorize.searchParams.get('client_id'), 'tessera-flow')
    assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256')
    assert.match(authorize.searchParams.get('code_challenge') ?? '', /^[A-Za-z0-9_-]{43}$/)
    assert.equal(authorize.searchParams.get('redirect_uri'), `${server.url}/`)
    await page.fill('input[name=username]', 'demo')
    await page.fill('input[name=password]', server.demoPassword!)
    await page.click('button[type=submit]')

    assert.equal(await stateOf(page, 'sso-session'), 'done', await textOf(page, 'sso-session'))
    assert.equal(new URL(page.url()).search, '', 'the code left the address bar')
    for (const id of ['sso-discovery', 'sso-request', 'sso-redirect', 'sso-token', 'sso-id-token'])
      assert.equal(await stateOf(page, id), 'done', `${id}: ${await textOf(page, id)}`)
    const request = await textOf(page, 'sso-request')
    for (const param of ['client_id', 'redirect_uri', 'code_challenge', 'state', 'nonce'])
      assert.match(request, new RegExp(`"${param}"`))
    assert.match(await textOf(page, 'sso-redirect'), new RegExp(`iss ${server.url}`))
    assert.match(await textOf(page, 'sso-token'), /"code_verifier"/)
    const idToken = await textOf(page, 'sso-id-token')
    assert.match(idToken, /at_hash matches/)
    for (const claim of ['sub', 'sid', 'auth_time', 'nonce', 'at_hash', 'aud'])
      assert.match(idToken, new RegExp(`"${claim}":`))
    const session = await textOf(page, 'sso-session')
    assert.match(session, /sid [A-Za-z0-9_-]{22} \(= the ID token sid\)/)
    sid = /sid ([A-Za-z0-9_-]{22})/.exec(session)![1]!
    assert.equal(passwordPages.length, 1)
    await screenshot(page, 'sso-signed-in')
  })

  test('Notes, on another origin, then signs in without a password, under the same sid', async () => {
    const notesPage = await context.newPage()
    const signedIn = next('signed-in', 'Notes sign-in')
    await notesPage.goto(notes.url)
    await notesPage.click('[data-sign-in]')
    await notesPage.waitForURL(
      (url) => url.href.startsWith(notes.url) || url.pathname.startsWith('/authorize'),
    )
    if (
      notesPage.url().startsWith(server.url) &&
      (await notesPage.locator('button[name=consent]').count()) > 0
    )
      await notesPage.click('button[name=consent][value=allow]')
    const event = await signedIn
    assert.equal(event.sid, sid)
    assert.equal(await notesPage.locator('input[name=password]').count(), 0)
    await notesPage.close()

    // A fresh load of the page, with no redirect to process, shows the session the browser holds.
    const fresh = await context.newPage()
    await fresh.goto(`${server.url}/`)
    assert.equal(await stateOf(fresh, 'sso-session'), 'info')
    assert.match(
      await textOf(fresh, 'sso-session'),
      new RegExp(`already holds.*sid ${sid}.*Notes \\(test\\)`),
    )
    await fresh.close()

    await page.click('#sso-refresh')
    await page.waitForFunction(() =>
      document
        .querySelector('#sso-timeline [data-step="sso-session"]')
        ?.textContent?.includes('Notes (test)'),
    )
    await page.click('#sso-silent')
    await page.waitForFunction(() =>
      document
        .querySelector('#sso-timeline [data-step="sso-session"]')
        ?.textContent?.includes('Signed in again'),
    )
    assert.match(
      await textOf(page, 'sso-session'),
      new RegExp(`same sid ${sid}.*Other apps: Notes \\(test\\)`),
    )
    assert.equal(passwordPages.length, 1, `a password page was shown again: ${passwordPages.join(', ')}`)
  })

  test('signing out on the page reaches Notes over back-channel logout', async () => {
    const signedOut = next('signed-out', 'back-channel logout to Notes')
    await page.click('#sso-logout')
    assert.equal(await stateOf(page, 'sso-logout'), 'done', await textOf(page, 'sso-logout'))
    assert.match(await textOf(page, 'sso-logout'), /HTTP 204.*Notes \(test\)/)
    assert.equal(await stateOf(page, 'sso-after'), 'done', await textOf(page, 'sso-after'))
    const event = await signedOut
    assert.equal(event.reason, 'backchannel')
    assert.equal(event.sid, sid)
    const notesPage = await context.newPage()
    await notesPage.goto(notes.url)
    assert.equal(await notesPage.locator('[data-state]').getAttribute('data-state'), 'signed-out')
    await notesPage.close()
    await screenshot(page, 'sso-logged-out')

    await page.click('button[data-lang="ko"]')
    await page.waitForFunction(() =>
      document.querySelector('#sso-title')?.textContent?.includes('통합 로그인'),
    )
    assert.match(await textOf(page, 'sso-after'), /로그아웃 토큰/)
    await page
      .locator('#sso-section')
      .screenshot({ path: (await screenshot(page, 'sso-korean')).replace('.png', '-section.png') })
    assert.deepEqual(
      errors.filter((e) => !/status of 40[14]/.test(e)),
      [],
    )
  })

  test('opened at localhost (not the issuer origin), the page says where to open it and goes nowhere', async () => {
    const elsewhere = await context.newPage()
    const port = new URL(server.url).port
    await elsewhere.goto(`http://localhost:${port}/`)
    await elsewhere.locator('#sso-loopback-hint').waitFor()
    await elsewhere.click('#sso-start')
    assert.equal(await stateOf(elsewhere, 'sso-discovery'), 'failed')
    assert.match(await textOf(elsewhere, 'sso-discovery'), /another origin than this page/)
    assert.equal(new URL(elsewhere.url()).pathname, '/')
    await elsewhere.close()
  })

  test('without a cookie the endpoint shows no session, and it holds no secret', async () => {
    const body = (await (await fetch(`${server.url}/api/sso-demo`)).json()) as Record<string, unknown>
    assert.equal(body.session, null, 'no cookie, no session')
    assert.doesNotMatch(JSON.stringify(body), /secret/i)
  })
})

describe('single-sign-on view on a production server', () => {
  test('no page client is registered, the endpoint is not served, and the page says so', async () => {
    const prodDir = mkdtempSync(join(tmpdir(), 'tessera-web-sso-prod-'))
    const logDestination = new Writable({ write: (_chunk, _encoding, done) => done() })
    const prod = await startServer(
      loadConfig({
        production: true,
        secret: 'web-sso-test-secret-0123456789-abcdefghijklmnop',
        issuer: 'http://127.0.0.1:9',
        port: 0,
        host: '127.0.0.1',
        database: `sqlite:${join(prodDir, 'tessera.db')}`,
        webRoot: DIST,
        logLevel: 'warn',
      }),
      { schedule: false, logDestination },
    )
    try {
      assert.equal(await prod.services.clients.find('tessera-flow'), undefined)
      const response = await fetch(`${prod.url}/api/sso-demo`)
      assert.equal(response.status, 404)
      await response.arrayBuffer()
      const page = await context.newPage()
      await page.goto(`${prod.url}/`)
      await page.locator('#sso-unavailable').waitFor()
      assert.equal(await page.isDisabled('#sso-start'), true)
      await page.close()
    } finally {
      await prod.close()
      rmSync(prodDir, { recursive: true, force: true })
    }
  })
})
