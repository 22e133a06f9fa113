/**
 * @module HEAD on the routes whose GET does something (RFC 9110 §9.2.1: HEAD is safe): `/authorize`
 * issuing a code through single sign-on, `/logout` ending a proven session, `/api/sso-demo` sliding the
 * session, the `/oauth/revocations` long poll. Each answers 405 with `Allow`, and nothing happens.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { INTROSPECTION } from '../helpers/test-server.js'
import { authorizeParams, type Harness, startHarness } from './authorize-fixtures.js'
import { basic, issueCode, providerSession, redeem } from './token-fixtures.js'

let h: Harness

before(async () => {
  h = await startHarness()
  await h.addClient('head-app', { firstParty: true })
})
after(() => h.t.cleanup())

const head = (path: string, headers: Record<string, string> = {}) =>
  fetch(h.t.url + path, { method: 'HEAD', redirect: 'manual', headers })

const alive = async (cookie: string) =>
  (await fetch(`${h.t.url}/session/me`, { headers: { cookie } })).status === 200

test('HEAD /authorize with a provider session issues no code: 405, Allow: GET, POST, no cookie', async () => {
  const session = await providerSession(h, 'header')
  const client = { id: 'head-app', redirectUris: ['https://head-app.example/callback'] }
  const path = `/authorize?${authorizeParams(client)}`
  const answer = await head(path, { cookie: session.cookie })
  assert.equal(answer.status, 405)
  assert.equal(answer.headers.get('allow'), 'GET, POST')
  assert.equal(answer.headers.get('location'), null)
  assert.deepEqual(answer.headers.getSetCookie(), [])
  const { store } = h.t.server.services
  assert.deepEqual(await store.sessionClients.listForSession(session.sid), [], 'no sign-in recorded')
  // The same request as a GET signs in (so the HEAD above was a request that would have).
  const got = await fetch(h.t.url + path, { redirect: 'manual', headers: { cookie: session.cookie } })
  assert.equal(got.status, 302)
  assert.match(got.headers.get('location') ?? '', /[?&]code=/)
  assert.equal((await store.sessionClients.listForSession(session.sid)).length, 1)
})

test('HEAD /authorize without a session sets no binding cookie and shows no page', async () => {
  const answer = await head(
    `/authorize?${authorizeParams({ id: 'head-app', redirectUris: ['https://head-app.example/callback'] })}`,
  )
  assert.equal(answer.status, 405)
  assert.deepEqual(answer.headers.getSetCookie(), [])
})

test('HEAD /logout with an id_token_hint proving the session leaves it signed in', async () => {
  const session = await providerSession(h, 'stayer')
  const issued = await issueCode(
    h,
    { id: 'head-app', redirectUris: ['https://head-app.example/callback'] },
    session,
  )
  const { body } = await redeem(h, 'head-app', issued)
  const path = `/logout?${new URLSearchParams({ id_token_hint: body.id_token as string })}`
  const answer = await head(path, { cookie: session.cookie })
  assert.equal(answer.status, 405)
  assert.equal(answer.headers.get('allow'), 'GET, POST')
  assert.deepEqual(answer.headers.getSetCookie(), [])
  assert.equal(await alive(session.cookie), true)
  const got = await fetch(h.t.url + path, { redirect: 'manual', headers: { cookie: session.cookie } })
  assert.equal(got.status, 200, 'signed out by GET')
  assert.equal(await alive(session.cookie), false)
})

test('HEAD /api/sso-demo and HEAD /oauth/revocations (a long poll) answer 405 at once', async () => {
  const demo = await head('/api/sso-demo')
  assert.equal(demo.status, 405)
  assert.equal(demo.headers.get('allow'), 'GET')
  const started = Date.now()
  const feed = await head('/oauth/revocations?wait=20', basic(INTROSPECTION.id, INTROSPECTION.secret))
  assert.equal(feed.status, 405)
  assert.equal(feed.headers.get('allow'), 'GET')
  assert.ok(Date.now() - started < 10_000, 'the poll was not held')
})
