/**
 * @module A resource server on node:http that subscribes to the issuer's revocation feed and refuses an
 * ended session's tokens with no call per request: fail closed (503 ERR_REVOCATIONS_UNAVAILABLE) while
 * it has never synced, logout and disable refused within a bounded delay, the feed authenticated and
 * resumable by cursor, and fail closed again when the issuer goes away.
 */
import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, test } from 'node:test'
import {
  createRequestVerifier,
  type RevocationSubscription,
  subscribeRevocations,
  toHttpError,
} from '../../src/index.js'
import {
  bearer,
  INTROSPECTION,
  login,
  register,
  startTestServer,
  type TestServer,
} from '../helpers/test-server.js'

const basic = `Basic ${Buffer.from(`${INTROSPECTION.id}:${INTROSPECTION.secret}`).toString('base64')}`

/** A resource server: verifies locally with the JWKS and the subscription, then answers its claims. */
async function resourceServer(
  issuer: TestServer,
  revocations: RevocationSubscription,
): Promise<{ url: string; server: Server }> {
  const verify = createRequestVerifier({
    issuer: issuer.config.issuer ?? issuer.url,
    audience: issuer.config.audience,
    jwksUri: `${issuer.url}/.well-known/jwks.json`,
    revocations,
  })
  const server = createServer((request, response) => {
    verify(request).then(
      ({ claims }) => {
        response.writeHead(200, { 'content-type': 'application/json' })
        response.end(JSON.stringify({ sub: claims.sub }))
      },
      (error: unknown) => {
        const http = toHttpError(error)
        response.writeHead(http.status, { 'content-type': 'application/json', ...http.headers })
        response.end(JSON.stringify(http.body))
      },
    )
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server }
}

async function call(url: string, token: string): Promise<{ status: number; code?: string }> {
  const response = await fetch(url, { headers: bearer(token) })
  const body = (await response.json()) as { code?: string }
  return { status: response.status, ...(body.code ? { code: body.code } : {}) }
}

async function until<T>(probe: () => Promise<T>, pass: (value: T) => boolean, ms: number): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const value = await probe()
    if (pass(value) || Date.now() > deadline) return value
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describe('a resource server subscribed to the revocation feed', () => {
  let issuer: TestServer
  let subscription: RevocationSubscription
  let rs: { url: string; server: Server }

  before(async () => {
    issuer = await startTestServer()
    subscription = subscribeRevocations({
      url: `${issuer.url}/oauth/revocations`,
      clientId: INTROSPECTION.id,
      clientSecret: INTROSPECTION.secret,
      wait: 5,
    })
    await subscription.ready()
    rs = await resourceServer(issuer, subscription)
  })
  after(async () => {
    subscription?.close()
    await new Promise((resolve) => rs?.server.close(resolve))
    await issuer?.cleanup()
  })

  test('never synced: 503 ERR_REVOCATIONS_UNAVAILABLE, not a pass', async () => {
    const dead = subscribeRevocations({
      url: 'http://127.0.0.1:9/oauth/revocations',
      clientId: INTROSPECTION.id,
      clientSecret: INTROSPECTION.secret,
    })
    const closed = await resourceServer(issuer, dead)
    try {
      const tokens = await register(issuer, 'nora')
      assert.deepEqual(await call(closed.url, tokens.access_token), {
        status: 503,
        code: 'ERR_REVOCATIONS_UNAVAILABLE',
      })
      assert.equal(dead.synced, false)
    } finally {
      dead.close()
      await new Promise((resolve) => closed.server.close(resolve))
    }
  })

  test('the feed answers introspection clients only', async () => {
    const none = await fetch(`${issuer.url}/oauth/revocations`)
    assert.equal(none.status, 401)
    assert.equal(((await none.json()) as { code: string }).code, 'ERR_CLIENT_AUTH_FAILED')
    const wrong = await fetch(`${issuer.url}/oauth/revocations`, {
      headers: { authorization: `Basic ${Buffer.from(`${INTROSPECTION.id}:nope`).toString('base64')}` },
    })
    assert.equal(wrong.status, 401)
  })

  test('logout at the issuer: refused by the resource server within a bounded delay, other sessions unaffected', async (t) => {
    const ended = await register(issuer, 'otto')
    const live = await login(issuer, 'otto')
    assert.equal((await call(rs.url, ended.access_token)).status, 200)
    assert.equal((await issuer.post('/auth/logout', { refresh_token: ended.refresh_token })).status, 204)
    const t0 = performance.now()
    const refused = await until(
      () => call(rs.url, ended.access_token),
      (a) => a.status !== 200,
      5000,
    )
    const delay = performance.now() - t0
    assert.deepEqual(refused, { status: 401, code: 'ERR_ACCESS_TOKEN_INVALID' })
    assert.ok(delay < 5000)
    t.diagnostic(`logout at the issuer → refused by the resource server after ${delay.toFixed(1)} ms`)
    assert.equal((await call(rs.url, live.access_token)).status, 200)
  })

  test('a disabled user: every token refused by the resource server', async () => {
    const tokens = await register(issuer, 'pia')
    assert.equal((await call(rs.url, tokens.access_token)).status, 200)
    await issuer.server.services.users.setDisabled('pia', true)
    const refused = await until(
      () => call(rs.url, tokens.access_token),
      (a) => a.status !== 200,
      5000,
    )
    assert.equal(refused.status, 401)
  })

  test('the cursor resumes: only what came after it; a cursor from elsewhere gets everything, marked reset', async () => {
    const page = async (query: string) => {
      const response = await fetch(`${issuer.url}/oauth/revocations${query}`, {
        headers: { authorization: basic },
      })
      assert.equal(response.status, 200)
      return (await response.json()) as { cursor: string; reset?: boolean; events: { id: string }[] }
    }
    const all = await page('')
    assert.equal(all.reset, true)
    assert.ok(all.events.length >= 2)
    const tokens = await register(issuer, 'quin')
    assert.equal((await issuer.post('/auth/logout', { refresh_token: tokens.refresh_token })).status, 204)
    const next = await page(`?after=${all.cursor}`)
    assert.equal(next.reset, undefined)
    assert.equal(next.events.length, 1)
    const foreign = await page('?after=someoneelse.3')
    assert.equal(foreign.reset, true)
    assert.equal(foreign.events.length, all.events.length + 1)
    const bad = await fetch(`${issuer.url}/oauth/revocations?after=%27%3B--`, {
      headers: { authorization: basic },
    })
    assert.equal(bad.status, 400)
  })

  test('the issuer goes away: the resource server fails closed instead of trusting a stale set', async () => {
    const tokens = await register(issuer, 'rudi')
    assert.equal((await call(rs.url, tokens.access_token)).status, 200)
    await issuer.stop()
    const refused = await until(
      () => call(rs.url, tokens.access_token),
      (a) => a.status !== 200,
      10_000,
    )
    assert.deepEqual(refused, { status: 503, code: 'ERR_REVOCATIONS_UNAVAILABLE' })
    assert.ok(subscription.failures >= 1)
  })
})
