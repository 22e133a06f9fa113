/**
 * @module Server-Timing as the comparison reads it: the helper times synchronous, asynchronous and failing
 * parts, and on a real server the parts `/me` and `/session/me` name never sum to more than their
 * `total`, request after request; the comparison's report carries those parts under `total`.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { parseServerTiming } from '../../src/compare/timing.js'
import { startTiming, TIMING_PARTS } from '../../src/http/server-timing.js'
import { startTestServer, type TestServer } from '../helpers/test-server.js'

describe('the Server-Timing helper', () => {
  test('times sync, async and throwing parts in order; parts never exceed the total', async () => {
    const timing = startTiming()
    assert.equal(
      timing.time('signature', () => 7),
      7,
    )
    assert.equal(await timing.time('revocation', async () => 'ok'), 'ok')
    await assert.rejects(
      timing.time('user', async () => {
        throw new Error('gone')
      }),
      /gone/,
    )
    assert.throws(() =>
      timing.time('session', () => {
        throw new Error('bad')
      }),
    )
    const entries = parseServerTiming(timing.header())
    assert.deepEqual(
      entries.map((e) => e.name),
      ['signature', 'revocation', 'user', 'session', 'total'],
    )
    assert.equal(entries[0]!.description, TIMING_PARTS.signature)
    const total = entries.at(-1)!.ms
    const sum = entries.slice(0, -1).reduce((s, e) => s + e.ms, 0)
    assert.ok(sum <= total, `${sum} ≤ ${total}`)
  })

  test('the parser reads names, quoted descriptions and durations, and skips entries without dur', () => {
    assert.deepEqual(parseServerTiming('a;desc="x, y";dur=1.5'), [
      { name: 'a', description: 'x, y', ms: 1.5 },
    ])
    assert.deepEqual(parseServerTiming('sig;desc="signature check";dur=0.250, cache, total;dur=0.3'), [
      { name: 'sig', description: 'signature check', ms: 0.25 },
      { name: 'total', description: 'total', ms: 0.3 },
    ])
    assert.deepEqual(parseServerTiming(''), [])
  })
})

let server: TestServer
before(async () => {
  server = await startTestServer()
})
after(async () => {
  await server?.cleanup()
})

/** Every part named, each in the catalogue, and their sum ≤ total, on each of `n` requests. */
async function checkParts(path: string, headers: Record<string, string>, n: number): Promise<string[]> {
  let names: string[] = []
  for (let i = 0; i < n; i++) {
    const response = await server.get(path, headers)
    assert.equal(response.status, 200)
    await response.arrayBuffer()
    const entries = parseServerTiming(response.headers.get('server-timing') ?? '')
    const total = entries.find((e) => e.name === 'total')
    assert.ok(total, `${path} sends a total: ${response.headers.get('server-timing')}`)
    const parts = entries.filter((e) => e.name !== 'total')
    assert.ok(parts.length >= 1, `${path} names at least one part`)
    for (const part of parts) {
      assert.ok(part.name in TIMING_PARTS, `${part.name} is a known part`)
      assert.equal(part.description, TIMING_PARTS[part.name as keyof typeof TIMING_PARTS])
    }
    const sum = parts.reduce((s, e) => s + e.ms, 0)
    assert.ok(sum <= total.ms + 1e-9, `${path}: parts ${sum} ms > total ${total.ms} ms`)
    names = parts.map((p) => p.name)
  }
  return names
}

test('a real server: the parts of /me and /session/me never sum to more than their total', async () => {
  const username = 'timing-user'
  const password = 'correct horse battery staple'
  assert.equal((await server.post('/auth/register', { username, password })).status, 201)
  const tokens = (await (await server.post('/auth/login', { username, password })).json()) as {
    access_token: string
  }
  const meParts = await checkParts('/me', { authorization: `Bearer ${tokens.access_token}` }, 50)
  // What /me does is named, whichever way it checks revocation.
  assert.ok(
    meParts.includes('sid') || (meParts.includes('signature') && meParts.includes('revocation')),
    `/me parts: ${meParts}`,
  )
  const login = await server.post(
    '/session/login',
    { username, password },
    { origin: new URL(server.url).origin, 'sec-fetch-site': 'same-origin' },
  )
  assert.equal(login.status, 200)
  const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!
  assert.deepEqual(await checkParts('/session/me', { cookie }, 50), ['session'])
})
