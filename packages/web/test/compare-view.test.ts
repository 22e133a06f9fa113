/**
 * @module The comparison section against a served report (the static test server answers
 * GET /api/compare with a fixed report): every figure in the table, a bar pair per numeric figure in the
 * chart, the notes listed. The real server's report is covered by flow-demo.test.ts once it has one.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Browser } from 'playwright-core'
import { launchChromium, screenshot, watchErrors } from './support/browser.js'
import { type StaticServer, startStaticServer } from './support/static-server.js'

const REPORT = {
  token: {
    credential_bytes_per_request: 731,
    requests_per_second: 8120.5,
    server_work_us_per_request: 61,
    revocation: 'at access-token expiry (15 min), or at once with introspection',
  },
  session: {
    credential_bytes_per_request: 78,
    requests_per_second: 10240,
    server_work_us_per_request: 18,
    revocation: 'immediate',
  },
  notes: ['Measured on loopback for 5 s each.'],
}

let server: StaticServer
let browser: Browser
before(async () => {
  server = await startStaticServer({ '/api/compare': REPORT })
  browser = await launchChromium()
})
after(async () => {
  await browser?.close()
  await server?.close()
})

describe('comparison section (Chromium)', () => {
  test('a report becomes a table, a chart and notes', async () => {
    const page = await browser.newPage({ locale: 'en-US', viewport: { width: 1280, height: 900 } })
    const errors = watchErrors(page)
    await page.goto(`${server.url}/`)
    const table = page.locator('#compare-table')
    await table.waitFor()
    const rows = await table
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((cell) => cell.textContent)))
    assert.deepEqual(rows[0], ['credential bytes per request', '731', '78'])
    assert.deepEqual(rows[1], ['requests per second', '8,120.5', '10,240'])
    assert.deepEqual(rows[2], ['server work µs per request', '61', '18'])
    assert.equal(rows.length, 4)
    // Three numeric figures → three bar pairs; the text figure is in the table only.
    assert.equal(await page.locator('#compare-chart rect.bar-token').count(), 3 + 1)
    assert.equal(await page.locator('#compare-chart rect.bar-session').count(), 3 + 1)
    assert.match((await page.textContent('#compare-chart title')) ?? '', /Tokens vs sessions/)
    assert.match((await page.textContent('#compare-section')) ?? '', /Measured on loopback/)
    await page
      .locator('#compare-section')
      .screenshot({ path: (await screenshot(page, 'compare')).replace('.png', '-section.png') })
    assert.deepEqual(errors, [])
    await page.close()
  })
})
