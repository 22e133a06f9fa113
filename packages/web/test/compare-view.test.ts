/**
 * @module The comparison section: the report `tessera compare` produces (its shape from
 * packages/cli/src/compare/measure.ts) flattened into rows and chart pairs, and rendered in Chromium from
 * a served GET /api/compare (the static test server answers with a fixed report).
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Browser } from 'playwright-core'
import { chartPairs, compareRows, flatten, missingReason } from '../src/flow/compare-report.js'
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

const REPORT = {
  url: 'http://127.0.0.1:8080',
  measured_at: '2026-03-02T09:30:00.000Z',
  duration_seconds_per_mode: 5,
  connections: 10,
  token: {
    available: true,
    access_token_bytes: 612,
    credential_header_bytes_per_request: 635,
    access_token_lifetime_seconds: 900,
    signature_check_microseconds: 61,
    signature_alg: 'ES256',
    me: load(8120, 1.1),
    revocation: {
      auth_server_after_logout: 'refused at once',
      local_verifiers_after_logout: 'accepted until exp (≤ 900 s)',
    },
    second_instance_needs: 'the JWKS URL only',
    jwks_bytes: 250,
  },
  session: {
    available: true,
    session_cookie_bytes: 54,
    credential_header_bytes_per_request: 62,
    me: load(10240, 0.9),
    revocation: { after_logout: 'refused at once' },
    second_instance_needs: 'the shared session store',
  },
  notes: ['Measured on loopback.'],
}

describe('compare report (pure)', () => {
  test('nested figures flatten to dotted names', () => {
    assert.deepEqual(flatten({ a: 1, me: { rps: 2, deep: { x: 'y' } }, list: [1] }), {
      a: 1,
      'me.rps': 2,
      'me.deep.x': 'y',
      list: [1],
    })
  })

  test('rows cover both modes, without the availability flag', () => {
    const rows = compareRows(REPORT)
    assert.deepEqual(rows[0], { name: 'access_token_bytes', token: 612, session: undefined })
    assert.ok(rows.some((row) => row.name === 'session_cookie_bytes' && row.session === 54))
    assert.ok(!rows.some((row) => row.name === 'available'))
  })

  test('the chart pairs token size with cookie size, then the shared figures', () => {
    assert.deepEqual(
      chartPairs(REPORT).map((pair) => [pair.name, pair.token, pair.session]),
      [
        ['credential_bytes', 612, 54],
        ['credential_header_bytes_per_request', 635, 62],
        ['me.requests_per_second', 8120, 10240],
        ['me.latency_p50_ms', 1.1, 0.9],
        ['me.latency_p99_ms', 1.1 * 3, 0.9 * 3],
      ],
    )
  })

  test("the server's own report shape (flat figures) is charted too", () => {
    const flat = {
      token: {
        credential_value_bytes: 504,
        credential_bytes_per_request: 528,
        server_work_microseconds_per_request: 605,
        requests_per_second: 285,
        latency_p50_ms: 25.6,
        latency_p99_ms: 88.3,
        revocation: 'at exp',
      },
      session: {
        credential_value_bytes: 43,
        credential_bytes_per_request: 69,
        server_work_microseconds_per_request: 208,
        requests_per_second: 649,
        latency_p50_ms: 7.9,
        latency_p99_ms: 72.9,
        revocation: 'at once',
      },
    }
    assert.deepEqual(
      chartPairs(flat).map((pair) => pair.name),
      [
        'credential_value_bytes',
        'credential_bytes_per_request',
        'server_work_microseconds_per_request',
        'requests_per_second',
        'latency_p50_ms',
        'latency_p99_ms',
      ],
    )
  })

  test('a mode that was not measured keeps its reason and draws no bars', () => {
    const report = { ...REPORT, session: { available: false, missing: 'no /session routes' } }
    assert.equal(missingReason(report.session), 'no /session routes')
    assert.equal(missingReason(REPORT.token), undefined)
    assert.deepEqual(chartPairs(report), [])
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
    assert.deepEqual(await row('me.requests_per_second'), ['GET /me requests per second', '8,120', '10,240'])
    assert.deepEqual(await row('access_token_bytes'), ['Access token size (bytes)', '612', '—'])
    assert.deepEqual(await row('revocation.after_logout'), ['After logout', '—', 'refused at once'])
    assert.match(
      (await page.textContent('#compare-measured')) ?? '',
      /against http:\/\/127\.0\.0\.1:8080: 5 s per mode, 10 connections/,
    )
    assert.equal(await page.locator('#compare-chart rect.bar-token').count(), 5 + 1)
    assert.match(
      (await page.textContent('#compare-chart')) ?? '',
      /Credential size \(bytes\): access token vs session cookie/,
    )
    assert.match((await page.textContent('#compare-section')) ?? '', /Measured on loopback/)
    await page.locator('#compare-section').screenshot({ path: await screenshot(page, 'compare') })
    await page.click('button[data-lang="ko"]')
    assert.deepEqual(await row('me.requests_per_second'), ['GET /me 초당 요청 수', '8,120', '10,240'])
    assert.deepEqual(errors, [])
    await page.close()
  })
})
