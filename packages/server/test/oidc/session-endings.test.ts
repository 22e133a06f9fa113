/**
 * @module Sessions that end without an RP-initiated logout still reach the relying parties over the back
 * channel, on a real server with real receivers: log out everywhere (every session of the user), a new
 * sign-in over an old session cookie, an
 * admin disabling the user (`tessera users disable`, another process: it queues, the server's loop
 * sends), an idle timeout noticed when the session is next used, and refresh-token reuse in a family
 * that came from a session (the session ends with it). Each sends the session's logout token and
 * revokes what came from the session, and none waits for the relying party.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { disableUser } from '../../src/index.js'
import { backChannel } from '../../src/oidc/back-channel.js'
import { type Harness, PASSWORD, startHarness } from './authorize-fixtures.js'
import { logoutClaims, type Receiver, receiver } from './backchannel-fixtures.js'
import { issueCode, type ProviderSession, providerSession, redeem, token } from './token-fixtures.js'

const IDLE_S = 60

let h: Harness
let r: Receiver

before(async () => {
  h = await startHarness({ sessionIdleTtl: IDLE_S, refreshGrace: 0 })
  r = await receiver('ok')
  await h.addClient('rp-ends', { backchannelLogoutUri: r.url })
  await h.addClient('rp-quiet')
})
after(async () => {
  await h.t.cleanup()
  await r.close()
})

const deliveries = () => backChannel(h.t.server.services).deliveries

/** Signs `session` in to `clientId` (the link back-channel logout reads) and returns its tokens. */
async function signIn(session: ProviderSession, clientId = 'rp-ends') {
  const issued = await issueCode(
    h,
    { id: clientId, redirectUris: [`https://${clientId}.example/callback`] },
    session,
    { scope: 'openid offline_access' },
  )
  const tokens = await redeem(h, clientId, issued)
  assert.equal(tokens.status, 200)
  return tokens.body as { refresh_token: string; access_token: string }
}

/** The sids of the logout tokens sent since `from`, after the queue has run. */
async function sentSids(from: number): Promise<string[]> {
  await deliveries().runOnce()
  const sids = []
  for (let i = from; i < r.bodies.length; i++) sids.push((await logoutClaims(h, r, i, 'rp-ends')).sid)
  return sids.map(String).sort()
}

const alive = async (session: ProviderSession) =>
  (await fetch(`${h.t.url}/session/me`, { headers: { cookie: session.cookie } })).status === 200

const refresh = (refreshToken: string, clientId = 'rp-ends') =>
  token(h, { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId })

test('log out everywhere sends a logout token for each of the user\u2019s sessions', async () => {
  const from = r.bodies.length
  const first = await providerSession(h, 'everywhere')
  const secondLogin = await h.t.post('/session/login', {
    username: 'everywhere',
    password: 'correct horse battery staple',
  })
  const cookie = secondLogin.headers.getSetCookie()[0]!.split(';')[0]!
  const { record } = await h.t.server.services.sessions.resolve(cookie.slice(cookie.indexOf('=') + 1))
  const second = { ...first, cookie, sid: record.sid }
  await signIn(first)
  const { refresh_token } = await signIn(second)
  await signIn(first, 'rp-quiet')
  const answer = await fetch(`${h.t.url}/session/logout-all`, {
    method: 'POST',
    headers: { cookie: first.cookie, origin: h.t.url, 'sec-fetch-site': 'same-origin' },
  })
  assert.equal(answer.status, 200)
  assert.deepEqual(await sentSids(from), [first.sid, second.sid].sort())
  const claims = await logoutClaims(h, r, from, 'rp-ends')
  assert.equal(claims.sub, first.userId)
  assert.equal((await refresh(refresh_token)).status, 400)
  assert.equal(await alive(second), false)
  const { store } = h.t.server.services
  assert.deepEqual(await store.sessionClients.listForUser(first.userId), [], 'nothing left to tell')
})

test('signing in again over an old session cookie ends that session, and its clients are told', async () => {
  const from = r.bodies.length
  const old = await providerSession(h, 'returner')
  await signIn(old)
  const again = await h.t.post(
    '/session/login',
    { username: 'returner', password: PASSWORD },
    { cookie: old.cookie, origin: h.t.url, 'sec-fetch-site': 'same-origin' },
  )
  assert.equal(again.status, 200)
  assert.deepEqual(await sentSids(from), [old.sid])
  assert.equal(await alive(old), false)
})

test('tessera users disable (another process) queues the logout tokens; the server sends them', async () => {
  const from = r.bodies.length
  const session = await providerSession(h, 'disabled-one')
  await signIn(session)
  const disabled = await disableUser(h.t.config, 'disabled-one')
  assert.equal(disabled.disabled, true)
  assert.equal(r.bodies.length, from, 'the command only queues')
  // The command queued by the wall clock; the server's clock is the test's, a little behind it.
  h.advance(Math.max(0, Date.now() - h.now()) + 1)
  assert.deepEqual(await sentSids(from), [session.sid])
  assert.equal(await alive(session), false)
})

test('an idle timeout noticed on the session\u2019s next use sends its logout token', async () => {
  const from = r.bodies.length
  const session = await providerSession(h, 'idler')
  const { refresh_token } = await signIn(session)
  h.advance(IDLE_S * 1000 + 1)
  const answer = await fetch(`${h.t.url}/session/me`, { headers: { cookie: session.cookie } })
  assert.equal(answer.status, 401)
  assert.equal(((await answer.json()) as { code: string }).code, 'ERR_SESSION_EXPIRED')
  assert.deepEqual(await sentSids(from), [session.sid])
  assert.equal((await refresh(refresh_token)).status, 400, 'the session\u2019s families are revoked')
})

test('refresh-token reuse in a family from a session ends the session and tells every client of it', async () => {
  const from = r.bodies.length
  const session = await providerSession(h, 'stolen')
  const { refresh_token: old } = await signIn(session, 'rp-quiet')
  await signIn(session)
  const rotated = await refresh(old, 'rp-quiet')
  assert.equal(rotated.status, 200)
  h.advance(1_000)
  const reused = await refresh(old, 'rp-quiet')
  assert.equal(reused.status, 400)
  assert.equal(reused.body.code, 'ERR_REFRESH_TOKEN_REUSED')
  assert.deepEqual(await sentSids(from), [session.sid])
  assert.equal(await alive(session), false)
})
