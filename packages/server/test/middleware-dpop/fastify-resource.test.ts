/**
 * @module A separate Fastify resource server with `requireAuth({ dpop })`, taking real DPoP-bound tokens from a
 * real Tessera server (`/auth/login` with a proof): the token as `DPoP` with a fresh proof by its key for this
 * method and URL at the configured public origin is answered; every way around the binding is refused with 401
 * and `WWW-Authenticate: DPoP algs="…", error="…", error_description="…"` (RFC 9449 §7.1). Bearer tokens keep
 * working as before, and a bound token is refused as Bearer even by a server without the `dpop` option.
 */
import assert from 'node:assert/strict'
import type { KeyObject } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { after, before, describe, test } from 'node:test'
import Fastify, { type FastifyInstance } from 'fastify'
import { requireAuth, type VerifyRequestOptions } from '../../src/index.js'
import { handMadeProof, hmacProof, privateJwkProof, thumbprint } from '../dpop/dpop-fixtures.js'
import { type Answer, boundTokens, dpopChallenge, newKey, proof, read } from '../dpop-resources/fixtures.js'
import { login, register, startTestServer, type TestServer, type Tokens } from '../helpers/test-server.js'

/** What clients call; the server listens on 127.0.0.1 behind it (a proxy in production). */
const PUBLIC_ORIGIN = 'https://api.example.test'
const NOTES = `${PUBLIC_ORIGIN}/notes`

let t: TestServer
let key: KeyObject
let bound: Tokens
let plain: Tokens
let rs: FastifyInstance
let rsUrl: string

