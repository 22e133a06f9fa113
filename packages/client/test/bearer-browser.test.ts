/**
 * @module `createClient({ dpop: false })` in Chromium against a real Tessera server: Bearer tokens, no key
 * made or stored, the same shared refresh and reload as with DPoP.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { BrowserContext, Page } from 'playwright-core'
import { chromiumMissing } from '../../../test-support/chromium.js'
import { callApi, type SpaHarness, startSpaHarness, stateOf, storedRecord } from './spa-harness.js'

const missing = chromiumMissing('@tessera/client Bearer tests')

describe('dpop: false — Bearer tokens', { skip: missing }, () => {
  let h: SpaHarness
  let context: BrowserContext
  let page: Page

  before(async () => {
    h = await startSpaHarness({ dpop: false })
    context = await h.newContext()
    page = await h.openTab(context)
    await h.signIn(page)
  })
  after(async () => {
    await h?.close()
  })

  test('the API is called with a Bearer token, and no DPoP proof goes to the provider', async () => {
    assert.equal(await stateOf(page), 'signed-in')
    const sent: Record<string, string>[] = []
    page.on('request', (request) => {
      if (request.url() === `${h.issuer}/userinfo`) sent.push(request.headers())
    })
    assert.equal((await callApi(page)).status, 200)
    assert.match(sent[0]?.authorization ?? '', /^Bearer \S+$/)
    assert.equal(sent[0]?.dpop, undefined)
    assert.ok(h.grants.every((g) => g.proof === undefined))
  })

  test('no key is stored, and a reload brings the session back by a refresh', async () => {
    const stored = await storedRecord(page)
    assert.equal(stored.records, 1)
    assert.equal(stored.key, undefined)
    assert.match(stored.refreshToken ?? '', /\S/)
    const mark = h.grants.length
    await page.reload()
    await page.waitForSelector('body[data-ready]')
    assert.equal(await stateOf(page), 'signed-in')
    assert.deepEqual(
      h.grants.slice(mark).map((g) => `${g.grant} ${g.status}`),
      ['refresh_token 200'],
    )
    assert.equal((await callApi(page)).status, 200)
  })
})
