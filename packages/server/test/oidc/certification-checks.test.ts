/**
 * @module The checks the OpenID certification suite makes for the Basic and Config OP profiles, as our
 * own tests on a real server driven through its pages and `/token` the way the suite's client does (a
 * confidential client_secret_basic client, code + PKCE), each named after the suite's check. Where
 * another oidc test covers a check in depth, the case here stays short and end to end.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { createLocalJWKSet, decodeProtectedHeader, type JWTPayload, jwtVerify } from 'jose'
import type { OAuthClientRecord } from '../../src/store/types.js'
import {
  authorize,
  authorizeParams,
  type Harness,
  Jar,
  pkce,
  redirectedTo,
  startHarness,
  submitLogin,
} from './authorize-fixtures.js'
import { addConfidential, basic, token } from './token-fixtures.js'

interface Rp {
  client: OAuthClientRecord
  secret: string
}

let h: Harness
let rp: Rp
let other: Rp
const users = new Map<string, string>()

before(async () => {
  h = await startHarness()
  rp = await addConfidential(h, 'cert-rp', { firstParty: true })
  other = await addConfidential(h, 'cert-other', { firstParty: true })
  const { store } = h.t.server.services
  for (const username of ['ada', 'bob']) {
    const response = await h.t.post('/auth/register', {
      username,
      password: 'correct horse battery staple',
    })
    assert.equal(response.status, 201)
    const user = await store.users.findByUsername(username)
    await store.users.setProfile(
      user!.id,
      { name: `Name of ${username}`, email: `${username}@example.com`, emailVerified: true },
      h.now(),
    )
    users.set(username, user!.id)
  }
})
after(() => h.t.cleanup())

interface SignedIn {
  tokens: Record<string, unknown>
  idToken: JWTPayload
  /** Whether a password was typed on the way (false: the provider session answered). */
  typed: boolean
}

/** The ID token checked as a relying party does: RS256, from the JWKS, our issuer, this client. */
async function verifyIdToken(idToken: unknown, client: OAuthClientRecord): Promise<JWTPayload> {
  assert.equal(typeof idToken, 'string', 'an ID token in the token response')
  const jwks = createLocalJWKSet(await (await h.t.get('/.well-known/jwks.json')).json())
  const { payload } = await jwtVerify(idToken as string, jwks, {
    issuer: h.t.url,
    audience: client.id,
    algorithms: ['RS256'],
    currentDate: new Date(h.now()),
  })
  return payload
}

/** /authorize for `rp`'s client → the login page when asked (typing `username`'s password) → the code. */
async function authorizeCode(
  jar: Jar,
  username: string,
  overrides: Record<string, string | undefined> = {},
  client = rp.client,
): Promise<{ code: string; verifier: string; typed: boolean }> {
  const { verifier, challenge } = pkce()
  const params = authorizeParams(client, { code_challenge: challenge, ...overrides })
  let response = await authorize(h, jar, params)
  let typed = false
  if (response.status === 200) {
    const html = await response.text()
    assert.match(html, /name="password"/, 'the login page')
    response = await submitLogin(h, jar, html, username)
    typed = true
  }
  const query = redirectedTo(response, client.redirectUris[0]!)
  assert.equal(query.get('error'), null, query.get('error_description') ?? '')
  assert.equal(query.get('state'), params.get('state'))
  assert.equal(query.get('iss'), h.t.url)
  return { code: query.get('code')!, verifier, typed }
}

const redeem = (code: string, verifier: string, client = rp) =>
  token(
    h,
    {
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      redirect_uri: client.client.redirectUris[0]!,
    },
    basic(client.client.id, client.secret),
  )

async function signIn(
  jar: Jar,
  username: string,
  overrides: Record<string, string | undefined> = {},
): Promise<SignedIn> {
  const { code, verifier, typed } = await authorizeCode(jar, username, overrides)
  const answer = await redeem(code, verifier)
  assert.equal(answer.status, 200, JSON.stringify(answer.body))
  return { tokens: answer.body, idToken: await verifyIdToken(answer.body.id_token, rp.client), typed }
}

