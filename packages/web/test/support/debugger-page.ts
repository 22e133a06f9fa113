/**
 * @module Opening the built debugger in Chromium for a test: a fresh English context with a fixed clock,
 * page errors collected, and every request that leaves the test server's origin recorded.
 */
import type { Browser, BrowserContextOptions, Page } from 'playwright-core'
import { watchErrors } from './browser.js'
import type { StaticServer } from './static-server.js'

export interface DebuggerPage {
  page: Page
  errors: string[]
  offOrigin: string[]
}

export async function openDebugger(
  browser: Browser,
  server: StaticServer,
  fixed: Date,
  options: BrowserContextOptions = {},
): Promise<DebuggerPage> {
  const context = await browser.newContext({
    locale: 'en-US',
    viewport: { width: 1280, height: 900 },
    ...options,
  })
  await context.clock.setFixedTime(fixed)
  const page = await context.newPage()
  const errors = watchErrors(page)
  const offOrigin: string[] = []
  page.on('request', (request) => {
    if (!request.url().startsWith(server.url) && !request.url().startsWith('data:'))
      offOrigin.push(request.url())
  })
  await page.goto(`${server.url}/debugger`)
  await page.waitForSelector('#token-input')
  return { page, errors, offOrigin }
}

/** The outcome box of an action panel once it has settled. */
export async function outcome(
  page: Page,
  panel: string,
): Promise<{ outcome: string | null; code: string | null; text: string }> {
  const box = page.locator(`#${panel} .result[data-outcome]`)
  await box.waitFor()
  return {
    outcome: await box.getAttribute('data-outcome'),
    code: await box.getAttribute('data-code'),
    text: (await box.textContent()) ?? '',
  }
}
