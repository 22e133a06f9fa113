/**
 * @module The consent page of /authorize: it names the client and the scopes, `allow` issues the code and
 * is remembered per user, client and scopes, `deny` is access_denied, first-party clients skip it,
 * `prompt=consent` asks again, `prompt=none` without consent is consent_required, and a forged consent
 * post is refused.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { OAuthClientRecord } from '../../src/store/types.js'
import {
  addUser,
  authorize,
  authorizeParams,
  browse,
  formFields,
  Jar,
  redirectedTo,
  submitConsent,
  submitLogin,
  useHarness,
} from './authorize-fixtures.js'

const h = useHarness()

/** A signed-in browser looking at the consent page of `client` (a third-party client). */
async function consentShown(username: string, client: OAuthClientRecord, overrides = {}) {
  await addUser(h, username)
  const jar = new Jar()
  const login = await authorize(h, jar, authorizeParams(client, overrides))
  const response = await submitLogin(h, jar, await login.text(), username)
  assert.equal(response.status, 200)
  return { jar, html: await response.text() }
}

test('the consent page names the client and each scope, with consent=allow and consent=deny buttons', async () => {
  const client = await h.addClient('named-app', { name: 'Photos & <Friends>' })
  const { html } = await consentShown('namer', client, { scope: 'openid profile email offline_access' })
  assert.match(html, /Photos &amp; &lt;Friends&gt;/)
  for (const scope of ['openid', 'profile', 'email', 'offline_access'])
    assert.match(html, new RegExp(`<code>${scope}</code>`))
  assert.match(html, /<button[^>]*name="consent" value="allow"/)
  assert.match(html, /<button[^>]*name="consent" value="deny"/)
  assert.match(html, /namer/)
})

test('allow issues the code; the consent is remembered for those scopes, and a new scope asks again', async () => {
  const client = await h.addClient('remember-app')
  const { jar, html } = await consentShown('rememberer', client)
  const allowed = await submitConsent(h, jar, html, 'allow')
  assert.equal(allowed.status, 303)
  assert.ok(redirectedTo(allowed, client.redirectUris[0]!).get('code'))
  const again = await authorize(h, jar, authorizeParams(client))
  assert.equal(again.status, 302)
  assert.ok(redirectedTo(again, client.redirectUris[0]!).get('code'))
  const silent = await authorize(h, jar, authorizeParams(client, { prompt: 'none', scope: 'openid' }))
  assert.ok(redirectedTo(silent, client.redirectUris[0]!).get('code'))
  const more = await authorize(h, jar, authorizeParams(client, { scope: 'openid profile email' }))
  assert.equal(more.status, 200)
  assert.match(await more.text(), /name="consent" value="allow"/)
})

test('prompt=consent asks again although consent was given', async () => {
  const client = await h.addClient('reask-app')
  const { jar, html } = await consentShown('reasked', client)
  assert.equal((await submitConsent(h, jar, html, 'allow')).status, 303)
  const asked = await authorize(h, jar, authorizeParams(client, { prompt: 'consent' }))
  assert.equal(asked.status, 200)
  assert.match(await asked.text(), /value="allow"/)
})

test('deny → access_denied with state and iss, and nothing is remembered', async () => {
  const client = await h.addClient('deny-app')
  const params = authorizeParams(client)
  await addUser(h, 'denier')
  const jar = new Jar()
  const login = await authorize(h, jar, params)
  const consent = await submitLogin(h, jar, await login.text(), 'denier')
  const denied = await submitConsent(h, jar, await consent.text(), 'deny')
  assert.equal(denied.status, 303)
  const query = redirectedTo(denied, client.redirectUris[0]!)
  assert.equal(query.get('error'), 'access_denied')
  assert.equal(query.get('state'), params.get('state'))
  assert.equal(query.get('iss'), h.t.url)
  assert.equal(query.get('code'), null)
  const silent = await authorize(h, jar, authorizeParams(client, { prompt: 'none' }))
  assert.equal(redirectedTo(silent, client.redirectUris[0]!).get('error'), 'consent_required')
})

test('prompt=none with a session but no consent → consent_required with state and iss', async () => {
  const client = await h.addClient('silent-consent-app')
  const first = await h.addClient('silent-consent-first', { firstParty: true })
  await addUser(h, 'quiet')
  const jar = new Jar()
  const login = await authorize(h, jar, authorizeParams(first))
  assert.equal((await submitLogin(h, jar, await login.text(), 'quiet')).status, 303)
  const params = authorizeParams(client, { prompt: 'none' })
  const query = redirectedTo(await authorize(h, jar, params), client.redirectUris[0]!)
  assert.equal(query.get('error'), 'consent_required')
  assert.equal(query.get('state'), params.get('state'))
  assert.equal(query.get('iss'), h.t.url)
})

test('a first-party client skips consent', async () => {
  const client = await h.addClient('own-app', { firstParty: true })
  await addUser(h, 'insider')
  const jar = new Jar()
  const login = await authorize(h, jar, authorizeParams(client, { scope: 'openid profile email' }))
  const response = await submitLogin(h, jar, await login.text(), 'insider')
  assert.equal(response.status, 303)
  assert.ok(redirectedTo(response, client.redirectUris[0]!).get('code'))
})

test('consent CSRF: a cross-site post, a wrong token, or another browser is refused, and nothing is granted', async () => {
  const client = await h.addClient('csrf-consent-app')
  const { jar, html } = await consentShown('forged', client)
  const crossSite = await submitConsent(h, jar, html, 'allow', {
    'sec-fetch-site': 'cross-site',
    origin: 'https://evil.example',
  })
  assert.equal(crossSite.status, 403)
  assert.equal(crossSite.headers.get('location'), null)
  const { interaction, csrf } = formFields(html)
  const wrongToken = await browse(h, jar, '/authorize/consent', {
    form: new URLSearchParams({ interaction, csrf_token: `${csrf.slice(0, -2)}zz`, consent: 'allow' }),
  })
  assert.equal(wrongToken.status, 400)
  // Same session cookie, but not the browser the page was shown in (no binding cookie).
  const otherBrowser = new Jar()
  otherBrowser.cookies.set('tessera-session', jar.cookies.get('tessera-session')!)
  const elsewhere = await submitConsent(h, otherBrowser, html, 'allow')
  assert.equal(elsewhere.status, 400)
  const silent = await authorize(h, jar, authorizeParams(client, { prompt: 'none' }))
  assert.equal(redirectedTo(silent, client.redirectUris[0]!).get('error'), 'consent_required')
})

test('a consent page shown to one session cannot be used after signing out', async () => {
  const client = await h.addClient('stale-consent-app')
  const { jar, html } = await consentShown('leaver', client)
  const logout = await fetch(`${h.t.url}/session/logout`, {
    method: 'POST',
    headers: { ...jar.header(), 'sec-fetch-site': 'same-origin' },
  })
  assert.equal(logout.status, 204)
  const response = await submitConsent(h, jar, html, 'allow')
  assert.equal(response.status, 400)
  assert.equal(response.headers.get('location'), null)
})

test('the consent page is Korean with ui_locales=ko', async () => {
  const client = await h.addClient('ko-consent-app')
  const { html } = await consentShown('hangul', client, { ui_locales: 'ko' })
  assert.match(html, /<html lang="ko">/)
  assert.match(html, />허용</)
  assert.match(html, />거부</)
})