async function userinfo(accessToken: unknown, how: 'GET' | 'POST' | 'POST-body') {
  const response = await fetch(`${h.t.url}/userinfo`, {
    method: how === 'GET' ? 'GET' : 'POST',
    headers:
      how === 'POST-body'
        ? { 'content-type': 'application/x-www-form-urlencoded' }
        : { authorization: `Bearer ${accessToken}` },
    ...(how === 'POST-body' ? { body: new URLSearchParams({ access_token: String(accessToken) }) } : {}),
  })
  const text = await response.text()
  return { status: response.status, type: response.headers.get('content-type'), body: JSON.parse(text) }
}

test('OP-Discovery-Config (oidcc-discovery-endpoint-verification): every field the issue lists, issuer exact', async () => {
  const response = await h.t.get('/.well-known/openid-configuration')
  assert.equal(response.status, 200)
  assert.match(response.headers.get('content-type') ?? '', /^application\/json/)
  const doc = (await response.json()) as Record<string, unknown>
  // Exactly the URL the client was given: no trailing slash, same host.
  assert.equal(doc.issuer, h.t.url)
  for (const [field, path] of Object.entries({
    authorization_endpoint: '/authorize',
    token_endpoint: '/token',
    userinfo_endpoint: '/userinfo',
    jwks_uri: '/.well-known/jwks.json',
    end_session_endpoint: '/logout',
    revocation_endpoint: '/oauth/revoke',
    introspection_endpoint: '/oauth/introspect',
  }))
    assert.equal(doc[field], `${h.t.url}${path}`, field)
  assert.deepEqual(doc.response_types_supported, ['code'])
  assert.ok(Array.isArray(doc.response_modes_supported) && doc.response_modes_supported.includes('query'))
  assert.deepEqual(doc.grant_types_supported, ['authorization_code', 'refresh_token', 'client_credentials'])
  assert.deepEqual(doc.subject_types_supported, ['public'])
  const algs = doc.id_token_signing_alg_values_supported as string[]
  assert.equal(algs[0], 'RS256')
  for (const alg of ['ES256', 'EdDSA']) assert.ok(algs.includes(alg), alg)
  assert.ok(!algs.includes('none'))
  assert.deepEqual(doc.code_challenge_methods_supported, ['S256'])
  assert.deepEqual([...(doc.token_endpoint_auth_methods_supported as string[])].sort(), [
    'client_secret_basic',
    'client_secret_post',
    'none',
    'private_key_jwt',
  ])
  for (const scope of ['openid', 'profile', 'email', 'offline_access'])
    assert.ok((doc.scopes_supported as string[]).includes(scope), scope)
  for (const claim of ['sub', 'iss', 'auth_time', 'name', 'email', 'email_verified', 'preferred_username'])
    assert.ok((doc.claims_supported as string[]).includes(claim), claim)
  assert.equal(doc.authorization_response_iss_parameter_supported, true)
  assert.equal(doc.backchannel_logout_supported, true)
  assert.equal(doc.backchannel_logout_session_supported, true)
  assert.deepEqual(doc.ui_locales_supported, ['en', 'ko'])
  assert.equal(doc.request_parameter_supported, false)
  const rfc8414 = await (await h.t.get('/.well-known/oauth-authorization-server')).json()
  assert.deepEqual(rfc8414, doc)
})

test('OP-IDToken-RS256 (oidcc-server): the ID token is RS256 by default and jose verifies it against the JWKS', async () => {
  const signedIn = await signIn(new Jar(), 'ada')
  assert.equal(decodeProtectedHeader(signedIn.tokens.id_token as string).alg, 'RS256')
  assert.equal(signedIn.idToken.sub, users.get('ada'))
  for (const claim of ['iat', 'exp', 'auth_time', 'sid', 'at_hash', 'nonce'])
    assert.ok(signedIn.idToken[claim] !== undefined, claim)
})

