/**
 * @module Client authentication at `/token` on a real server: client_secret_basic (form-urlencoded id and
 * secret, RFC 6749 §2.3.1), client_secret_post, private_key_jwt (RFC 7523, keys from the registered JWKS,
 * jti single use, short exp, our audience), none for public clients; one method per request and only the
 * registered one; 401 invalid_client with WWW-Authenticate; secret guessing throttled.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import { after, before, test } from 'node:test'
import { exportJWK, generateKeyPair, SignJWT } from 'jose'
import { JWT_BEARER_ASSERTION } from '../../src/oidc/client-auth/credentials.js'
import { ClientSecretThrottle } from '../../src/oidc/client-auth/secret-throttle.js'
import { type Harness, startHarness } from './authorize-fixtures.js'
import { addConfidential, basic, token } from './token-fixtures.js'

let h: Harness
let privateKey: CryptoKey

before(async () => {
  h = await startHarness()
  const pair = await generateKeyPair('ES256')
  privateKey = pair.privateKey as CryptoKey
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' }
  await h.addClient('jwt-app', {
    type: 'confidential',
    tokenEndpointAuthMethod: 'private_key_jwt',
    grantTypes: ['client_credentials'],
    scope: 'api',
    jwks: JSON.stringify({ keys: [jwk] }),
  })
})
after(() => h.t.cleanup())

const cc = { grant_type: 'client_credentials' }

const assertion = (claims: Record<string, unknown> = {}, expiresIn = 60, aud = `${h.t.url}/token`) => {
  const now = Math.floor(h.now() / 1000)
  return new SignJWT({ jti: randomBytes(12).toString('base64url'), ...claims })
    .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
    .setIssuer('jwt-app')
    .setSubject('jwt-app')
    .setAudience(aud)
    .setIssuedAt(now)
    .setExpirationTime(now + expiresIn)
    .sign(privateKey)
}

test('client_secret_basic: id and secret are form-urlencoded before Basic (a secret with : + % & works)', async () => {
  const { secret } = await addConfidential(h, 'odd.id~1')
  const ok = await token(h, cc, basic('odd.id~1', secret))
  assert.equal(ok.status, 200, JSON.stringify(ok.body))
  const wrong = await token(h, cc, basic('odd.id~1', `${secret}x`))
  assert.equal(wrong.status, 401)
  assert.equal(wrong.body.error, 'invalid_client')
  assert.match(wrong.headers.get('www-authenticate') ?? '', /^Basic realm=/)
  assert.equal(wrong.headers.get('cache-control'), 'no-store')
})

test('client_secret_post works for a client registered for it, and only for it', async () => {
  const { secret } = await addConfidential(h, 'poster', { tokenEndpointAuthMethod: 'client_secret_post' })
  const ok = await token(h, { ...cc, client_id: 'poster', client_secret: secret })
  assert.equal(ok.status, 200)
  const basicInstead = await token(h, cc, basic('poster', secret))
  assert.equal(basicInstead.status, 401)
  assert.equal(basicInstead.body.error, 'invalid_client')
})

test('two methods in one request are invalid_request; an unknown client is invalid_client', async () => {
  const { secret } = await addConfidential(h, 'twice')
  const both = await token(h, { ...cc, client_id: 'twice', client_secret: secret }, basic('twice', secret))
  assert.equal(both.status, 400)
  assert.equal(both.body.error, 'invalid_request')
  const unknown = await token(h, cc, basic('nobody', 'x'.repeat(40)))
  assert.equal(unknown.status, 401)
  assert.equal(unknown.body.error, 'invalid_client')
  const nothing = await token(h, cc)
  assert.equal(nothing.status, 401)
})

test('a confidential client cannot pass as public by sending only its client_id', async () => {
  await addConfidential(h, 'no-secret-sent')
  const bare = await token(h, { ...cc, client_id: 'no-secret-sent' })
  assert.equal(bare.status, 401)
  assert.equal(bare.body.error, 'invalid_client')
})

test('private_key_jwt: a fresh assertion passes; its jti replayed, a long exp, another aud or key are refused', async () => {
  const form = (jwt: string) => ({
    ...cc,
    client_assertion_type: JWT_BEARER_ASSERTION,
    client_assertion: jwt,
  })
  const jwt = await assertion()
  const ok = await token(h, form(jwt))
  assert.equal(ok.status, 200, JSON.stringify(ok.body))
  const replay = await token(h, form(jwt))
  assert.equal(replay.status, 401)
  assert.equal(replay.body.error, 'invalid_client')
  assert.match(replay.body.error_description as string, /already used/)
  const long = await token(h, form(await assertion({}, 3600)))
  assert.equal(long.status, 401)
  const otherAud = await token(h, form(await assertion({}, 60, 'https://elsewhere.example/token')))
  assert.equal(otherAud.status, 401)
  const otherKey = (await generateKeyPair('ES256')).privateKey
  const now = Math.floor(h.now() / 1000)
  const forged = await new SignJWT({ jti: 'j-forged' })
    .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
    .setIssuer('jwt-app')
    .setSubject('jwt-app')
    .setAudience(h.t.url)
    .setIssuedAt(now)
    .setExpirationTime(now + 60)
    .sign(otherKey)
  assert.equal((await token(h, form(forged))).status, 401)
  const wrongType = await token(h, { ...form(await assertion()), client_assertion_type: 'urn:other' })
  assert.equal(wrongType.status, 401)
  h.advance(120_000)
  const expired = await token(h, form(jwt))
  assert.equal(expired.status, 401)
})

test('secret guessing is throttled per client: after the free failures even the right secret waits (429)', async () => {
  const { secret } = await addConfidential(h, 'guessed')
  const free = h.t.config.accountFreeFailures
  for (let i = 0; i < free; i++) {
    const guess = await token(h, cc, basic('guessed', `guess-${i}-${'x'.repeat(40)}`))
    assert.equal(guess.status, 401, `guess ${i}`)
  }
  const blocked = await token(h, cc, basic('guessed', secret))
  assert.equal(blocked.status, 429)
  assert.equal(blocked.body.error, 'slow_down')
  assert.ok(Number(blocked.headers.get('retry-after')) >= 1)
  // The wait is exponential in the failures and capped; a minute covers the first step.
  h.advance(60_000)
  const later = await token(h, cc, basic('guessed', secret))
  assert.equal(later.status, 200)
})

test('/oauth/introspect and /oauth/revoke authenticate registered clients; the configured introspection client still works', async () => {
  const { secret } = await addConfidential(h, 'introspector')
  const issued = await token(h, cc, basic('introspector', secret))
  const accessToken = issued.body.access_token as string
  const form = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
    h.t.form(path, fields, headers)
  const own = await form('/oauth/introspect', { token: accessToken }, basic('introspector', secret))
  assert.equal(own.status, 200)
  assert.equal(((await own.json()) as { active: boolean }).active, true)
  const wrong = await form('/oauth/introspect', { token: accessToken }, basic('introspector', `${secret}x`))
  assert.equal(wrong.status, 401)
  assert.equal(((await wrong.json()) as { error: string }).error, 'invalid_client')
  // Another registered client learns nothing about it; the resource server's credential does.
  const { secret: otherSecret } = await addConfidential(h, 'nosy')
  const nosy = await form('/oauth/introspect', { token: accessToken }, basic('nosy', otherSecret))
  assert.deepEqual(await nosy.json(), { active: false })
  assert.equal((await h.t.introspect(accessToken)).active, true)
  // Revocation with a registered client's credential: a wrong secret is refused, the right one accepted.
  const badRevoke = await form('/oauth/revoke', { token: accessToken }, basic('introspector', 'x'.repeat(40)))
  assert.equal(badRevoke.status, 401)
  const revoked = await form('/oauth/revoke', { token: accessToken }, basic('introspector', secret))
  assert.equal(revoked.status, 200)
})

test('private_key_jwt with a jwks_uri: the keys are fetched from the client (through the remote key set)', async () => {
  const pair = await generateKeyPair('EdDSA')
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'remote-1', alg: 'EdDSA' }
  let fetched = 0
  const keys = createServer((_request, response) => {
    fetched++
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }))
  })
  await new Promise<void>((resolve) => keys.listen(0, '127.0.0.1', resolve))
  try {
    const port = (keys.address() as { port: number }).port
    await h.addClient('remote-jwt', {
      type: 'confidential',
      tokenEndpointAuthMethod: 'private_key_jwt',
      grantTypes: ['client_credentials'],
      scope: 'api',
      jwksUri: `http://127.0.0.1:${port}/jwks.json`,
    })
    const sign = async (jti: string) => {
      const now = Math.floor(h.now() / 1000)
      return new SignJWT({ jti })
        .setProtectedHeader({ alg: 'EdDSA', kid: 'remote-1' })
        .setIssuer('remote-jwt')
        .setSubject('remote-jwt')
        .setAudience(h.t.url)
        .setIssuedAt(now)
        .setExpirationTime(now + 60)
        .sign(pair.privateKey)
    }
    const form = async (jti: string) => ({
      ...cc,
      client_id: 'remote-jwt',
      client_assertion_type: JWT_BEARER_ASSERTION,
      client_assertion: await sign(jti),
    })
    const ok = await token(h, await form('r-1'))
    assert.equal(ok.status, 200, JSON.stringify(ok.body))
    assert.equal((await token(h, await form('r-2'))).status, 200)
    assert.equal(fetched, 1, 'the key set is cached between requests')
  } finally {
    keys.closeAllConnections()
    await new Promise<void>((resolve) => keys.close(() => resolve()))
  }
})

test('secret guessing across many client ids from one address is throttled per address, in the shared store', async () => {
  const throttle = new ClientSecretThrottle(h.t.server.services.store, {
    accountFreeFailures: 5,
    accountMaxBackoff: 900,
    ipMaxFailures: 3,
    ipWindow: 900,
  })
  const now = h.now()
  for (const id of ['guess-a', 'guess-b', 'guess-c']) {
    await throttle.check(id, '203.0.113.9', now)
    await throttle.failure(id, '203.0.113.9', now)
  }
  await assert.rejects(throttle.check('guess-d', '203.0.113.9', now), { code: 'ERR_AUTH_THROTTLED' })
  // Another address is not held up, and the address is free again once its window has passed.
  await throttle.check('guess-d', '198.51.100.1', now)
  await throttle.check('guess-d', '203.0.113.9', now + 900_000)
})
