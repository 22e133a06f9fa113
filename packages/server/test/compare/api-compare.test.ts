/**
 * @module `GET /api/compare` on a real server on loopback: in demo mode the first request measures both
 * modes for real (every figure present, non-zero, with its unit in the field name) and later requests get
 * the same report; outside demo mode it is a clear 404 until a report exists.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { startTestServer, type TestServer } from '../helpers/test-server.js'

let demo: TestServer
let plain: TestServer
before(async () => {
  demo = await startTestServer({ demoUser: true })
  plain = await startTestServer()
})
after(async () => {
  await demo?.cleanup()
  await plain?.cleanup()
})

/** A unit in the name: bytes, microseconds, seconds, milliseconds, a rate, or a count. */
const UNIT =
  /(_bytes|_bytes_per_request|_microseconds|_microseconds_per_request|_seconds|_ms|_per_second)$|^(requests|errors)$/

test('demo mode: the first GET /api/compare measures both modes; every figure is there, non-zero, with units', async () => {
  const response = await demo.get('/api/compare')
  assert.equal(response.status, 200, await response.clone().text())
  const report = (await response.json()) as {
    token: Record<string, unknown>
    session: Record<string, unknown>
    notes: string[]
  }
  for (const [mode, half] of Object.entries({ token: report.token, session: report.session })) {
    for (const field of [
      'credential_bytes_per_request',
      'credential_value_bytes',
      'server_work_microseconds_per_request',
      'requests_per_second',
      'latency_p50_ms',
      'latency_p99_ms',
      'requests',
    ]) {
      assert.equal(typeof half[field], 'number', `${mode}.${field}`)
      assert.ok((half[field] as number) > 0, `${mode}.${field} = ${half[field]}`)
    }
    assert.equal(half.errors, 0, `${mode}.errors`)
    for (const [name, value] of Object.entries(half)) {
      if (typeof value === 'number') assert.match(name, UNIT, `${mode}.${name} names its unit`)
    }
    assert.equal(typeof half.revocation, 'string')
    assert.equal(typeof half.second_instance_needs, 'string')
  }
  assert.ok((report.token.signature_check_microseconds as number) > 0)
  assert.equal(report.token.access_token_lifetime_seconds, 900)
  // The credential sizes are the real ones: an ES256 access token vs a 43-character session id.
  assert.ok((report.token.credential_value_bytes as number) > 300)
  assert.equal(report.session.credential_value_bytes, 43)
  assert.match(
    report.token.revocation as string,
    /answered 401 after \d+ ms.*active: false.*still accepted it until exp \(up to 900 s\)/,
  )
  assert.match(report.session.revocation as string, /answered 401 after \d+ ms/)
  assert.match(report.token.second_instance_needs as string, /JWKS.*revocation feed/)
  assert.match(report.session.second_instance_needs as string, /shared session store/)
  // Server work named part by part, the parts within the total; the resource server measured too.
  for (const half of [report.token, report.session]) {
    const parts = half.server_work_parts as { name: string; description: string; microseconds: number }[]
    assert.ok(parts.length >= 1)
    const sum = parts.reduce((total, part) => total + part.microseconds, 0)
    assert.ok(sum <= (half.server_work_microseconds_per_request as number), `${sum} µs`)
    assert.equal(typeof half.store_lookup_per_request, 'boolean')
  }
  assert.equal(report.session.store_lookup_per_request, true)
  const resource = report.token.resource_server as Record<string, number>
  assert.ok(resource.requests_per_second > 0 && resource.errors === 0)
  assert.ok(report.notes.length >= 3)
  assert.equal((report as unknown as { instances: number }).instances, 1)
  // The demo run's budget: 1 s of load per mode (timings themselves are not asserted here).
  assert.equal((report as unknown as { duration_seconds_per_mode: number }).duration_seconds_per_mode, 1)
  // Kept: the next request answers at once with the same report.
  const again = (await (await demo.get('/api/compare')).json()) as { measured_at: string }
  assert.equal(again.measured_at, (report as unknown as { measured_at: string }).measured_at)
  // The report carries no credential: neither the access token nor the session id appears in it.
  assert.doesNotMatch(JSON.stringify(report), /eyJ[A-Za-z0-9_-]{20,}|session=[A-Za-z0-9_-]{43}/)
})

test('outside demo mode no report exists until one is run: 404 ERR_COMPARE_UNAVAILABLE', async () => {
  const response = await plain.get('/api/compare')
  assert.equal(response.status, 404)
  assert.equal(((await response.json()) as { code: string }).code, 'ERR_COMPARE_UNAVAILABLE')
})
