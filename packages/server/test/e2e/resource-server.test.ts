/**
 * @module Independent resource servers accept our access tokens through the JWKS alone: a few lines of
 * node:http + verifyRequest, a Fastify app with requireAuth, the `jose` package, and oauth4webapi's strict
 * RFC 9068 check. Then the stateless trade-off (a revoked session's token still passes locally until exp),
 * and key rotation with overlap.
 */
import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, test } from 'node:test'
import Fastify from 'fastify'
import { createRemoteJWKSet, jwtVerify } from 'jose'
import * as oauth from 'oauth4webapi'
import { createRequestVerifier, manualClock, requireAuth, toHttpError } from '../../src/index.js'
import { bearer, login, register, startTestServer, type TestServer } from '../helpers/test-server.js'

const clock = manualClock(Date.now())
let t: TestServer
let rs: Server
let rsUrl: string
let verifyRequest: ReturnType<typeof createRequestVerifier>

before(async () => {
  t = await startTestServer({}, { clock })
  await register(t, 'erin')
  // The whole second resource server:
  verifyRequest = createRequestVerifier({
    issuer: t.url,
    audience: 'tessera',
    jwksUri: `${t.url}/.well-known/jwks.json`,
    scopes: ['api'],
    clock,
  })
  rs = createServer(async (request, response) => {
    try {
      const { claims } = await verifyRequest(request)
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ hello: claims.sub }))
    } catch (error) {
      const http = toHttpError(error)
      response
        .writeHead(http.status, { ...http.headers, 'content-type': 'application/json' })
        .end(JSON.stringify(http.body))
    }
  })
  await new Promise<void>((resolve) => rs.listen(0, '127.0.0.1', resolve))
  rsUrl = `http://127.0.0.1:${(rs.address() as AddressInfo).port}`
})
after(async () => {
  await new Promise((resolve) => rs.close(resolve))
  await t.cleanup()
})

test('a node:http resource server with verifyRequest accepts the access token, refuses none and forged', async () => {
  const tokens = await login(t, 'erin')
  let response = await fetch(rsUrl, { headers: bearer(tokens.access_token) })
  assert.equal(response.status, 200)
  const me = (await (await t.get('/me', bearer(tokens.access_token))).json()) as { sub: string }
  assert.deepEqual(await response.json(), { hello: me.sub })

  response = await fetch(rsUrl)
  assert.equal(response.status, 401)
  assert.equal(response.headers.get('www-authenticate'), 'Bearer realm="tessera"')

  const [h, p] = tokens.access_token.split('.')
  response = await fetch(rsUrl, { headers: bearer(`${h}.${p}.${'A'.repeat(86)}`) })
  assert.equal(response.status, 401)
  assert.equal(((await response.json()) as { code: string }).code, 'ERR_ACCESS_TOKEN_INVALID')
})

test('requireAuth protects a Fastify scope and checks scopes', async () => {
  const tokens = await login(t, 'erin')
  const app = Fastify()
  await app.register(async (scope) => {
    await scope.register(
      requireAuth({ issuer: t.url, audience: 'tessera', jwksUri: `${t.url}/.well-known/jwks.json`, clock }),
    )
    scope.get('/data', async (request) => ({ sub: request.auth?.claims.sub }))
  })
  await app.register(async (scope) => {
    await scope.register(
      requireAuth({
        issuer: t.url,
        audience: 'tessera',
        jwksUri: `${t.url}/.well-known/jwks.json`,
        scopes: ['admin'],
        clock,
      }),
    )
    scope.get('/admin', async () => ({ ok: true }))
  })
  app.get('/public', async () => ({ ok: true }))
  let response = await app.inject({ url: '/data', headers: bearer(tokens.access_token) })
  assert.equal(response.statusCode, 200)
  assert.ok((response.json() as { sub: string }).sub)
  response = await app.inject({ url: '/data' })
  assert.equal(response.statusCode, 401)
  response = await app.inject({ url: '/admin', headers: bearer(tokens.access_token) })
  assert.equal(response.statusCode, 403)
  assert.equal((response.json() as { error: string }).error, 'insufficient_scope')
  response = await app.inject({ url: '/public' })
  assert.equal(response.statusCode, 200)
  await app.close()
})

test('the jose package verifies our access token through our JWKS URL', async () => {
  const tokens = await login(t, 'erin')
  const jwks = createRemoteJWKSet(new URL(`${t.url}/.well-known/jwks.json`))
  const { payload, protectedHeader } = await jwtVerify(tokens.access_token, jwks, {
    issuer: t.url,
    audience: 'tessera',
    typ: 'at+jwt',
    algorithms: ['ES256'],
    currentDate: new Date(clock()),
  })
  assert.equal(protectedHeader.typ, 'at+jwt')
  assert.equal(payload.client_id, 'tessera-web')
  assert.equal(payload.scope, 'api')
  assert.equal(typeof payload.sid, 'string')
  assert.equal(typeof payload.jti, 'string')
})