test('OP-IDToken-none (alg none never): no unsigned ID token is published, issued or accepted back as a hint', async () => {
  const jar = new Jar()
  const signedIn = await signIn(jar, 'ada')
  const [, payload] = (signedIn.tokens.id_token as string).split('.')
  const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`
  const params = authorizeParams(rp.client, { prompt: 'none', id_token_hint: unsigned })
  const query = redirectedTo(await authorize(h, jar, params), rp.client.redirectUris[0]!)
  assert.equal(query.get('code'), null)
  assert.equal(query.get('error'), 'invalid_request')
})

test('OP-OAuth-2nd (oidcc-codereuse): a second redemption is invalid_grant and what the first issued is revoked', async () => {
  const { code, verifier } = await authorizeCode(new Jar(), 'ada', { scope: 'openid offline_access' })
  const first = await redeem(code, verifier)
  assert.equal(first.status, 200)
  const second = await redeem(code, verifier)
  assert.equal(second.status, 400)
  assert.equal(second.body.error, 'invalid_grant')
  assert.equal((await userinfo(first.body.access_token, 'GET')).status, 401)
  const refresh = await token(
    h,
    { grant_type: 'refresh_token', refresh_token: first.body.refresh_token as string },
    basic(rp.client.id, rp.secret),
  )
  assert.equal(refresh.body.error, 'invalid_grant')
})

test('OP-prompt-none-NotLoggedIn (oidcc-prompt-none-not-logged-in): login_required by redirect, with state and iss', async () => {
  const params = authorizeParams(rp.client, { prompt: 'none' })
  const query = redirectedTo(await authorize(h, new Jar(), params), rp.client.redirectUris[0]!)
  assert.equal(query.get('error'), 'login_required')
  assert.equal(query.get('state'), params.get('state'))
  assert.equal(query.get('iss'), h.t.url)
  assert.equal(query.get('code'), null)
})

test('OP-prompt-none-LoggedIn (oidcc-prompt-none-logged-in): signed in, prompt=none gives a code for the same sub', async () => {
  const jar = new Jar()
  const first = await signIn(jar, 'ada')
  const again = await signIn(jar, 'ada', { prompt: 'none' })
  assert.equal(again.typed, false)
  assert.equal(again.idToken.sub, first.idToken.sub)
})

test('OP-Req-max_age=1 (oidcc-max-age-1): after the clock moves, the password again and a later auth_time', async () => {
  const jar = new Jar()
  const first = await signIn(jar, 'ada')
  h.advance(2_000)
  const again = await signIn(jar, 'ada', { max_age: '1' })
  assert.equal(again.typed, true, 'asked to log in again')
  assert.equal(typeof again.idToken.auth_time, 'number')
  assert.ok((again.idToken.auth_time as number) > (first.idToken.auth_time as number))
})

test('OP-prompt-login (oidcc-prompt-login): signed in, prompt=login asks again and auth_time moves forward', async () => {
  const jar = new Jar()
  const first = await signIn(jar, 'ada')
  h.advance(3_000)
  const again = await signIn(jar, 'ada', { prompt: 'login' })
  assert.equal(again.typed, true)
  assert.ok((again.idToken.auth_time as number) > (first.idToken.auth_time as number))
  assert.equal(again.idToken.sub, first.idToken.sub)
})

test('OP-UserInfo-Endpoint (oidcc-userinfo-get) and OP-UserInfo-Header (oidcc-userinfo-post-header)', async () => {
  const { tokens, idToken } = await signIn(new Jar(), 'ada')
  for (const how of ['GET', 'POST'] as const) {
    const answer = await userinfo(tokens.access_token, how)
    assert.equal(answer.status, 200, how)
    assert.match(answer.type ?? '', /^application\/json/)
    assert.equal(answer.body.sub, idToken.sub, how)
  }
})

test('OP-UserInfo-Body (oidcc-userinfo-post-body): the access token in a form body (RFC 6750 §2.2)', async () => {
  const { tokens, idToken } = await signIn(new Jar(), 'ada')
  const answer = await userinfo(tokens.access_token, 'POST-body')
  assert.equal(answer.status, 200, JSON.stringify(answer.body))
  assert.equal(answer.body.sub, idToken.sub)
})

test('userinfo refuses a token sent twice (header and body) and a body token that is not a Bearer token', async () => {
  const { tokens } = await signIn(new Jar(), 'ada')
  const both = await fetch(`${h.t.url}/userinfo`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Bearer ${tokens.access_token}`,
    },
    body: new URLSearchParams({ access_token: String(tokens.access_token) }),
  })
  assert.equal(both.status, 400)
  assert.equal(((await both.json()) as { error: string }).error, 'invalid_request')
  const junk = await userinfo('not a token!', 'POST-body')
  assert.equal(junk.status, 401)
  assert.equal(junk.body.error, 'invalid_token')
})

