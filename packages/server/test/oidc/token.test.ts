/**
 * @module `/token` on a real server: the authorization_code grant (tokens, ID token checked with `jose`
 * against our JWKS, at_hash) and every way a code is refused — replay (and the first redemption's tokens
 * revoked), another client, PKCE missing or wrong, another redirect_uri, expiry — the refresh_token grant
 * bound to its client, client_credentials for confidential clients only, resource indicators, and the
 * endpoint's own rules (form only, one value per parameter, no-store on every answer).
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose'
import { accessTokenHash } from '../../src/oidc/id-token.js'
import { type Harness, startHarness } from './authorize-fixtures.js'
import {
  addConfidential,
  basic,
  issueCode,
  type ProviderSession,
  providerSession,
  redeem,
  token,
  userinfo,
} from './token-fixtures.js'

let h: Harness
let alice: ProviderSession

before(async () => {
  h = await startHarness()
  alice = await providerSession(h, 'alice')
  await h.addClient('app-a')
  await h.addClient('app-b')
})
after(() => h.t.cleanup())

const jwks = async () => createLocalJWKSet(await (await h.t.get('/.well-known/jwks.json')).json())

test('a code redeemed once gives an access token, a refresh token and an ID token that jose verifies, at_hash included', async () => {
  const issued = await issueCode(
    h,
    { id: 'app-a', redirectUris: ['https://app-a.example/callback'] },
    alice,
    {
      scope: 'openid profile email offline_access',
    },
  )
  const { status, body, headers } = await redeem(h, 'app-a', issued)
  assert.equal(status, 200, JSON.stringify(body))
  assert.equal(headers.get('cache-control'), 'no-store')
  assert.equal(headers.get('pragma'), 'no-cache')
  assert.equal(body.token_type, 'Bearer')
  assert.equal(body.scope, 'openid profile email offline_access')
  assert.equal(typeof body.refresh_token, 'string')
  const idToken = body.id_token as string
  assert.equal(decodeProtectedHeader(idToken).typ, 'JWT')
  assert.equal(decodeProtectedHeader(idToken).alg, 'RS256')
  const { payload } = await jwtVerify(idToken, await jwks(), {
    issuer: h.t.url,
    audience: 'app-a',
    algorithms: ['RS256'],
    currentDate: new Date(h.now()),
  })
  assert.equal(payload.sub, alice.userId)
  assert.equal(payload.sid, alice.sid)
  assert.equal(payload.nonce, 'n-0S6_WzA2Mj')
  assert.deepEqual(payload.amr, ['pwd'])
  assert.equal(payload.auth_time, Math.floor((h.now() - 5000) / 1000))
  assert.equal(payload.azp, undefined)
  assert.equal(payload.at_hash, accessTokenHash(body.access_token as string, 'RS256'))
  // at_hash by hand, as a relying party computes it: the left half of SHA-256, base64url.
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(body.access_token as string))
  assert.equal(payload.at_hash, Buffer.from(digest.slice(0, 16)).toString('base64url'))
  // The access token is an RFC 9068 JWT for this client.
  const access = await jwtVerify(body.access_token as string, await jwks(), {
    issuer: h.t.url,
    audience: 'tessera',
    typ: 'at+jwt',
    currentDate: new Date(h.now()),
  })
  assert.equal(access.payload.client_id, 'app-a')
  assert.equal(access.payload.scope, 'openid profile email offline_access')
  assert.equal((await userinfo(h, body.access_token as string)).status, 200)
})

test('a request without nonce gets an ID token without nonce; without offline_access no refresh token for a client not registered for it', async () => {
  await h.addClient('plain', { grantTypes: ['authorization_code'] })
  const issued = await issueCode(
    h,
    { id: 'plain', redirectUris: ['https://plain.example/callback'] },
    alice,
    {
      nonce: null,
    },
  )
  const { status, body } = await redeem(h, 'plain', issued)
  assert.equal(status, 200)
  assert.equal(body.refresh_token, undefined)
  const { payload } = await jwtVerify(body.id_token as string, await jwks(), {
    currentDate: new Date(h.now()),
  })
  assert.equal('nonce' in payload, false)
})

test('code replay: invalid_grant, and what the first redemption issued is revoked (refresh refused, userinfo refused)', async () => {
  const issued = await issueCode(
    h,
    { id: 'app-a', redirectUris: ['https://app-a.example/callback'] },
    alice,
    {
      scope: 'openid offline_access',
    },
  )
  const first = await redeem(h, 'app-a', issued)
  assert.equal(first.status, 200)
  const second = await redeem(h, 'app-a', issued)
  assert.equal(second.status, 400)
  assert.equal(second.body.error, 'invalid_grant')
  assert.equal(second.body.code, 'ERR_OAUTH_GRANT_INVALID')
  assert.equal(second.body.access_token, undefined)
  const refreshed = await token(h, {
    grant_type: 'refresh_token',
    refresh_token: first.body.refresh_token as string,
    client_id: 'app-a',
  })
  assert.equal(refreshed.status, 400)
  assert.equal(refreshed.body.error, 'invalid_grant')
  const info = await userinfo(h, first.body.access_token as string)
  assert.equal(info.status, 401)
  assert.match(info.headers.get('www-authenticate') ?? '', /error="invalid_token"/)
})

test('a code redeemed by another client: invalid_grant, nothing issued', async () => {
  const issued = await issueCode(h, { id: 'app-a', redirectUris: ['https://app-a.example/callback'] }, alice)
  const { status, body } = await redeem(h, 'app-b', issued)
  assert.equal(status, 400)
  assert.equal(body.error, 'invalid_grant')
  assert.equal(body.access_token, undefined)
})

test('PKCE: a missing verifier, a wrong one and a malformed one are invalid_grant', async () => {
  const client = { id: 'app-a', redirectUris: ['https://app-a.example/callback'] }
  for (const verifier of [undefined, 'x'.repeat(43), 'short', `${'a'.repeat(42)}!`]) {
    const issued = await issueCode(h, client, alice)
    const form: Record<string, string> = {
      grant_type: 'authorization_code',
      code: issued.code,
      redirect_uri: issued.redirectUri,
      client_id: 'app-a',
      ...(verifier === undefined ? {} : { code_verifier: verifier }),
    }
    const { status, body } = await token(h, form)
    assert.equal(status, 400, String(verifier))
    assert.equal(body.error, 'invalid_grant', String(verifier))
  }
})

test('a redirect_uri that differs from the authorization request (even by a slash or a query) is invalid_grant', async () => {
  const client = { id: 'app-a', redirectUris: ['https://app-a.example/callback'] }
  for (const uri of [
    'https://app-a.example/callback/',
    'https://app-a.example/callback?x=1',
    'https://app-a.example/other',
  ]) {
    const issued = await issueCode(h, client, alice)
    const { status, body } = await redeem(h, 'app-a', { ...issued, redirectUri: uri })
    assert.equal(status, 400, uri)
    assert.equal(body.error, 'invalid_grant', uri)
  }
  const issued = await issueCode(h, client, alice)
  const missing = await token(h, {
    grant_type: 'authorization_code',
    code: issued.code,
    code_verifier: issued.verifier,
    client_id: 'app-a',
  })
  assert.equal(missing.status, 400)
  assert.equal(missing.body.error, 'invalid_request')
})

test('an expired code (60 s) and an unknown code are invalid_grant', async () => {
  const issued = await issueCode(h, { id: 'app-a', redirectUris: ['https://app-a.example/callback'] }, alice)
  h.advance(61_000)
  const late = await redeem(h, 'app-a', issued)
  assert.equal(late.status, 400)
  assert.equal(late.body.error, 'invalid_grant')
  const unknown = await redeem(h, 'app-a', { ...issued, code: 'no-such-code' })
  assert.equal(unknown.body.error, 'invalid_grant')
})

test('refresh: rotates for its own client, with a fresh ID token; another client presenting it gets invalid_grant', async () => {
  const issued = await issueCode(
    h,
    { id: 'app-a', redirectUris: ['https://app-a.example/callback'] },
    alice,
    {
      scope: 'openid offline_access',
    },
  )
  const first = await redeem(h, 'app-a', issued)
  const stolen = await token(h, {
    grant_type: 'refresh_token',
    refresh_token: first.body.refresh_token as string,
    client_id: 'app-b',
  })
  assert.equal(stolen.status, 400)
  assert.equal(stolen.body.error, 'invalid_grant')
  const own = await token(h, {
    grant_type: 'refresh_token',
    refresh_token: first.body.refresh_token as string,
    client_id: 'app-a',
  })
  assert.equal(own.status, 200, JSON.stringify(own.body))
  assert.notEqual(own.body.refresh_token, first.body.refresh_token)
  const { payload } = await jwtVerify(own.body.id_token as string, await jwks(), {
    audience: 'app-a',
    currentDate: new Date(h.now()),
  })
  assert.equal(payload.sub, alice.userId)
  assert.equal(payload.sid, alice.sid)
  assert.equal('nonce' in payload, false)
  assert.equal(payload.at_hash, accessTokenHash(own.body.access_token as string, 'RS256'))
  const wider = await token(h, {
    grant_type: 'refresh_token',
    refresh_token: own.body.refresh_token as string,
    client_id: 'app-a',
    scope: 'openid email',
  })
  assert.equal(wider.body.error, 'invalid_scope')
})

test('client_credentials: a confidential client gets a token about itself (no refresh, no ID token); a public client is refused', async () => {
  const { secret } = await addConfidential(h, 'batch')
  const { status, body } = await token(h, { grant_type: 'client_credentials' }, basic('batch', secret))
  assert.equal(status, 200, JSON.stringify(body))
  assert.equal(body.refresh_token, undefined)
  assert.equal(body.id_token, undefined)
  assert.equal(body.scope, 'api')
  const { payload } = await jwtVerify(body.access_token as string, await jwks(), {
    typ: 'at+jwt',
    audience: 'tessera',
    currentDate: new Date(h.now()),
  })
  assert.equal(payload.sub, 'batch')
  assert.equal(payload.client_id, 'batch')
  assert.equal(payload.sid, undefined)
  // It names no user: /userinfo refuses it, introspection reports it active.
  assert.equal((await userinfo(h, body.access_token as string)).status, 401)
  assert.equal((await h.t.introspect(body.access_token as string)).active, true)
  const user = await token(h, { grant_type: 'client_credentials', scope: 'openid' }, basic('batch', secret))
  assert.equal(user.body.error, 'invalid_scope')
  const pub = await token(h, { grant_type: 'client_credentials', client_id: 'app-a' })
  assert.equal(pub.status, 400)
  assert.equal(pub.body.error, 'unauthorized_client')
  assert.equal(pub.body.access_token, undefined)
})

test('resource: a registered resource becomes the aud; an unregistered one is invalid_target', async () => {
  const t = h.t
  // The harness server has no --resource: every resource is unregistered there.
  const { secret } = await addConfidential(h, 'reporter')
  const refused = await token(
    h,
    { grant_type: 'client_credentials', resource: 'https://api.example' },
    basic('reporter', secret),
  )
  assert.equal(refused.status, 400)
  assert.equal(refused.body.error, 'invalid_target')
  assert.ok(t)
})

test('the endpoint: unknown grant_type, a JSON body, a repeated parameter; errors are no-store too', async () => {
  const unknown = await token(h, { grant_type: 'password', client_id: 'app-a' })
  assert.equal(unknown.status, 400)
  assert.equal(unknown.body.error, 'unsupported_grant_type')
  assert.equal(unknown.headers.get('cache-control'), 'no-store')
  assert.equal(unknown.headers.get('pragma'), 'no-cache')
  const json = await h.t.post('/token', { grant_type: 'client_credentials' })
  assert.equal(json.status, 415)
  const repeated = await fetch(`${h.t.url}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=authorization_code&code=a&code=b&client_id=notes',
  })
  assert.equal(repeated.status, 400)
  assert.equal(((await repeated.json()) as { error: string }).error, 'invalid_request')
})

test('no code, verifier, secret or token reaches the log', async () => {
  const { secret } = await addConfidential(h, 'logged')
  const issued = await issueCode(
    h,
    { id: 'app-a', redirectUris: ['https://app-a.example/callback'] },
    alice,
    {
      scope: 'openid offline_access',
    },
  )
  const { body } = await redeem(h, 'app-a', issued)
  await redeem(h, 'app-a', issued)
  const cc = await token(h, { grant_type: 'client_credentials' }, basic('logged', secret))
  await token(h, { grant_type: 'client_credentials' }, basic('logged', `${secret}-wrong`))
  const log = h.t.logs.join('\n')
  const secrets = [issued.code, issued.verifier, secret, body.access_token, body.refresh_token, body.id_token]
  for (const value of [...secrets, cc.body.access_token] as string[]) {
    assert.equal(log.includes(value), false, `${value.slice(0, 8)}… is in the log`)
  }
})
