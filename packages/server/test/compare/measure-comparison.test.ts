/**
 * @module `measureComparison` from outside, over HTTP, as `tessera compare` runs it: a throwaway user
 * registered through the API, revocation without in-process introspection, a server without session mode
 * (the real server behind a proxy that has no /session routes) reported as not measured, and a dead port
 * as a typed error.
 */
import assert from 'node:assert/strict'
import { createServer, request, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, test } from 'node:test'
import { measureComparison } from '../../src/compare/measure.js'
import { CompareFailed } from '../../src/errors.js'
import { startTestServer, type TestServer } from '../helpers/test-server.js'

let target: TestServer
let proxy: Server
let proxyUrl: string
before(async () => {
  target = await startTestServer()
  const upstream = new URL(target.url)
  // Everything but /session/* goes to the real server: a token-only deployment, as the client sees it.
  proxy = createServer((req, res) => {
    if (req.url?.startsWith('/session/')) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not_found"}')
      return
    }
    const forward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        path: req.url,
        method: req.method,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      },
    )
    req.pipe(forward)
  })
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`
})
after(async () => {
  proxy?.closeAllConnections()
  await new Promise((resolve) => proxy?.close(resolve))
  await target?.cleanup()
})

test('a throwaway user registered over HTTP; both modes measured; revocation without introspection', async () => {
  const report = await measureComparison({ url: target.url, durationMs: 300, connections: 2 })
  assert.equal(report.url, target.url)
  assert.equal(report.token.available, true)
  assert.equal(report.token.signature_alg, 'ES256')
  assert.ok(report.token.requests > 0 && report.token.errors === 0)
  assert.match(
    report.token.revocation,
    /this server’s \/me answered 401 after \d+ ms.*still accepted it until exp \(up to 900 s\) unless it introspects or follows the revocation feed/,
  )
  assert.doesNotMatch(report.token.revocation, /introspection then said/)
  assert.equal(report.session.available, true)
  if (report.session.available)
    assert.match(report.session.second_instance_needs, /shared session store.*the database, or Redis/)
  assert.deepEqual(report.urls, [target.url])
  assert.equal(report.instances, 1)
  // The resource server the measurement started took load and refused nothing.
  assert.ok(report.token.resource_server.requests > 0 && report.token.resource_server.errors === 0)
  assert.match(
    report.token.resource_server.verifies_with,
    /createRequestVerifier over http:\/\/127\.0\.0\.1:\d+\/\.well-known\/jwks\.json/,
  )
  const throwaway = report.notes.find((note) => note.startsWith('The throwaway user'))
  assert.match(throwaway ?? '', /"compare-[0-9a-f]{12}" stays in the store.*tessera users disable/)
})

test('a server without session mode: session NOT measured, with the reason; token mode still measured', async () => {
  const report = await measureComparison({ url: proxyUrl, durationMs: 300, connections: 2 })
  assert.equal(report.token.available, true)
  assert.ok(report.token.requests > 0)
  assert.deepEqual(Object.keys(report.session).sort(), ['available', 'missing'])
  assert.equal(report.session.available, false)
  if (!report.session.available) assert.match(report.session.missing, /answered 404.*no session mode/)
  assert.ok(report.notes.some((note) => note.startsWith('Session mode was not measured')))
})

test('nobody listening: CompareFailed (ERR_COMPARE_FAILED) naming the URL', async () => {
  const closed = createServer()
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`
  await new Promise((resolve) => closed.close(resolve))
  await assert.rejects(measureComparison({ url, durationMs: 100, connections: 1 }), (error: unknown) => {
    assert.ok(error instanceof CompareFailed)
    assert.equal(error.code, 'ERR_COMPARE_FAILED')
    assert.ok(error.message.includes(url), error.message)
    return true
  })
})
