/**
 * @module Debian's headless Chromium through playwright-core, and screenshots under test-artifacts/.
 */
import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { launchChromium as launchHouseChromium } from '../../../../test-support/chromium.js'

export const ARTIFACTS = fileURLToPath(new URL('../../../../test-artifacts/', import.meta.url))

export function launchChromium(): Promise<Browser> {
  return launchHouseChromium()
}

/** Saves a full-page screenshot as test-artifacts/web-<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true })
  const path = `${ARTIFACTS}web-${name}.png`
  await page.screenshot({ path, fullPage: true })
  return path
}

/** Collects console errors and failed requests so a test can assert the page ran cleanly. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`))
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`)
  })
  return errors
}
