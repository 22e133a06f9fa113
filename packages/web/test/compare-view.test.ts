/**
 * @module The comparison section: the one report shape @tessera/server's `measureComparison` produces
 * (GET /api/compare and `tessera compare --json`) turned into rows and chart pairs, and rendered in
 * Chromium from a served GET /api/compare (the static test server answers with a fixed report).
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Browser } from 'playwright-core'
import { chartPairs, compareRows, missingReason } from '../src/flow/compare-report.js'
import { launchChromium, screenshot, watchErrors } from './support/browser.js'
import { type StaticServer, startStaticServer } from './support/static-server.js'

const load = (rps: number, p50: number) => ({
  requests: rps * 5,
  errors: 0,
  duration_seconds: 5,
  requests_per_second: rps,
  latency_p50_ms: p50,
  latency_p99_ms: p50 * 3,
})

// A report as measureComparison writes it (figures from a run on the development VM).
const REPORT = {
  url: 'http://127.0.0.1:8080',
  measured_at: '2026-03-02T09:30:00.000Z',
  duration_seconds_per_mode: 5,
  connections: 10,
  token: {
    available: true,
    credential: 'Authorization: Bearer <access token>',
    credential_bytes_per_request: 528,
    credential_value_bytes: 504,
    server_work_microseconds_per_request: 319,
    signature_check_microseconds: 207,
    signature_alg: 'ES256',
    access_token_lifetime_seconds: 900,
    ...load(8120, 1.1),
    revocation: "after logout: this server's /me answered 401 at once",
    second_instance_needs: 'the JWKS only; no shared store to verify a token',
  },
  session: {
    available: true,
    credential: 'Cookie: tessera-session=<session id>',
    credential_bytes_per_request: 69,
    credential_value_bytes: 43,
    server_work_microseconds_per_request: null,
    ...load(10240, 0.9),
    revocation: 'after logout: /session/me answered 401 at once',
    second_instance_needs: 'the same session store on every request (the SQLite file)',
  },
  notes: ['Measured on loopback.'],
}

describe('compare report (pure)', () => {
  test('rows cover both modes in report order, without the availability flag', () => {
    const rows = compareRows(REPORT)
    assert.deepEqual(rows[0], {
      name: 'credential',
      token: 'Authorization: Bearer <access token>',
      session: 'Cookie: tessera-session=<session id>',
    })
    assert.ok(rows.some((row) => row.name === 'signature_check_microseconds' && row.session === undefined))
    assert.ok(rows.some((row) => row.name === 'credential_value_bytes' && row.session === 43))
    assert.ok(!rows.some((row) => row.name === 'available'))
  })

  test('the chart pairs the numeric figures both modes report (a null server work draws no bars)', () => {
    assert.deepEqual(
      chartPairs(REPORT).map((pair) => [pair.name, pair.token, pair.session]),
      [
        ['credential_value_bytes', 504, 43],
        ['credential_bytes_per_request', 528, 69],
        ['requests_per_second', 8120, 10240],
        ['latency_p50_ms', 1.1, 0.9],
        ['latency_p99_ms', 1.1 * 3, 0.9 * 3],
      ],
    )
    const timed = { ...REPORT, session: { ...REPORT.session, server_work_microseconds_per_request: 76 } }
    assert.deepEqual(chartPairs(timed)[2], {
      name: 'server_work_microseconds_per_request',
      token: 319,
      session: 76,
    })
  })

  test('a mode that was not measured keeps its reason and draws no bars', () => {
    const report = { ...REPORT, session: { available: false, missing: 'no /session routes' } }
    assert.equal(missingReason(report.session), 'no /session routes')
    assert.equal(missingReason(REPORT.token), undefined)
    assert.deepEqual(chartPairs(report), [])
    assert.ok(compareRows(report).every((row) => row.session === undefined))
  })
})

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
  test('a report becomes a table, a chart and notes, in both languages', async () => {
    const page = await browser.newPage({ locale: 'en-US', viewport: { width: 1280, height: 900 } })
    const errors = watchErrors(page)
    await page.goto(`${server.url}/`)
    const table = page.locator('#compare-table')
    await table.waitFor()
    const row = (name: string) =>
      table
        .locator(`tr[data-figure="${name}"]`)
        .evaluate((tr) => [...tr.children].map((cell) => cell.textContent))
    assert.deepEqual(await row('requests_per_second'), ['Requests per second', '8,120', '10,240'])
    assert.deepEqual(await row('signature_check_microseconds'), [
      'Signature check per request (µs)',
      '207',
      '—',
    ])
    assert.deepEqual(await row('server_work_microseconds_per_request'), [
      'Server work per request (µs, median)',
      '319',
      '—',
    ])
    assert.deepEqual(await row('revocation'), [
      'When a logout takes effect',
      "after logout: this server's /me answered 401 at once",
      'after logout: /session/me answered 401 at once',
    ])
    assert.match(
      (await page.textContent('#compare-measured')) ?? '',
      /against http:\/\/127\.0\.0\.1:8080: 5 s per mode, 10 connections/,
    )
    assert.equal(await page.locator('#compare-chart rect.bar-token').count(), 5 + 1)
    assert.match(
      (await page.textContent('#compare-chart')) ?? '',
      /Credential size \(bytes\): access token vs session id/,
    )
    assert.match((await page.textContent('#compare-section')) ?? '', /Measured on loopback/)
    await page.locator('#compare-section').screenshot({ path: await screenshot(page, 'compare') })
    await page.click('button[data-lang="ko"]')
    assert.deepEqual(await row('requests_per_second'), ['초당 요청 수', '8,120', '10,240'])
    assert.deepEqual(errors, [])
    await page.close()
  })
})
