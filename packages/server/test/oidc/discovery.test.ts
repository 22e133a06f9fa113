/**
 * @module Discovery: `/.well-known/openid-configuration` carries every field a relying party (and the
 * OpenID certification's Config profile) looks for, the RFC 8414 document says the same, `issuer` is
 * exactly the configured issuer (or the address the server listens on), every endpoint hangs off it,
 * and the JWKS publishes an RS256 key beside the access-token key.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { loadConfig } from '../../src/index.js'
import { startTestServer, type TestServer } from '../helpers/test-server.js'

let t: TestServer
let fixed: TestServer
const ISSUER = 'https://id.example.test/tenant-a'

before(async () => {
  t = await startTestServer()
  fixed = await startTestServer({ issuer: ISSUER, demoClients: false })
})
after(async () => {
  await t?.cleanup()
  await fixed?.cleanup()
})

const json = async (server: TestServer, path: string) => {
  const response = await server.get(path)
  assert.equal(response.status, 200, path)
  assert.match(response.headers.get('content-type') ?? '', /^application\/json/)
  return (await response.json()) as Record<string, unknown>
}

test('openid-configuration: every field the issue lists, with the values the provider supports', async () => {
  const doc = await json(t, '/.well-known/openid-configuration')
  const issuer = t.url
  assert.equal(doc.issuer, issuer, 'the derived issuer is the listening address, no trailing slash')
  assert.equal(doc.authorization_endpoint, `${issuer}/authorize`)
  assert.equal(doc.token_endpoint, `${issuer}/token`)
  assert.equal(doc.userinfo_endpoint, `${issuer}/userinfo`)
  assert.equal(doc.jwks_uri, `${issuer}/.well-known/jwks.json`)
  assert.equal(doc.end_session_endpoint, `${issuer}/logout`)
  assert.equal(doc.revocation_endpoint, `${issuer}/oauth/revoke`)
  assert.equal(doc.introspection_endpoint, `${issuer}/oauth/introspect`)
  assert.deepEqual(doc.response_types_supported, ['code'])
  assert.deepEqual(doc.response_modes_supported, ['query'])
  assert.deepEqual(doc.grant_types_supported, ['authorization_code', 'refresh_token', 'client_credentials'])
  assert.deepEqual(doc.subject_types_supported, ['public'])
  assert.deepEqual(doc.id_token_signing_alg_values_supported, ['RS256', 'ES256', 'EdDSA'])
  assert.deepEqual(doc.code_challenge_methods_supported, ['S256'])
  assert.deepEqual(doc.token_endpoint_auth_methods_supported, [
    'client_secret_basic',
    'client_secret_post',
    'private_key_jwt',
    'none',
  ])
  assert.equal((doc.token_endpoint_auth_signing_alg_values_supported as string[]).includes('none'), false)
  for (const scope of ['openid', 'profile', 'email', 'offline_access', 'api'])
    assert.ok((doc.scopes_supported as string[]).includes(scope), scope)
  for (const claim of [
    'sub',
    'auth_time',
    'nonce',
    'amr',
    'sid',
    'at_hash',
    'name',
    'email',
    'email_verified',
  ])
    assert.ok((doc.claims_supported as string[]).includes(claim), claim)
  assert.equal(doc.authorization_response_iss_parameter_supported, true)
  assert.equal(doc.backchannel_logout_supported, true)
  assert.equal(doc.backchannel_logout_session_supported, true)
  assert.deepEqual(doc.ui_locales_supported, ['en', 'ko'])
  assert.equal(doc.request_parameter_supported, false)
  assert.equal(doc.request_uri_parameter_supported, false)
  assert.equal(doc.claims_parameter_supported, false)
  // No value is `none` anywhere an algorithm is listed.
  for (const [name, value] of Object.entries(doc))
    if (name.endsWith('_alg_values_supported'))
      assert.equal((value as string[]).includes('none'), false, name)
})

test('the RFC 8414 document says the same as the OpenID Connect one, token_endpoint included', async () => {
  const oidc = await json(t, '/.well-known/openid-configuration')
  const oauth = await json(t, '/.well-known/oauth-authorization-server')
  assert.deepEqual(oauth, oidc)
  assert.equal(oauth.token_endpoint, `${t.url}/token`)
})

test('a configured issuer (with a path) is published exactly, and every endpoint is under it', async () => {
  const doc = await json(fixed, '/.well-known/openid-configuration')
  assert.equal(doc.issuer, ISSUER)
  assert.equal(new URL(String(doc.issuer)).href, ISSUER, 'what a client given the issuer compares (its href)')
  for (const [name, value] of Object.entries(doc))
    if (name.endsWith('_endpoint') || name === 'jwks_uri')
      assert.ok(String(value).startsWith(`${ISSUER}/`), `${name}: ${String(value)}`)
})

test('the JWKS publishes one public key per algorithm in use, RSA with its modulus, no private part', async () => {
  const { keys } = (await json(t, '/.well-known/jwks.json')) as { keys: Record<string, string>[] }
  assert.deepEqual(keys.map((k) => k.alg).sort(), ['ES256', 'EdDSA', 'RS256'])
  const rsa = keys.find((k) => k.alg === 'RS256')!
  assert.equal(rsa.kty, 'RSA')
  assert.ok(rsa.n && rsa.n.length >= 342, 'a 2048-bit modulus')
  assert.equal(rsa.e, 'AQAB')
  for (const key of keys) {
    assert.equal(key.use, 'sig')
    assert.ok(key.kid)
    for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k']) assert.equal(secret in key, false)
  }
})

test('an issuer with a trailing slash under a path is refused at start; at the root it compares equal', () => {
  assert.throws(() => loadConfig({ issuer: `${ISSUER}/` }), {
    code: 'ERR_CONFIG_INVALID',
    message: /--issuer: write it without the trailing slash \(https:\/\/id\.example\.test\/tenant-a\)/,
  })
  const root = loadConfig({ issuer: 'https://id.example.test/' }).issuer!
  assert.equal(new URL(root.replace(/\/$/, '')).href, new URL(root).href)
})
