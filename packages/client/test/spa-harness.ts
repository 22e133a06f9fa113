/**
 * @module What the SDK's browser tests share: a real Tessera server behind a counting proxy (the proxy's
 * address is the issuer, so every request of the SDK passes it, and the test counts refresh grants at the
 * server's door), a clock the server reads that a test can move, a public client registered for the test
 * SPA, and the SPA itself — a page on the built browser bundle — served from a second loopback origin
 * (http://localhost:<port>, while the issuer is http://127.0.0.1:<port>), in Chromium through
 * playwright-core with the browser's clock installed, so tests move time instead of sleeping on it.
 */
import { existsSync, readFileSync } from 'node:fs'
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http'
import { fileURLToPath } from 'node:url'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { launchChromium } from '../../../test-support/chromium.js'
import type { ServerConfig } from '../../server/src/index.js'
import { startTestServer, type TestServer } from '../../server/test/helpers/test-server.js'
import { addClient, addProfileUser, PASSWORD } from '../../server/test/oidc/interop-fixtures.js'
import { listen } from './bff-harness.js'

const BUNDLE = fileURLToPath(new URL('../dist/browser/tessera-client.js', import.meta.url))
export const CLIENT_ID = 'spa-test'
export const USERNAME = 'lin'

/** One grant seen by the proxy on its way to /token. */
export interface GrantSeen {
  grant: string
  status: number
  /** The request's DPoP proof: one per SDK attempt (a browser re-sending on a dropped connection repeats it). */
  proof: string | undefined
}

export interface SpaHarness {
  t: TestServer
  /** The issuer (the proxy in front of the server). */
  issuer: string
  /** The SPA's origin. */
  spa: string
  browser: Browser
  /** Every /token request that reached the proxy, in order (status 0: dropped by `failToken`). */
  grants: GrantSeen[]
  /** Moves the server's clock (the browser's is moved with `context.clock`). */
  advanceServerClock(ms: number): void
  /** Sets the server's clock to the browser's in `page` (after the browser's was moved alone). */
  syncServerClock(page: Page): Promise<void>
  /** When set, the proxy answers /token with a dropped connection (the network failing). */
  failToken: boolean
  /** A new context with the clock installed (tabs of one context share IndexedDB, locks, channels). */
  newContext(options?: { withoutWebLocks?: boolean }): Promise<BrowserContext>
  /** Opens the SPA in a new tab of `context` and waits for its client to be ready. */
  openTab(context: BrowserContext, path?: string): Promise<Page>
  /** Signs in through the provider's login page in `page` (a tab of the SPA). */
  signIn(page: Page): Promise<void>
  close(): Promise<void>
}

/** The SPA: createClient on the bundle, events recorded in `window.seen`, the client as `window.tessera`. */
function spaPage(issuer: string, redirectUri: string, dpop: boolean, handleRedirect: boolean): string {
  const config = JSON.stringify({ issuer, clientId: CLIENT_ID, redirectUri, dpop })
  return `<!doctype html><html><head><meta charset="utf-8"><title>SPA</title></head>
<body><p data-state>loading</p>
<script type="module">
import { createClient } from '/tessera-client.js'
const state = document.querySelector('[data-state]')
window.seen = []
try {
  const client = await createClient(${config})
  window.tessera = client
  const record = (name, detail) => window.seen.push({ name, at: Date.now(), ...detail })
  client.on('signedIn', (e) => { record('signedIn', { sub: e.user.sub }); state.textContent = 'signed-in' })
  client.on('signedOut', (e) => { record('signedOut', { reason: e.reason }); state.textContent = 'signed-out' })
  client.on('tokenRefreshed', (e) => record('tokenRefreshed', { by: e.by }))
  client.on('error', (e) => record('error', { code: e.error.code, retryInMs: e.retryInMs }))
  if (${handleRedirect} && location.pathname === '/callback' && location.search.includes('state=')) await client.handleRedirect()
  window.callApi = async () => {
    const response = await client.fetch(${JSON.stringify(`${issuer}/userinfo`)})
    return { status: response.status, body: await response.json().catch(() => null) }
  }
  state.textContent = client.user ? 'signed-in' : 'signed-out'
} catch (error) {
  state.textContent = 'failed: ' + (error.code ?? '') + ' ' + error.message
}
document.body.dataset.ready = 'true'
</script></body></html>`
}

const grantOf = (body: Buffer) => new URLSearchParams(body.toString()).get('grant_type') ?? ''
const proofOf = (request: IncomingMessage) =>
  typeof request.headers.dpop === 'string' ? request.headers.dpop : undefined