test("oauth4webapi's validateJwtAccessToken (strict RFC 9068) accepts our access token", async () => {
  const tokens = await login(t, 'erin')
  const issuer = new URL(t.url)
  const discovery = await oauth.discoveryRequest(issuer, {
    algorithm: 'oauth2',
    [oauth.allowInsecureRequests]: true,
  })
  const as = await oauth.processDiscoveryResponse(issuer, discovery)
  const request = new Request(`${rsUrl}/anything`, { headers: bearer(tokens.access_token) })
  const claims = await oauth.validateJwtAccessToken(as, request, 'tessera', {
    [oauth.allowInsecureRequests]: true,
    signingAlgorithms: ['ES256'],
  })
  assert.equal(claims.iss, t.url)
  assert.equal(claims.client_id, 'tessera-web')
})

test('stateless trade-off: after logout the resource server still accepts the token until exp; /me and introspection refuse at once', async () => {
  const tokens = await login(t, 'erin')
  assert.equal((await t.post('/auth/logout', { refresh_token: tokens.refresh_token })).status, 204)
  assert.equal((await fetch(rsUrl, { headers: bearer(tokens.access_token) })).status, 200)
  assert.equal((await t.get('/me', bearer(tokens.access_token))).status, 401)
  assert.equal((await t.introspect(tokens.access_token)).active, false)
  // …and at exp (15 min) the resource server refuses it too.
  clock.advance(901_000)
  assert.equal((await fetch(rsUrl, { headers: bearer(tokens.access_token) })).status, 401)
})

test('key rotation with overlap: old tokens keep verifying, new tokens use the new key once it signs', async () => {
  const before = await login(t, 'erin')
  const oldKid = JSON.parse(Buffer.from(before.access_token.split('.')[0]!, 'base64url').toString())
    .kid as string
  assert.equal((await fetch(rsUrl, { headers: bearer(before.access_token) })).status, 200)

  const rotated = await t.server.services.keys.rotate()
  assert.equal(rotated.status, 'pending')
  // The access-token keys (ES256); the ring's ID-token keys rotate beside them.
  const accessKids = (set: { keys: { kid: string; alg: string }[] }) =>
    set.keys.filter((k) => k.alg === 'ES256').map((k) => k.kid)
  let jwks = (await (await t.get('/.well-known/jwks.json')).json()) as {
    keys: { kid: string; alg: string }[]
  }
  assert.deepEqual(new Set(accessKids(jwks)), new Set([oldKid, rotated.kid]))
  // Published but not yet signing: tokens still carry the old kid.
  let tokens = await login(t, 'erin')
  assert.equal(
    JSON.parse(Buffer.from(tokens.access_token.split('.')[0]!, 'base64url').toString()).kid,
    oldKid,
  )

  // Just before the switch the old key still signs; one JWKS cache lifetime after the rotation the new
  // key signs, and the resource server (whose cache has expired by then) accepts both.
  const kidOf = (token: string) =>
    JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()).kid as string
  clock.advance(t.config.jwksMaxAge * 1000 - 1000)
  const lastOld = await login(t, 'erin')
  assert.equal(kidOf(lastOld.access_token), oldKid)
  clock.advance(1000)
  tokens = await login(t, 'erin')
  assert.equal(kidOf(tokens.access_token), rotated.kid)
  assert.equal((await fetch(rsUrl, { headers: bearer(tokens.access_token) })).status, 200)
  assert.equal((await fetch(rsUrl, { headers: bearer(lastOld.access_token) })).status, 200)
  assert.equal((await t.get('/me', bearer(lastOld.access_token))).status, 200)

  // The retired key leaves the JWKS after access TTL + clock skew.
  clock.advance((t.config.accessTtl + t.config.clockSkew) * 1000 + 1000)
  await t.server.services.keys.tick()
  jwks = (await (await t.get('/.well-known/jwks.json')).json()) as { keys: { kid: string; alg: string }[] }
  assert.deepEqual(accessKids(jwks), [rotated.kid])
})

test('an emergency (immediate) rotation: the resource server refetches the JWKS on the unknown kid', async () => {
  const first = await login(t, 'erin')
  assert.equal((await fetch(rsUrl, { headers: bearer(first.access_token) })).status, 200)
  const rotated = await t.server.services.keys.rotate({ immediate: true })
  clock.advance(31_000) // past the refetch cooldown
  const tokens = await login(t, 'erin')
  assert.equal(
    JSON.parse(Buffer.from(tokens.access_token.split('.')[0]!, 'base64url').toString()).kid,
    rotated.kid,
  )
  assert.equal((await fetch(rsUrl, { headers: bearer(tokens.access_token) })).status, 200)
  assert.equal((await fetch(rsUrl, { headers: bearer(first.access_token) })).status, 200)
})
