/**
 * @module The comparison section: the one report shape @tessera/server's `measureComparison` produces
 * (GET /api/compare and `tessera compare --json`) turned into rows and chart pairs, and rendered in
 * Chromium from a served GET /api/compare (the static test server answers with a fixed report).
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Browser } from 'playwright-core'
import { chartPairs, compareRows, missingReason, throughputBars } from '../src/flow/compare-report.js'
import { verdicts } from '../src/flow/compare-verdict.js'
import { meWording } from '../src/flow/server-work.js'
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
    server_work_parts: [
      { name: 'signature', description: 'signature check', microseconds: 290 },
      { name: 'revocation', description: 'revocation-set check', microseconds: 2 },
    ],
    store_lookup_per_request: false,
    signature_check_microseconds: 207,
    signature_alg: 'ES256',
    access_token_lifetime_seconds: 900,
    ...load(8120, 1.1),
    resource_server: { ...load(9050, 1), verifies_with: 'createRequestVerifier over the JWKS' },
    revocation: "after logout: this server's /me answered 401 after 3 ms",
    revocation_refused_after_ms: 3,
    second_instance_needs: 'the JWKS, and for instant revocation the revocation feed',
  },
  session: {
    available: true,
    credential: 'Cookie: tessera-session=<session id>',
    credential_bytes_per_request: 69,
    credential_value_bytes: 43,
    server_work_microseconds_per_request: null,
    server_work_parts: [],
    store_lookup_per_request: null,
    ...load(10240, 0.9),
    revocation: 'after logout: /session/me answered 401 after 2 ms',
    revocation_refused_after_ms: 2,
    second_instance_needs: 'a shared session store, read on every request (the SQLite file)',
  },
  notes: ['Measured on loopback.'],
}

// The same report as the server measures it today: both works timed, the session one with its lookup.
const TIMED = {
  ...REPORT,
  instances: 1,
  session: {
    ...REPORT.session,
    server_work_microseconds_per_request: 410,
    server_work_parts: [{ name: 'session', description: 'session lookup in the store', microseconds: 380 }],
    store_lookup_per_request: true,
    ...load(3000, 2),
  },
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
    assert.ok(rows.some((row) => row.name === 'resource_server_requests_per_second' && row.token === 9050))
    assert.ok(
      rows.some(
        (row) =>
          row.name === 'server_work_parts' &&
          row.token === 'signature check 290 µs + revocation-set check 2 µs' &&
          row.session === undefined,
      ),
    )
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

describe('verdicts (pure)', () => {
  test('size: sessions; work, throughput and scale-out: tokens; revocation: a tie once the feed is on', () => {
    const list = verdicts(TIMED)
    assert.deepEqual(
      list.map((v) => [v.topic, v.winner, v.key]),
      [
        ['size', 'session', 'compare.verdict.size'],
        ['work', 'token', 'compare.verdict.workTokens'],
        ['throughput', 'token', 'compare.verdict.throughputTokens'],
        ['scale', 'token', 'compare.verdict.scaleTokens'],
        ['revocation', 'tie', 'compare.verdict.revocationFeed'],
      ],
    )
    assert.deepEqual(list[0]!.params, { token: 528, session: 69, ratio: 7.7 })
    assert.equal(list[1]!.params.parts, 'signature check 290 µs + revocation-set check 2 µs')
    assert.equal(list[2]!.params.resource, 9050)
  })

  test('an issuer that still looks the session up: no "no session lookup", no scale-out winner, sessions revoke', () => {
    const lookup = {
      ...TIMED,
      token: {
        ...TIMED.token,
        server_work_parts: [
          { name: 'sid', description: 'signature check + session-id lookup in the store', microseconds: 300 },
        ],
        store_lookup_per_request: true,
      },
    }
    const byTopic = Object.fromEntries(verdicts(lookup).map((v) => [v.topic, v]))
    assert.equal(byTopic.work!.key, 'compare.verdict.workTokensLookup')
    assert.equal(byTopic.scale!.winner, 'tie')
    assert.equal(byTopic.revocation!.key, 'compare.verdict.revocationStore')
    assert.equal(byTopic.revocation!.winner, 'session')
  })

  test('a mode not measured: no verdicts at all', () => {
    assert.deepEqual(verdicts({ ...REPORT, session: { available: false, missing: 'x' } }), [])
  })

  test('throughput bars: session lookup, token at the issuer, resource server', () => {
    assert.deepEqual(
      throughputBars(TIMED).map((b) => [b.name, b.requests_per_second]),
      [
        ['session', 3000],
        ['token', 8120],
        ['resource', 9050],
      ],
    )
  })

  test("the flow page's /me sentence follows the server's Server-Timing", () => {
    assert.equal(
      meWording('signature;desc="signature check";dur=0.01, revocation;dur=0.001, total;dur=0.02'),
      'flow.token.meOk',
    )
    assert.equal(
      meWording('sid;desc="signature check + session-id lookup in the store";dur=0.2, total;dur=0.3'),
      'flow.token.meOkLookup',
    )
    assert.equal(meWording(undefined), 'flow.token.meOkPlain')
  })
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
      "after logout: this server's /me answered 401 after 3 ms",
      'after logout: /session/me answered 401 after 2 ms',
    ])
    assert.deepEqual(await row('store_lookup_per_request'), ['Store read per request', 'no', '—'])
    assert.deepEqual(await row('resource_server_requests_per_second'), [
      'Resource server with the JWKS (req/s)',
      '9,050',
      '—',
    ])
    // The words: which wins where, and why, with the measured figures.
    const verdict = (topic: string) => page.textContent(`#compare-verdicts li[data-topic="${topic}"]`)
    assert.match(
      (await verdict('size')) ?? '',
      /^Size: sessions\. A cookie costs 69 B per request, an access token 528 B/,
    )
    assert.match((await verdict('revocation')) ?? '', /unless the feed is on/)
    assert.equal(await page.locator('#compare-throughput rect').count(), 3)
    assert.match(
      (await page.textContent('#compare-throughput')) ?? '',
      /Resource server with the JWKS.*9,050 req\/s/,
    )
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
    assert.match((await verdict('size')) ?? '', /^크기: 세션\./)
    assert.match((await verdict('revocation')) ?? '', /피드/)
    assert.match((await page.textContent('#compare-throughput')) ?? '', /JWKS를 쓰는 리소스 서버/)
    assert.deepEqual(errors, [])
    await page.close()
  })
})
