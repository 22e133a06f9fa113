/**
 * @module What the Photos browser tests share: registering the single-page app as the public client it
 * is (DPoP required), and signing in at it in a page — the SPA leaves for the provider by script, so the
 * walk waits for the authorization request before it looks at the provider's pages.
 */
import type { Page } from 'playwright-core'
import type { TestServer } from '../../server/test/helpers/test-server.js'
import { addClient, PASSWORD } from '../../server/test/oidc/interop-fixtures.js'
import type { DemoApp } from '../src/index.js'

/** Registers Photos under `id` with the redirect and post-logout URIs it listens on. */
export async function registerPhotos(t: TestServer, photos: DemoApp, id: string): Promise<void> {
  await addClient(t, {
    id,
    name: 'Photos',
    type: 'public',
    redirectUris: [photos.redirectUri],
    postLogoutRedirectUris: [photos.postLogoutRedirectUri],
    dpop: 'required',
  })
}

/**
 * Clicks the SPA's sign-in and follows the provider until the browser is back at the callback: the
 * password when `typePassword` (else the provider must not ask), the consent page when it is shown.
 */
export async function signInAtPhotos(
  page: Page,
  t: TestServer,
  photos: DemoApp,
  typePassword: boolean,
): Promise<void> {
  const toProvider = page.waitForRequest((request) => request.url().startsWith(`${t.url}/authorize`))
  await page.click('[data-sign-in]')
  await toProvider
  if (typePassword) {
    await page.waitForSelector('input[name=password]')
    await page.fill('input[name=username]', 'lin')
    await page.fill('input[name=password]', PASSWORD)
    await page.click('button[type=submit]')
  }
  const back = (url: URL) => url.href.startsWith(photos.redirectUri)
  await page.waitForURL((url) => back(url) || url.href.startsWith(`${t.url}/authorize`))
  if (page.url().startsWith(t.url) && (await page.locator('button[name=consent]').count()) > 0)
    await page.click('button[name=consent][value=allow]')
  await page.waitForURL(back)
}