test('OP-Refresh (oidcc-refresh-token): rotates for its own client with the same sub; another client gets invalid_grant', async () => {
  const { tokens, idToken } = await signIn(new Jar(), 'ada', { scope: 'openid offline_access' })
  assert.equal(typeof tokens.refresh_token, 'string')
  const own = await token(
    h,
    { grant_type: 'refresh_token', refresh_token: tokens.refresh_token as string },
    basic(rp.client.id, rp.secret),
  )
  assert.equal(own.status, 200, JSON.stringify(own.body))
  const refreshed = await verifyIdToken(own.body.id_token, rp.client)
  assert.equal(refreshed.sub, idToken.sub)
  assert.equal(refreshed.auth_time, idToken.auth_time)
  const stolen = await token(
    h,
    { grant_type: 'refresh_token', refresh_token: own.body.refresh_token as string },
    basic(other.client.id, other.secret),
  )
  assert.equal(stolen.status, 400)
  assert.equal(stolen.body.error, 'invalid_grant')
  assert.equal(stolen.body.access_token, undefined)
})

test('OP-redirect_uri-NotReg (oidcc-ensure-registered-redirect-uri): an error page, never a redirect', async () => {
  const params = authorizeParams(rp.client, { redirect_uri: 'https://attacker.example/callback' })
  const response = await authorize(h, new Jar(), params)
  assert.equal(response.status, 400)
  assert.equal(response.headers.get('location'), null)
  assert.doesNotMatch(await response.text(), /attacker\.example\/callback\?/)
})

test('OP-nonce-noReq-code (oidcc-ensure-request-without-nonce-succeeds-for-code-flow): no nonce in, none out', async () => {
  const { idToken } = await signIn(new Jar(), 'ada', { nonce: undefined })
  assert.equal(idToken.nonce, undefined)
})

test('OP-scope-profile (oidcc-scope-profile): profile claims at userinfo, no email', async () => {
  const { tokens } = await signIn(new Jar(), 'ada', { scope: 'openid profile' })
  const { body } = await userinfo(tokens.access_token, 'GET')
  assert.equal(body.preferred_username, 'ada')
  assert.equal(body.name, 'Name of ada')
  assert.equal(typeof body.updated_at, 'number')
  assert.equal(body.email, undefined)
  assert.equal(body.email_verified, undefined)
})

test('OP-scope-email (oidcc-scope-email): email claims at userinfo, no profile', async () => {
  const { tokens } = await signIn(new Jar(), 'ada', { scope: 'openid email' })
  const { body } = await userinfo(tokens.access_token, 'GET')
  assert.equal(body.email, 'ada@example.com')
  assert.equal(body.email_verified, true)
  assert.equal(body.name, undefined)
  assert.equal(body.preferred_username, undefined)
})

test('OP-Req-id_token_hint (oidcc-id-token-hint): the current user’s hint signs in silently; another user’s is login_required', async () => {
  const jar = new Jar()
  const ada = await signIn(jar, 'ada')
  const silent = await signIn(jar, 'ada', {
    prompt: 'none',
    id_token_hint: ada.tokens.id_token as string,
  })
  assert.equal(silent.typed, false)
  assert.equal(silent.idToken.sub, ada.idToken.sub)
  const bob = await signIn(new Jar(), 'bob')
  const params = authorizeParams(rp.client, { prompt: 'none', id_token_hint: bob.tokens.id_token as string })
  const query = redirectedTo(await authorize(h, jar, params), rp.client.redirectUris[0]!)
  assert.equal(query.get('error'), 'login_required')
  assert.equal(query.get('code'), null)
})

test('OP-Rotation-OP-Sig (Config profile): after a rotation the ID token has a new kid, found in the re-fetched JWKS', async () => {
  const jar = new Jar()
  const earlier = await signIn(jar, 'ada')
  const oldKid = decodeProtectedHeader(earlier.tokens.id_token as string).kid
  await h.t.server.services.keys.rotate()
  // Published first, signing only once caches have had time to fetch it (jwksMaxAge).
  h.advance(h.t.config.jwksMaxAge * 1000)
  const later = await signIn(jar, 'ada', { prompt: 'none' })
  const newKid = decodeProtectedHeader(later.tokens.id_token as string).kid
  assert.notEqual(newKid, oldKid)
  const kids = (
    (await (await h.t.get('/.well-known/jwks.json')).json()) as { keys: { kid: string }[] }
  ).keys.map((k) => k.kid)
  assert.ok(kids.includes(oldKid!), 'the old key stays published for the tokens it signed')
  assert.ok(kids.includes(newKid!))
})