export async function startSpaHarness(
  options: {
    dpop?: boolean
    server?: Partial<ServerConfig>
    /** false: the SPA leaves the authorization response in its address bar for the test to handle. */
    handleRedirect?: boolean
  } = {},
): Promise<SpaHarness> {
  const grants: GrantSeen[] = []
  let offset = 0
  let target = ''
  const harness = { failToken: false } as { failToken: boolean }
  // The proxy listens first: its address is the issuer the server is started with.
  const proxy = await listen((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const body = Buffer.concat(chunks)
      const isToken = request.method === 'POST' && request.url === '/token'
      if (isToken && harness.failToken) {
        grants.push({ grant: grantOf(body), status: 0, proof: proofOf(request) })
        response.socket?.destroy()
        return
      }
      const url = new URL(request.url ?? '/', target)
      const upstream = httpRequest(
        url,
        { method: request.method, headers: { ...request.headers, host: url.host } },
        (answer) => {
          if (isToken) {
            grants.push({ grant: grantOf(body), status: answer.statusCode ?? 0, proof: proofOf(request) })
          }
          response.writeHead(answer.statusCode ?? 502, answer.headers)
          answer.pipe(response)
        },
      )
      upstream.on('error', () => response.socket?.destroy())
      upstream.end(body)
    })
  })
  const issuer = `http://127.0.0.1:${proxy.port}`
  const t = await startTestServer({ issuer, ...options.server }, { clock: () => Date.now() + offset })
  target = t.url
  await addProfileUser(t, USERNAME)
  if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run npm run build -w @tessera/client first`)
  const bundle = readFileSync(BUNDLE)
  let spa = ''
  const app = await listen((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname
    if (path === '/tessera-client.js') {
      response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' })
      response.end(bundle)
      return
    }
    if (path === '/' || path === '/callback') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
      response.end(spaPage(issuer, `${spa}/callback`, options.dpop ?? true, options.handleRedirect ?? true))
      return
    }
    response.writeHead(404)
    response.end()
  })
  spa = `http://localhost:${app.port}`
  await addClient(t, {
    id: CLIENT_ID,
    name: 'Test SPA',
    type: 'public',
    firstParty: true,
    redirectUris: [`${spa}/callback`],
    postLogoutRedirectUris: [`${spa}/`],
  })
  const browser = await launchChromium()
  return Object.assign(harness, {
    t,
    issuer,
    spa,
    browser,
    grants,
    advanceServerClock(ms: number) {
      offset += ms
    },
    async syncServerClock(page: Page) {
      const [before, browserNow] = [Date.now(), await page.evaluate(() => Date.now())]
      offset = browserNow - Math.round((before + Date.now()) / 2)
    },
    async newContext(contextOptions: { withoutWebLocks?: boolean } = {}) {
      const context = await browser.newContext()
      await context.clock.install()
      if (contextOptions.withoutWebLocks)
        await context.addInitScript(() => {
          Object.defineProperty(Navigator.prototype, 'locks', { get: () => undefined })
        })
      return context
    },
    async openTab(context: BrowserContext, path = '/') {
      const page = await context.newPage()
      await page.goto(spa + path)
      await page.waitForSelector('body[data-ready]')
      return page
    },
    async signIn(page: Page) {
      await page.evaluate(() =>
        (window as unknown as { tessera: { login(): Promise<void> } }).tessera.login(),
      )
      // The provider's login page, or straight back when its session from an earlier sign-in is alive.
      await page.waitForURL((url) => url.pathname === '/authorize' || url.href.startsWith(`${spa}/callback`))
      if (!page.url().startsWith(`${spa}/`)) {
        await page.waitForSelector('input[name=password]')
        await page.fill('input[name=username]', USERNAME)
        await page.fill('input[name=password]', PASSWORD)
        await page.click('button[type=submit]')
        await page.waitForURL((url) => url.href.startsWith(`${spa}/`))
      }
      await page.waitForSelector('body[data-ready]')
    },
    async close() {
      await browser.close()
      await app.close()
      await t.cleanup()
      await proxy.close()
    },
  })
}

/** The state line of the SPA in `page`: 'signed-in', 'signed-out', or 'failed: …'. */
export const stateOf = (page: Page) => page.locator('[data-state]').textContent()

/** The events the SPA in `page` recorded. */
export const seenIn = (page: Page) =>
  page.evaluate(() => (window as unknown as { seen: Record<string, unknown>[] }).seen)

/** One API call (the issuer's /userinfo through `client.fetch`) from the SPA in `page`. */
export const callApi = (page: Page) =>
  page.evaluate(() =>
    (window as unknown as { callApi(): Promise<{ status: number; body: unknown }> }).callApi(),
  )

/** Polls `probe` every 50 ms until it is true, or fails after `ms` naming `what`. */
export async function until(probe: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/**
 * What the page's own script can read of the SDK's IndexedDB record: the refresh token, and of the DPoP
 * key what WebCrypto says about it (and what `exportKey` answers for its private half).
 */
export function storedRecord(page: Page) {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('tessera-client')
      open.onsuccess = () => resolve(open.result)
      open.onerror = () => reject(open.error)
    })
    const all = await new Promise<unknown[]>((resolve, reject) => {
      const read = db.transaction('sessions').objectStore('sessions').getAll()
      read.onsuccess = () => resolve(read.result)
      read.onerror = () => reject(read.error)
    })
    const record = all[0] as { keyPair?: CryptoKeyPair; refreshToken: string } | undefined
    const keyPair = record?.keyPair
    let key:
      | {
          isCryptoKey: boolean
          extractable: boolean
          namedCurve: string
          refusals: string[]
          publicJwk: JsonWebKey
        }
      | undefined
    if (keyPair) {
      const { privateKey } = keyPair
      const refusals: string[] = []
      for (const format of ['jwk', 'pkcs8'] as const) {
        try {
          await crypto.subtle.exportKey(format, privateKey)
          refusals.push(`${format}: exported`)
        } catch (error) {
          refusals.push(`${format}: ${(error as Error).name}`)
        }
      }
      key = {
        isCryptoKey: privateKey instanceof CryptoKey,
        extractable: privateKey.extractable,
        namedCurve: (privateKey.algorithm as EcKeyAlgorithm).namedCurve,
        refusals,
        publicJwk: await crypto.subtle.exportKey('jwk', keyPair.publicKey),
      }
    }
    return { records: all.length, refreshToken: record?.refreshToken, key }
  })
}
