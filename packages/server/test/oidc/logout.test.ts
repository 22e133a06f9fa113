/**
 * @module RP-initiated logout at `/logout` on a real server: an `id_token_hint` of the browser's own
 * session signs out at once and redirects to the registered `post_logout_redirect_uri` with `state`
 * (expired hints included); an unregistered or altered URI is an error page, never a redirect (open
 * redirect); without a hint the user confirms on a page whose form carries the session's CSRF token, and
 * a forged confirmation signs nobody out.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { type Harness, startHarness } from './authorize-fixtures.js'
import { issueCode, type ProviderSession, providerSession, redeem } from './token-fixtures.js'

let h: Harness
const RETURN = 'https://rp-logout.example/signed-out'

before(async () => {
  h = await startHarness()
  await h.addClient('rp-logout', { postLogoutRedirectUris: [RETURN] })
  await h.addClient('rp-other', { postLogoutRedirectUris: ['https://rp-other.example/bye'] })
})
after(() => h.t.cleanup())

async function signedIn(name: string): Promise<{ session: ProviderSession; idToken: string }> {
  const session = await providerSession(h, name)
  const issued = await issueCode(
    h,
    { id: 'rp-logout', redirectUris: ['https://rp-logout.example/callback'] },
    session,
  )
  const { body } = await redeem(h, 'rp-logout', issued)
  return { session, idToken: body.id_token as string }
}

const alive = async (session: ProviderSession) =>
  (await fetch(`${h.t.url}/session/me`, { headers: { cookie: session.cookie } })).status === 200

const get = (session: ProviderSession | undefined, params: Record<string, string>) =>
  fetch(`${h.t.url}/logout?${new URLSearchParams(params)}`, {
    redirect: 'manual',
    headers: session ? { cookie: session.cookie } : {},
  })

test('an id_token_hint of this session: signed out at once, back to the registered URI with state', async () => {
  const { session, idToken } = await signedIn('lou')
  const response = await get(session, {
    id_token_hint: idToken,
    post_logout_redirect_uri: RETURN,
    state: 'xyz',
  })
  assert.equal(response.status, 303)
  assert.equal(response.headers.get('location'), `${RETURN}?state=xyz`)
  assert.match(response.headers.getSetCookie().join('\n'), /max-age=0|expires=thu, 01 jan 1970/i)
  assert.equal(await alive(session), false)
})

test('an expired id_token_hint still proves the session', async () => {
  const { session, idToken } = await signedIn('old-hint')
  // Past the ID token's exp (15 min + 1 min skew), inside the session's idle timeout (30 min).
  h.advance(20 * 60_000)
  const exp = JSON.parse(Buffer.from(idToken.split('.')[1]!, 'base64url').toString()).exp as number
  assert.ok(exp * 1000 < h.now())
  assert.equal(await alive(session), true)
  const response = await get(session, { id_token_hint: idToken, post_logout_redirect_uri: RETURN })
  assert.equal(response.status, 303)
  assert.equal(response.headers.get('location'), RETURN)
  assert.equal(await alive(session), false)
})

test('open redirect: an unregistered or altered post_logout_redirect_uri is an error page, never a redirect', async () => {
  const { session, idToken } = await signedIn('rita')
  for (const uri of [
    'https://evil.example/',
    `${RETURN}/x`,
    `${RETURN}?a=1`,
    'https://rp-other.example/bye',
  ]) {
    const response = await get(session, { id_token_hint: idToken, post_logout_redirect_uri: uri })
    assert.equal(response.status, 400, uri)
    assert.equal(response.headers.get('location'), null, uri)
    assert.match(response.headers.get('content-type') ?? '', /text\/html/)
    assert.match(await response.text(), /not registered/)
  }
  // Without client_id or hint there is no client whose URI it could be.
  const bare = await get(session, { post_logout_redirect_uri: RETURN })
  assert.equal(bare.status, 400)
  assert.equal(await alive(session), true)
})

test('a hint issued to another client than client_id, or not ours at all, is refused', async () => {
  const { session, idToken } = await signedIn('mixed')
  const other = await get(session, { id_token_hint: idToken, client_id: 'rp-other' })
  assert.equal(other.status, 400)
  const forged = await get(session, { id_token_hint: `${idToken.slice(0, -4)}AAAA` })
  assert.equal(forged.status, 400)
  assert.equal(await alive(session), true)
})

test('without a hint the user confirms; the confirmation needs the session\u2019s CSRF token', async () => {
  const { session } = await signedIn('connie')
  const page = await get(session, { client_id: 'rp-logout', post_logout_redirect_uri: RETURN, state: 's1' })
  assert.equal(page.status, 200)
  assert.equal(page.headers.get('x-frame-options'), 'DENY')
  const html = await page.text()
  const csrf = /name="csrf_token" value="([^"]+)"/.exec(html)?.[1]
  assert.ok(csrf)
  assert.equal(await alive(session), true)
  const post = (fields: Record<string, string>, site = 'same-origin') =>
    fetch(`${h.t.url}/logout`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        cookie: session.cookie,
        'content-type': 'application/x-www-form-urlencoded',
        'sec-fetch-site': site,
      },
      body: new URLSearchParams(fields),
    })
  const base = { client_id: 'rp-logout', post_logout_redirect_uri: RETURN, state: 's1', logout: 'yes' }
  const forged = await post({ ...base, csrf_token: 'x'.repeat(43) })
  assert.equal(forged.status, 403)
  const crossSite = await post({ ...base, csrf_token: csrf }, 'cross-site')
  assert.equal(crossSite.status, 403)
  assert.equal(await alive(session), true)
  const stay = await post({ ...base, logout: 'no', csrf_token: csrf })
  assert.equal(stay.status, 303)
  assert.equal(await alive(session), true)
  const done = await post({ ...base, csrf_token: csrf })
  assert.equal(done.status, 303)
  assert.equal(done.headers.get('location'), `${RETURN}?state=s1`)
  assert.equal(await alive(session), false)
})

test('no session: nothing to end, straight back (or a signed-out page without a URI)', async () => {
  const back = await get(undefined, { client_id: 'rp-logout', post_logout_redirect_uri: RETURN })
  assert.equal(back.status, 303)
  const page = await get(undefined, {})
  assert.equal(page.status, 200)
  assert.match(await page.text(), /signed out/i)
  const korean = await get(undefined, { ui_locales: 'ko' })
  assert.match(await korean.text(), /로그아웃/)
})
