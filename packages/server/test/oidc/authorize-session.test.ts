/**
 * @module The provider session behind /authorize: single sign-on (a second client gets a code without a
 * password), `max_age` and `prompt=login` asking again and moving auth_time forward (same sid, amr pwd),
 * an ended session asking again, and `id_token_hint` — ours (even expired) for the signed-in user
 * passes; another user's is login_required with prompt=none; anything not our ID token for this client
 * is refused.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { generateKeyPair, signJWT } from '@tessera/jose'
import { hashCode } from '../../src/oidc/authorize/issue-code.js'
import type { AuthorizationCodeRecord, OAuthClientRecord } from '../../src/store/types.js'
import {
  addUser,
  authorize,
  authorizeParams,
  Jar,
  redirectedTo,
  submitLogin,
  useHarness,
} from './authorize-fixtures.js'

const h = useHarness()

async function codeRecord(response: Response, client: OAuthClientRecord): Promise<AuthorizationCodeRecord> {
  const code = redirectedTo(response, client.redirectUris[0]!).get('code')
  assert.ok(code, `no code in ${response.headers.get('location')}`)
  const consumed = await h.t.server.services.store.codes.consume(hashCode(code), h.now())
  assert.equal(consumed.outcome, 'consumed')
  return (consumed as { code: AuthorizationCodeRecord }).code
}

/** A browser signed in through `client`'s login page; returns the code record of that sign-in. */
async function signIn(jar: Jar, client: OAuthClientRecord, username: string) {
  const page = await authorize(h, jar, authorizeParams(client))
  assert.equal(page.status, 200)
  const done = await submitLogin(h, jar, await page.text(), username)
  assert.equal(done.status, 303)
  return codeRecord(done, client)
}

test('single sign-on: a second client (another site) gets a code with no password, in the same provider session', async () => {
  const userId = await addUser(h, 'traveller')
  const notes = await h.addClient('sso-notes', {
    firstParty: true,
    redirectUris: ['http://127.0.0.1:8081/callback'],
  })
  const photos = await h.addClient('sso-photos', {
    firstParty: true,
    redirectUris: ['http://localhost:8082/callback'],
  })
  const jar = new Jar()
  const first = await signIn(jar, notes, 'traveller')
  const second = await authorize(h, jar, authorizeParams(photos))
  assert.equal(second.status, 302, 'no login page')
  // A browser holding only the session cookie is sent back without being given any other.
  const bare = new Jar()
  bare.cookies.set('tessera-session', jar.cookies.get('tessera-session')!)
  const third = await authorize(h, bare, authorizeParams(photos))
  assert.equal(third.status, 302)
  assert.deepEqual(third.headers.getSetCookie(), [], 'a redirect sets no cookie')
  const record = await codeRecord(second, photos)
  assert.equal(record.userId, userId)
  assert.equal(record.sid, first.sid)
  assert.equal(record.authTime, first.authTime)
  const linked = await h.t.server.services.store.sessionClients.listForSession(first.sid)
  assert.deepEqual(linked.map((l) => l.clientId).sort(), ['sso-notes', 'sso-photos'])
})

test('single sign-on works for a third-party client too: consent, but no password', async () => {
  await addUser(h, 'consenter')
  const own = await h.addClient('sso-own', { firstParty: true })
  const other = await h.addClient('sso-other')
  const jar = new Jar()
  await signIn(jar, own, 'consenter')
  const response = await authorize(h, jar, authorizeParams(other))
  const html = await response.text()
  assert.doesNotMatch(html, /name="password"/)
  assert.match(html, /name="consent" value="allow"/)
})

test('max_age=1 after the clock moves 2 s: the login page again, then auth_time moves forward (same sid, amr pwd)', async () => {
  await addUser(h, 'aged')
  const client = await h.addClient('aged-app', { firstParty: true })
  const jar = new Jar()
  const first = await signIn(jar, client, 'aged')
  // Within max_age: no password.
  const fresh = await authorize(h, jar, authorizeParams(client, { max_age: '60' }))
  assert.equal(fresh.status, 302)
  h.advance(2000)
  const params = authorizeParams(client, { max_age: '1' })
  const page = await authorize(h, jar, params)
  assert.equal(page.status, 200)
  const html = await page.text()
  assert.match(html, /name="password"/)
  const silent = await authorize(h, jar, authorizeParams(client, { max_age: '1', prompt: 'none' }))
  assert.equal(redirectedTo(silent, client.redirectUris[0]!).get('error'), 'login_required')
  const done = await submitLogin(h, jar, html, 'aged')
  assert.equal(done.status, 303)
  const again = await codeRecord(done, client)
  assert.ok(again.authTime >= first.authTime + 2000, `${again.authTime} vs ${first.authTime}`)
  assert.equal(again.sid, first.sid)
  assert.deepEqual(again.amr, ['pwd'])
})

test('max_age=0 asks for the password at once, the clock not having moved', async () => {
  await addUser(h, 'zero')
  const client = await h.addClient('zero-app', { firstParty: true })
  const jar = new Jar()
  await signIn(jar, client, 'zero')
  const page = await authorize(h, jar, authorizeParams(client, { max_age: '0' }))
  assert.equal(page.status, 200)
  assert.match(await page.text(), /name="password"/)
})