/** A resource server with `requireAuth(options)` on /notes and /admin (scope admin), listening on a port. */
async function resourceServer(
  options: Partial<VerifyRequestOptions>,
): Promise<{ app: FastifyInstance; url: string }> {
  const app = Fastify()
  const base = { issuer: t.url, audience: 'tessera', jwksUri: `${t.url}/.well-known/jwks.json` }
  await app.register(async (scope) => {
    await scope.register(requireAuth({ ...base, ...options }))
    scope.get('/notes', async (request) => ({
      sub: request.auth?.claims.sub,
      jkt: request.auth?.dpop?.jkt ?? null,
    }))
    scope.post('/notes', async () => ({ created: true }))
  })
  await app.register(async (scope) => {
    await scope.register(requireAuth({ ...base, ...options, scopes: ['admin'] }))
    scope.get('/admin', async () => ({ ok: true }))
  })
  await app.listen({ port: 0, host: '127.0.0.1' })
  return { app, url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` }
}

/** `method path` on the resource server with `Authorization: <scheme> <token>` and an optional `DPoP` header. */
async function callRs(
  url: string,
  path: string,
  credentials: { token: string; scheme?: 'DPoP' | 'Bearer'; dpop?: string },
  method = 'GET',
): Promise<Answer> {
  const headers: Record<string, string> = {
    authorization: `${credentials.scheme ?? 'DPoP'} ${credentials.token}`,
  }
  if (credentials.dpop !== undefined) headers.dpop = credentials.dpop
  return read(await fetch(url + path, { method, headers }))
}

/** A 401 under the DPoP challenge with `error`, the challenge matching the body, no token echoed back. */
function refused(answer: Answer, error: string, description?: RegExp): void {
  assert.equal(answer.status, 401, JSON.stringify(answer.body))
  assert.equal(answer.body.error, error)
  const challenge = dpopChallenge(answer.headers)
  assert.ok(challenge, `a DPoP challenge, not ${answer.headers.get('www-authenticate')}`)
  assert.equal(challenge.error, error)
  assert.match(challenge.algs ?? '', /^ES256 .*\bEdDSA\b/)
  // A header value is ASCII: the challenge carries the message with `"` as `'` and anything else as `?`.
  const asciiDescription = String(answer.body.error_description)
    .replace(/"/g, "'")
    .replace(/[^\x20-\x7e]/g, '?')
  assert.equal(challenge.error_description, asciiDescription)
  if (description) assert.match(String(answer.body.error_description), description)
  assert.doesNotMatch(JSON.stringify(answer.body), new RegExp(bound.access_token.slice(-20)))
}

const fresh = (
  overrides: { htm?: string; htu?: string; accessToken?: string; iat?: number; by?: KeyObject } = {},
) =>
  proof(overrides.by ?? key, overrides.htm ?? 'GET', overrides.htu ?? NOTES, {
    accessToken: overrides.accessToken ?? bound.access_token,
    ...(overrides.iat !== undefined ? { iat: overrides.iat } : {}),
  })

before(async () => {
  t = await startTestServer()
  key = newKey()
  bound = await boundTokens(t, 'rs-dpop', key)
  await register(t, 'rs-bearer')
  plain = await login(t, 'rs-bearer')
  ;({ app: rs, url: rsUrl } = await resourceServer({ dpop: { publicOrigin: PUBLIC_ORIGIN } }))
})
after(async () => {
  await rs.close()
  await t.cleanup()
})

describe('requireAuth with dpop at a separate resource server', () => {
  test('a DPoP-bound token with its proof is answered; request.auth.dpop.jkt is the key', async () => {
    assert.equal(bound.token_type, 'DPoP')
    const answer = await callRs(rsUrl, '/notes', { token: bound.access_token, dpop: fresh() })
    assert.equal(answer.status, 200, JSON.stringify(answer.body))
    assert.equal(answer.body.jkt, await thumbprint(key))
    const post = await callRs(
      rsUrl,
      '/notes',
      { token: bound.access_token, dpop: fresh({ htm: 'POST' }) },
      'POST',
    )
    assert.equal(post.status, 200, JSON.stringify(post.body))
  })

  test('a Bearer token keeps working as Bearer (no DPoP asked)', async () => {
    const answer = await callRs(rsUrl, '/notes', { token: plain.access_token, scheme: 'Bearer' })
    assert.equal(answer.status, 200)
    assert.equal(answer.body.jkt, null)
    const none = await read(await fetch(`${rsUrl}/notes`))
    assert.equal(none.status, 401)
    assert.equal(none.headers.get('www-authenticate'), 'Bearer realm="tessera"')
  })

  test('the bound token sent as Bearer is refused, with or without a proof', async () => {
    refused(
      await callRs(rsUrl, '/notes', { token: bound.access_token, scheme: 'Bearer' }),
      'invalid_token',
      /DPoP-bound/,
    )
    refused(
      await callRs(rsUrl, '/notes', { token: bound.access_token, scheme: 'Bearer', dpop: fresh() }),
      'invalid_token',
    )
  })

  test('an unbound token sent as DPoP is refused', async () => {
    const answer = await callRs(rsUrl, '/notes', {
      token: plain.access_token,
      dpop: fresh({ accessToken: plain.access_token }),
    })
    refused(answer, 'invalid_token', /not DPoP-bound/)
  })

  test('the DPoP token without a proof, or with two', async () => {
    refused(await callRs(rsUrl, '/notes', { token: bound.access_token }), 'invalid_dpop_proof', /proof/)
    const headers = new Headers({ authorization: `DPoP ${bound.access_token}` })
    headers.append('dpop', fresh())
    headers.append('dpop', fresh())
    refused(await read(await fetch(`${rsUrl}/notes`, { headers })), 'invalid_dpop_proof', /one DPoP header/)
  })

  test('a proof by another key than the token is bound to', async () => {
    refused(
      await callRs(rsUrl, '/notes', { token: bound.access_token, dpop: fresh({ by: newKey() }) }),
      'invalid_dpop_proof',
    )
  })

  test('a proof for another path, host, scheme, or the address the server listens on (the Host header)', async () => {
    for (const htu of [
      `${PUBLIC_ORIGIN}/admin`,
      'https://evil.example.test/notes',
      'http://api.example.test/notes',
      `${rsUrl}/notes`,
    ]) {
      refused(
        await callRs(rsUrl, '/notes', { token: bound.access_token, dpop: fresh({ htu }) }),
        'invalid_dpop_proof',
      )
    }
  })

  test('a proof whose htu carries a query, however it is made', async () => {
    const withQuery = await handMadeProof(key, 'GET', `${NOTES}?page=2`)
    refused(
      await callRs(rsUrl, '/notes?page=2', { token: bound.access_token, dpop: withQuery }),
      'invalid_dpop_proof',
    )
    // The request's own query does not matter: htu is the URL without it.
    const answer = await callRs(rsUrl, '/notes?page=2', { token: bound.access_token, dpop: fresh() })
    assert.equal(answer.status, 200, JSON.stringify(answer.body))
  })

  test('a proof for another method', async () => {
    refused(
      await callRs(rsUrl, '/notes', { token: bound.access_token, dpop: fresh({ htm: 'POST' }) }),
      'invalid_dpop_proof',
      /method/,
    )
  })

  test('the same proof twice (replay)', async () => {
    const once = fresh()
    assert.equal((await callRs(rsUrl, '/notes', { token: bound.access_token, dpop: once })).status, 200)
    refused(
      await callRs(rsUrl, '/notes', { token: bound.access_token, dpop: once }),
      'invalid_dpop_proof',
      /already used/,
    )
  })

  test('a proof 10 minutes old, and one from the future', async () => {
    const now = Math.floor(Date.now() / 1000)
    refused(
      await callRs(rsUrl, '/notes', { token: bound.access_token, dpop: fresh({ iat: now - 600 }) }),
      'invalid_dpop_proof',
      /older/,
    )
    refused(
      await callRs(rsUrl, '/notes', { token: bound.access_token, dpop: fresh({ iat: now + 600 }) }),
      'invalid_dpop_proof',
      /future/,
    )
  })

  test('a proof without ath, or with the ath of another token', async () => {
    const noAth = proof(key, 'GET', NOTES)
    refused(
      await callRs(rsUrl, '/notes', { token: bound.access_token, dpop: noAth }),
      'invalid_dpop_proof',
      /ath/,
    )
    refused(
      await callRs(rsUrl, '/notes', {
        token: bound.access_token,
        dpop: fresh({ accessToken: plain.access_token }),
      }),
      'invalid_dpop_proof',
      /ath/,
    )
  })

  test('an HMAC proof, and a proof carrying the private key', async () => {
    refused(
      await callRs(rsUrl, '/notes', { token: bound.access_token, dpop: await hmacProof(key, 'GET', NOTES) }),
      'invalid_dpop_proof',
    )
    refused(
      await callRs(rsUrl, '/notes', {
        token: bound.access_token,
        dpop: await privateJwkProof(key, 'GET', NOTES),
      }),
      'invalid_dpop_proof',
      /private/,
    )
  })

  test('a forged token under DPoP is invalid_token; a missing scope is 403 with the DPoP challenge', async () => {
    const [h, p] = bound.access_token.split('.')
    const forged = `${h}.${p}.${'A'.repeat(86)}`
    refused(
      await callRs(rsUrl, '/notes', { token: forged, dpop: fresh({ accessToken: forged }) }),
      'invalid_token',
    )
    const admin = await callRs(rsUrl, '/admin', {
      token: bound.access_token,
      dpop: fresh({ htu: `${PUBLIC_ORIGIN}/admin` }),
    })
    assert.equal(admin.status, 403)
    assert.equal(dpopChallenge(admin.headers)?.error, 'insufficient_scope')
  })
})

describe('requireAuth without the dpop option', () => {
  let app: FastifyInstance
  let url: string
  before(async () => ({ app, url } = await resourceServer({})))
  after(() => app.close())

  test('refuses DPoP requests and bound tokens as Bearer; Bearer tokens pass', async () => {
    refused(
      await callRs(url, '/notes', { token: bound.access_token, dpop: fresh() }),
      'invalid_token',
      /does not take DPoP/,
    )
    refused(
      await callRs(url, '/notes', { token: bound.access_token, scheme: 'Bearer' }),
      'invalid_token',
      /DPoP-bound/,
    )
    assert.equal((await callRs(url, '/notes', { token: plain.access_token, scheme: 'Bearer' })).status, 200)
  })
})
