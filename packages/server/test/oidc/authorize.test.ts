/**
 * @module `/authorize` on a real server: the code flow from the login page to a code bound to what the
 * request asked, and every refusal — as an error page (never a redirect) while the client or its
 * redirect_uri is unproven, as a redirect carrying error, state and iss (RFC 9207) after that.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { hashCode } from '../../src/oidc/authorize/issue-code.js'
import {
  addUser,
  authorize,
  authorizeParams,
  browse,
  formFields,
  Jar,
  PASSWORD,
  redirectedTo,
  submitLogin,
  useHarness,
} from './authorize-fixtures.js'

const h = useHarness()

/** Signs `username` in through the login page of a first-party client and returns the browser. */
async function signedInBrowser(username: string): Promise<Jar> {
  const client = await h.addClient(`sso-${username}`, { firstParty: true })
  const jar = new Jar()
  const page = await authorize(h, jar, authorizeParams(client))
  const done = await submitLogin(h, jar, await page.text(), username)
  assert.equal(done.status, 303)
  return jar
}

const expectPage = async (response: Response, code: string) => {
  assert.equal(response.status, 400)
  assert.equal(response.headers.get('location'), null)
  assert.match(response.headers.get('content-type') ?? '', /^text\/html/)
  assert.match(await response.text(), new RegExp(code))
}

test('happy path: the login page, then a redirect with a code bound to client, redirect_uri, PKCE, nonce, scope and session', async () => {
  const userId = await addUser(h, 'happy')
  const client = await h.addClient('happy-app', { firstParty: true })
  const jar = new Jar()
  const jkt = 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs'
  const params = authorizeParams(client, {
    scope: 'openid email',
    resource: 'https://api.example/',
    dpop_jkt: jkt,
    acr_values: 'urn:mace:incommon:iap:silver',
    ui_locales: 'en',
  })
  const page = await authorize(h, jar, params)
  assert.equal(page.status, 200)
  const html = await page.text()
  assert.match(html, /name="username"/)
  assert.match(html, /name="password"/)
  assert.match(html, /App happy-app/)
  const done = await submitLogin(h, jar, html, 'happy')
  assert.equal(done.status, 303)
  const query = redirectedTo(done, client.redirectUris[0]!)
  assert.equal(query.get('state'), params.get('state'))
  assert.equal(query.get('iss'), h.t.url)
  const code = query.get('code')!
  assert.ok(Buffer.from(code, 'base64url').length >= 16, 'at least 128 bits')
  // Stored by hash only: consume it through the store to read what it is bound to.
  const consumed = await h.t.server.services.store.codes.consume(hashCode(code), h.now())
  assert.equal(consumed.outcome, 'consumed')
  if (consumed.outcome !== 'consumed') return
  const record = consumed.code
  assert.equal(record.clientId, client.id)
  assert.equal(record.userId, userId)
  assert.equal(record.redirectUri, client.redirectUris[0])
  assert.equal(record.codeChallenge, params.get('code_challenge'))
  assert.equal(record.nonce, params.get('nonce'))
  assert.equal(record.scope, 'openid email')
  assert.equal(record.resource, 'https://api.example/')
  assert.equal(record.dpopJkt, jkt)
  assert.deepEqual(record.amr, ['pwd'])
  assert.ok(record.expiresAt - record.createdAt <= 60_000)
  const session = await h.t.server.services.store.sessions.findBySid(record.sid)
  assert.equal(session?.userId, userId)
  const linked = await h.t.server.services.store.sessionClients.listForSession(record.sid)
  assert.deepEqual(linked, [{ clientId: client.id, userId }])
})

test('POST /authorize (form) works like GET', async () => {
  await addUser(h, 'poster')
  const client = await h.addClient('post-app', { firstParty: true })
  const jar = await signedInBrowser('poster')
  const response = await browse(h, jar, '/authorize', { form: authorizeParams(client) })
  assert.equal(response.status, 303)
  assert.ok(redirectedTo(response, client.redirectUris[0]!).get('code'))
})

test('an unknown client gets an error page, not a redirect', async () => {
  const params = authorizeParams({ id: 'nobody', redirectUris: ['https://evil.example/cb'] })
  await expectPage(await authorize(h, new Jar(), params), 'ERR_AUTHORIZE_CLIENT_UNKNOWN')
  const missing = authorizeParams(
    { id: 'x', redirectUris: ['https://evil.example/cb'] },
    { client_id: undefined },
  )
  await expectPage(await authorize(h, new Jar(), missing), 'ERR_AUTHORIZE_CLIENT_UNKNOWN')
})