test('prompt=login asks for the password although signed in, and auth_time moves forward', async () => {
  await addUser(h, 'prompted')
  const client = await h.addClient('prompt-app', { firstParty: true })
  const jar = new Jar()
  const first = await signIn(jar, client, 'prompted')
  h.advance(5000)
  const page = await authorize(h, jar, authorizeParams(client, { prompt: 'login' }))
  assert.equal(page.status, 200)
  const done = await submitLogin(h, jar, await page.text(), 'prompted')
  assert.equal(done.status, 303, 'no second login page after the password')
  const again = await codeRecord(done, client)
  assert.ok(again.authTime >= first.authTime + 5000)
  assert.equal(again.sid, first.sid)
})

test('once the provider session ends, the next client asks for the password again', async () => {
  await addUser(h, 'ended')
  const client = await h.addClient('ended-app', { firstParty: true })
  const jar = new Jar()
  const first = await signIn(jar, client, 'ended')
  assert.equal(await h.t.server.services.sessions.endBySid(first.sid), true)
  assert.equal(await h.t.server.services.sessions.endBySid(first.sid), false)
  const page = await authorize(h, jar, authorizeParams(client))
  assert.equal(page.status, 200)
  assert.match(await page.text(), /name="password"/)
})

test('rotating the session id (POST /session/rotate) keeps the provider session: same sid and auth_time', async () => {
  await addUser(h, 'rotated')
  const client = await h.addClient('rotate-app', { firstParty: true })
  const jar = new Jar()
  const first = await signIn(jar, client, 'rotated')
  const before = jar.cookies.get('tessera-session')
  const rotated = await fetch(`${h.t.url}/session/rotate`, {
    method: 'POST',
    headers: { ...jar.header(), 'sec-fetch-site': 'same-origin' },
  })
  assert.equal(rotated.status, 200)
  jar.take(rotated)
  assert.notEqual(jar.cookies.get('tessera-session'), before)
  const again = await codeRecord(await authorize(h, jar, authorizeParams(client)), client)
  assert.equal(again.sid, first.sid)
  assert.equal(again.authTime, first.authTime)
})

const hint = (claims: Record<string, unknown>) => h.t.server.services.keys.signIdToken(claims, 'RS256')

test('id_token_hint: our ID token for the signed-in user passes, even expired; for another user prompt=none is login_required', async () => {
  const userId = await addUser(h, 'hinted')
  const otherId = await addUser(h, 'someone-else')
  const client = await h.addClient('hint-app', { firstParty: true })
  const jar = new Jar()
  await signIn(jar, client, 'hinted')
  const iat = Math.floor(h.now() / 1000) - 7200
  const base = { iss: h.t.url, aud: client.id, iat, exp: iat + 300 }
  const ok = await authorize(
    h,
    jar,
    authorizeParams(client, { prompt: 'none', id_token_hint: hint({ ...base, sub: userId }) }),
  )
  assert.ok(redirectedTo(ok, client.redirectUris[0]!).get('code'))
  const params = authorizeParams(client, { prompt: 'none', id_token_hint: hint({ ...base, sub: otherId }) })
  const other = redirectedTo(await authorize(h, jar, params), client.redirectUris[0]!)
  assert.equal(other.get('error'), 'login_required')
  assert.equal(other.get('state'), params.get('state'))
  // Without prompt=none, the login page lets the right user sign in; the wrong one is login_required.
  const page = await authorize(
    h,
    jar,
    authorizeParams(client, { id_token_hint: hint({ ...base, sub: otherId }) }),
  )
  assert.equal(page.status, 200)
  const wrong = await submitLogin(h, jar, await page.text(), 'hinted')
  assert.equal(redirectedTo(wrong, client.redirectUris[0]!).get('error'), 'login_required')
})

test('id_token_hint that is not our ID token for this client is invalid_request', async () => {
  const userId = await addUser(h, 'spoofed')
  const client = await h.addClient('spoof-app', { firstParty: true })
  const jar = new Jar()
  await signIn(jar, client, 'spoofed')
  const iat = Math.floor(h.now() / 1000)
  const base = { iss: h.t.url, aud: client.id, sub: userId, iat, exp: iat + 300 }
  const { privateKey } = await generateKeyPair('RS256')
  const forged = await signJWT(base, privateKey, { alg: 'RS256', kid: 'not-ours' })
  const accessToken = h.t.server.services.keys.sign(base).token
  for (const [name, token] of [
    ['signed by a foreign key', forged],
    ['another issuer', hint({ ...base, iss: 'https://other.example' })],
    ['another audience', hint({ ...base, aud: 'another-client' })],
    ['an access token (at+jwt)', accessToken],
    ['not a JWT', 'garbage'],
  ] as const) {
    const query = redirectedTo(
      await authorize(h, jar, authorizeParams(client, { id_token_hint: token })),
      client.redirectUris[0]!,
    )
    assert.equal(query.get('error'), 'invalid_request', name)
    assert.equal(query.get('code'), null, name)
  }
})
