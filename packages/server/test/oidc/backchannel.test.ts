/**
 * @module OpenID Back-Channel Logout 1.0 on a real server with real receivers (node:http on loopback):
 * ending a provider session sends each relying party it signed in to a logout token that `jose` verifies
 * (typ logout+jwt, events, sid, sub, no nonce) and revokes that session's refresh tokens; a failing
 * receiver is retried with exponential back-off (the test moves the server's clock), and a receiver that
 * never answers does not hold up the user's logout.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose'
import { backChannel } from '../../src/oidc/back-channel.js'
import {
  BackchannelDeliveries,
  DEFAULT_DELIVERY_POLICY,
  retryDelay,
} from '../../src/oidc/logout/deliveries.js'
import { BACKCHANNEL_LOGOUT_EVENT } from '../../src/oidc/logout/logout-token.js'
import { type Harness, startHarness } from './authorize-fixtures.js'
import { type Mode, type Receiver, receiver } from './backchannel-fixtures.js'
import { issueCode, type ProviderSession, providerSession, redeem, token } from './token-fixtures.js'

let h: Harness
const receivers: Receiver[] = []

before(async () => {
  h = await startHarness()
})
after(async () => {
  await h.t.cleanup()
  for (const r of receivers) await r.close()
})

/** A client with a back-channel URI, a session signed in to it, and that session's tokens. */
async function signedIn(name: string, mode: Mode) {
  const r = await receiver(mode)
  receivers.push(r)
  const client = await h.addClient(name, { backchannelLogoutUri: r.url })
  const session = await providerSession(h, `${name}-user`)
  const issued = await issueCode(h, client, session, { scope: 'openid offline_access' })
  const tokens = await redeem(h, client.id, issued)
  assert.equal(tokens.status, 200)
  return { r, client, session, tokens: tokens.body }
}

const logout = (session: ProviderSession) =>
  fetch(`${h.t.url}/session/logout`, {
    method: 'POST',
    headers: { cookie: session.cookie, origin: h.t.url, 'sec-fetch-site': 'same-origin' },
  })

const deliveries = () => backChannel(h.t.server.services).deliveries

test('ending the session sends the client a logout token jose verifies, and revokes the session\u2019s refresh tokens', async () => {
  const { r, client, session, tokens } = await signedIn('rp-ok', 'ok')
  const arrived = r.next()
  assert.equal((await logout(session)).status, 204)
  await arrived
  assert.equal(r.bodies.length, 1)
  assert.equal(r.bodies[0]!.contentType, 'application/x-www-form-urlencoded')
  const logoutToken = new URLSearchParams(r.bodies[0]!.body).get('logout_token')!
  assert.equal(decodeProtectedHeader(logoutToken).typ, 'logout+jwt')
  const jwks = createLocalJWKSet(await (await h.t.get('/.well-known/jwks.json')).json())
  const { payload } = await jwtVerify(logoutToken, jwks, {
    issuer: h.t.url,
    audience: client.id,
    typ: 'logout+jwt',
    algorithms: ['RS256'],
    currentDate: new Date(h.now()),
    requiredClaims: ['iat', 'exp', 'jti', 'sid', 'sub', 'events'],
  })
  assert.deepEqual(payload.events, { [BACKCHANNEL_LOGOUT_EVENT]: {} })
  assert.equal(payload.sid, session.sid)
  assert.equal(payload.sub, session.userId)
  assert.equal('nonce' in payload, false)
  assert.ok(payload.exp! - payload.iat! <= 120)
  const refreshed = await token(h, {
    grant_type: 'refresh_token',
    refresh_token: tokens.refresh_token as string,
    client_id: client.id,
  })
  assert.equal(refreshed.status, 400)
  assert.equal(refreshed.body.error, 'invalid_grant')
  // Delivered once: running the queue again sends nothing.
  assert.equal(await deliveries().runOnce(), 0)
  assert.equal(r.bodies.length, 1)
})

test('a failing receiver is retried with exponential back-off, then delivered once it answers', async () => {
  const { r, session } = await signedIn('rp-flaky', 'fail')
  const first = r.next()
  assert.equal((await logout(session)).status, 204)
  await first
  await deliveries().runOnce()
  assert.equal(r.bodies.length, 1)
  // Not due yet: nothing is sent before the first delay.
  h.advance(DEFAULT_DELIVERY_POLICY.baseDelayMs - 1)
  await deliveries().runOnce()
  assert.equal(r.bodies.length, 1)
  h.advance(1)
  await deliveries().runOnce()
  assert.equal(r.bodies.length, 2)
  // The second delay is twice the first.
  h.advance(2 * DEFAULT_DELIVERY_POLICY.baseDelayMs - 1)
  await deliveries().runOnce()
  assert.equal(r.bodies.length, 2)
  r.mode = 'ok'
  h.advance(1)
  assert.equal(await deliveries().runOnce(), 1)
  assert.equal(r.bodies.length, 3)
  h.advance(3_600_000)
  await deliveries().runOnce()
  assert.equal(r.bodies.length, 3)
})

test('the back-off doubles up to its cap', () => {
  const policy = DEFAULT_DELIVERY_POLICY
  assert.equal(retryDelay(1, policy), policy.baseDelayMs)
  assert.equal(retryDelay(2, policy), 2 * policy.baseDelayMs)
  assert.equal(retryDelay(3, policy), 4 * policy.baseDelayMs)
  assert.equal(retryDelay(40, policy), policy.maxDelayMs)
})

test('a receiver that keeps failing is given up after maxAttempts', async () => {
  const { r, session } = await signedIn('rp-down', 'fail')
  const first = r.next()
  await logout(session)
  await first
  await deliveries().runOnce()
  for (let attempt = 1; attempt < DEFAULT_DELIVERY_POLICY.maxAttempts; attempt++) {
    h.advance(retryDelay(attempt, DEFAULT_DELIVERY_POLICY))
    await deliveries().runOnce()
  }
  assert.equal(r.bodies.length, DEFAULT_DELIVERY_POLICY.maxAttempts)
  h.advance(24 * 3600_000)
  await deliveries().runOnce()
  assert.equal(r.bodies.length, DEFAULT_DELIVERY_POLICY.maxAttempts)
})

test('two workers on one store (two instances) send a delivery once: the claim is leased', async () => {
  const r = await receiver('ok')
  receivers.push(r)
  const { store } = h.t.server.services
  const now = h.now()
  await store.backchannelLogouts.enqueue({
    id: 'lease-test',
    clientId: 'rp-ok',
    uri: r.url,
    sid: 'sid-lease',
    sub: 'someone',
    createdAt: now,
    attempts: 0,
    nextAttemptAt: now,
    deliveredAt: null,
    lastError: null,
  })
  const worker = () => new BackchannelDeliveries({ store, clock: h.now, token: async () => 'a.b.c' })
  const [a, b] = [worker(), worker()]
  await Promise.all([a.runOnce(), b.runOnce(), a.runOnce(), b.runOnce()])
  assert.equal(r.bodies.length, 1)
  assert.equal(r.bodies[0]!.body, 'logout_token=a.b.c')
  await Promise.all([a.stop(), b.stop()])
})

test('a receiver that never answers does not hold up the user\u2019s logout', async () => {
  const { r, session } = await signedIn('rp-hangs', 'hang')
  const arrived = r.next()
  const response = await logout(session)
  assert.equal(response.status, 204)
  // The logout has answered while the relying party still holds the request open.
  await arrived
  assert.equal(r.bodies.length, 1)
  const me = await fetch(`${h.t.url}/session/me`, { headers: { cookie: session.cookie } })
  assert.equal(me.status, 401)
})