test('a redirect_uri altered by extra path, query, fragment, another port or scheme, or a missing one gets an error page', async () => {
  const client = await h.addClient('strict-app')
  const registered = client.redirectUris[0]!
  for (const altered of [
    `${registered}/more`,
    `${registered}?x=1`,
    `${registered}#frag`,
    registered.replace('strict-app.example', 'strict-app.example:8443'),
    registered.replace('https:', 'http:'),
    registered.replace('/callback', '/callbacK'),
    `${registered}/`,
    undefined,
  ]) {
    const response = await authorize(h, new Jar(), authorizeParams(client, { redirect_uri: altered }))
    await expectPage(response, 'ERR_AUTHORIZE_REDIRECT_URI')
  }
})

test('a loopback redirect_uri may differ only in its port (RFC 8252 §7.3)', async () => {
  await addUser(h, 'native')
  const client = await h.addClient('native-app', {
    firstParty: true,
    redirectUris: ['http://127.0.0.1:8765/cb'],
  })
  const jar = await signedInBrowser('native')
  const ok = await authorize(h, jar, authorizeParams(client, { redirect_uri: 'http://127.0.0.1:51234/cb' }))
  assert.equal(ok.status, 302)
  assert.ok(redirectedTo(ok, 'http://127.0.0.1:51234/cb').get('code'))
  for (const altered of [
    'http://127.0.0.1:51234/other',
    'http://localhost:51234/cb',
    'http://127.0.0.2:8765/cb',
  ]) {
    await expectPage(
      await authorize(h, jar, authorizeParams(client, { redirect_uri: altered })),
      'ERR_AUTHORIZE_REDIRECT_URI',
    )
  }
})

test('client_id or redirect_uri sent twice gets an error page', async () => {
  const client = await h.addClient('twice-app')
  const params = authorizeParams(client)
  params.append('redirect_uri', 'https://evil.example/cb')
  await expectPage(await authorize(h, new Jar(), params), 'ERR_AUTHORIZE_REQUEST_INVALID')
  const ids = authorizeParams(client)
  ids.append('client_id', client.id)
  await expectPage(await authorize(h, new Jar(), ids), 'ERR_AUTHORIZE_REQUEST_INVALID')
})

/** Refusals after the client is proven: a redirect with error, error_description, state and iss. */
const refusals: [string, Record<string, string | undefined>, string][] = [
  ['response_type=token', { response_type: 'token' }, 'unsupported_response_type'],
  ['response_type=code id_token', { response_type: 'code id_token' }, 'unsupported_response_type'],
  ['no response_type', { response_type: undefined }, 'invalid_request'],
  ['PKCE missing', { code_challenge: undefined, code_challenge_method: undefined }, 'invalid_request'],
  ['PKCE plain', { code_challenge_method: 'plain' }, 'invalid_request'],
  ['PKCE method missing (means plain)', { code_challenge_method: undefined }, 'invalid_request'],
  ['PKCE challenge malformed', { code_challenge: 'short' }, 'invalid_request'],
  ['scope without openid', { scope: 'profile' }, 'invalid_scope'],
  ['unknown scope', { scope: 'openid admin' }, 'invalid_scope'],
  ['prompt=none with login', { prompt: 'none login' }, 'invalid_request'],
  ['unknown prompt', { prompt: 'sometimes' }, 'invalid_request'],
  ['max_age not a number', { max_age: '-1' }, 'invalid_request'],
  ['resource not absolute', { resource: '/api' }, 'invalid_target'],
  ['resource with fragment', { resource: 'https://api.example/#x' }, 'invalid_target'],
  ['dpop_jkt malformed', { dpop_jkt: 'abc' }, 'invalid_request'],
  ['request object', { request: 'eyJhbGciOiJub25lIn0.e30.' }, 'request_not_supported'],
  ['request_uri', { request_uri: 'urn:x' }, 'request_uri_not_supported'],
  ['response_mode=fragment', { response_mode: 'fragment' }, 'invalid_request'],
  ['id_token_hint that is not ours', { id_token_hint: 'eyJhbGciOiJFUzI1NiJ9.e30.AAAA' }, 'invalid_request'],
]

for (const [name, overrides, error] of refusals) {
  test(`refused by redirect: ${name} → ${error}`, async () => {
    const client = await h.addClient(`refuse-${name.replace(/[^a-z]/gi, '').toLowerCase()}`)
    const params = authorizeParams(client, overrides)
    const response = await authorize(h, new Jar(), params)
    assert.equal(response.status, 302)
    const query = redirectedTo(response, client.redirectUris[0]!)
    assert.equal(query.get('error'), error)
    assert.ok((query.get('error_description') ?? '').length > 0)
    assert.equal(query.get('state'), params.get('state'))
    assert.equal(query.get('iss'), h.t.url)
    assert.equal(query.get('code'), null)
  })
}

test('a repeated parameter other than client_id/redirect_uri is invalid_request by redirect, without echoing a doubled state', async () => {
  const client = await h.addClient('dup-app')
  const params = authorizeParams(client)
  params.append('scope', 'openid email')
  const response = await authorize(h, new Jar(), params)
  const query = redirectedTo(response, client.redirectUris[0]!)
  assert.equal(query.get('error'), 'invalid_request')
  assert.equal(query.get('state'), params.get('state'))
  const states = authorizeParams(client)
  states.append('state', 'second')
  const twice = redirectedTo(await authorize(h, new Jar(), states), client.redirectUris[0]!)
  assert.equal(twice.get('error'), 'invalid_request')
  assert.equal(twice.get('state'), null)
})

test('a client not registered for the code grant is unauthorized_client', async () => {
  const client = await h.addClient('machine-app', { grantTypes: ['client_credentials'] })
  const query = redirectedTo(await authorize(h, new Jar(), authorizeParams(client)), client.redirectUris[0]!)
  assert.equal(query.get('error'), 'unauthorized_client')
})

test('unknown parameters are ignored', async () => {
  const client = await h.addClient('extra-app')
  const response = await authorize(h, new Jar(), authorizeParams(client, { foo: 'bar', claims: '{}' }))
  assert.equal(response.status, 200)
})

test('the redirect_uri keeps its own query, and the code is added to it', async () => {
  await addUser(h, 'querier')
  const client = await h.addClient('query-app', {
    firstParty: true,
    redirectUris: ['https://query-app.example/cb?tenant=a'],
  })
  const jar = await signedInBrowser('querier')
  const response = await authorize(h, jar, authorizeParams(client))
  const location = new URL(response.headers.get('location')!)
  assert.equal(location.searchParams.get('tenant'), 'a')
  assert.ok(location.searchParams.get('code'))
})

test('prompt=none without a session → login_required with iss and state', async () => {
  const client = await h.addClient('silent-app')
  const params = authorizeParams(client, { prompt: 'none' })
  const response = await authorize(h, new Jar(), params)
  const query = redirectedTo(response, client.redirectUris[0]!)
  assert.equal(query.get('error'), 'login_required')
  assert.equal(query.get('state'), params.get('state'))
  assert.equal(query.get('iss'), h.t.url)
})

test('no log line holds the code, the password, the sealed request, its CSRF token or the query', async () => {
  await addUser(h, 'quietlog')
  const client = await h.addClient('log-app', { firstParty: true })
  const jar = new Jar()
  const params = authorizeParams(client, { login_hint: 'quietlog' })
  const page = await authorize(h, jar, params)
  const html = await page.text()
  const { interaction, csrf } = formFields(html)
  const wrong = await submitLogin(h, jar, html, 'quietlog', 'a wrong password here')
  assert.equal(wrong.status, 401)
  const done = await submitLogin(h, jar, await wrong.text(), 'quietlog')
  const code = redirectedTo(done, client.redirectUris[0]!).get('code')!
  await expectPage(
    await authorize(h, new Jar(), authorizeParams({ id: 'ghost', redirectUris: ['https://x.example/'] })),
    'ERR_AUTHORIZE_CLIENT_UNKNOWN',
  )
  const logs = h.t.logs.join('\n')
  for (const secret of [
    code,
    PASSWORD,
    'a wrong password here',
    interaction.slice(0, 40),
    csrf,
    params.get('state')!,
    params.get('nonce')!,
    params.get('code_challenge')!,
  ])
    assert.ok(!logs.includes(secret), `a log line holds ${secret.slice(0, 12)}…`)
  assert.match(logs, /ERR_AUTHORIZE_CLIENT_UNKNOWN/)
  assert.match(logs, /ERR_AUTH_CREDENTIALS_INVALID/)
})
