/**
 * @module Red-team: forged and misused tokens. Each access-token attack is refused by the issuer's own
 * `/me`, by a resource server's `verifyRequest` (through the JWKS URL) and by introspection; each
 * refresh-token misuse (after logout, from another client, revoked by a stranger) does what RFC 6749,
 * RFC 7009 and the issue say. Attacks that need a valid signature on bad claims sign with the server's
 * real private key (decrypted from the store), so they test the claim checks and not only the signature.
 */
import assert from 'node:assert/strict'
import { createHmac, createPrivateKey, type KeyObject, sign } from 'node:crypto'
import { after, before, test } from 'node:test'
import { exportJWK, generateKeyPair } from 'jose'
import { createRequestVerifier, manualClock } from '../src/index.js'
import { decryptPrivateJwk } from '../src/keys/key-encryption.js'
import { deriveSecrets } from '../src/keys/secret.js'
import {
  bearer,
  login,
  register,
  startTestServer,
  TEST_SECRET,
  type TestServer,
  type Tokens,
} from './helpers/test-server.js'

const clock = manualClock(Date.now())
let t: TestServer
let alice: Tokens
let kid: string
let serverKey: KeyObject
let verifyRequest: ReturnType<typeof createRequestVerifier>

const b64 = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url')
const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>

/** A compact JWS signed by `key` over exactly the header and payload given (ES256, raw r‖s). */
const es256 = (key: KeyObject, header: Record<string, unknown>, payload: unknown) => {
  const input = `${b64(header)}.${b64(payload)}`
  return `${input}.${sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`
}

before(async () => {
  t = await startTestServer({}, { clock })
  alice = await register(t, 'alice')
  // The access-token key (the ring also keeps RS256 and EdDSA keys for ID tokens).
  const record = (await t.server.services.store.signingKeys.list()).find((k) => k.alg === 'ES256')
  kid = record!.kid
  const jwk = JSON.parse(
    decryptPrivateJwk(record!.encryptedPrivateJwk, deriveSecrets(TEST_SECRET).keyEncryptionKey, kid),
  )
  serverKey = createPrivateKey({ key: jwk, format: 'jwk' })
  verifyRequest = createRequestVerifier({
    issuer: t.url,
    audience: 'tessera',
    jwksUri: `${t.url}/.well-known/jwks.json`,
    clock,
  })
})
after(async () => {
  await t.cleanup()
})

/** Refused everywhere: /me 401 invalid_token, verifyRequest ERR_ACCESS_TOKEN_INVALID, introspection inactive. */
const refusedEverywhere = async (token: string, label: string, causeCode?: string) => {
  const response = await t.get('/me', bearer(token))
  assert.equal(response.status, 401, `${label}: /me`)
  assert.match(
    response.headers.get('www-authenticate') ?? '',
    /^Bearer realm="tessera", error="invalid_token"/,
  )
  assert.equal(((await response.json()) as { code: string }).code, 'ERR_ACCESS_TOKEN_INVALID', label)
  await assert.rejects(
    verifyRequest({ headers: bearer(token) }),
    (error: { code?: string; cause?: { code?: string } }) => {
      assert.equal(error.code, 'ERR_ACCESS_TOKEN_INVALID', label)
      if (causeCode) assert.equal(error.cause?.code, causeCode, label)
      return true
    },
  )
  assert.equal((await t.introspect(token)).active, false, `${label}: introspection`)
}

test('control: a token signed the same way by the server key with the real claims is accepted everywhere', async () => {
  const token = es256(serverKey, { alg: 'ES256', kid, typ: 'at+jwt' }, claimsOf(alice.access_token))
  assert.equal((await t.get('/me', bearer(token))).status, 200)
  await verifyRequest({ headers: bearer(token) })
  assert.equal((await t.introspect(token)).active, true)
})

test('alg none (any case) and an empty signature are refused', async () => {
  const claims = claimsOf(alice.access_token)
  for (const alg of ['none', 'None', 'NONE']) {
    await refusedEverywhere(`${b64({ alg, typ: 'at+jwt', kid })}.${b64(claims)}.`, `alg ${alg}`)
  }
  const [h, p] = alice.access_token.split('.')
  await refusedEverywhere(`${h}.${p}.`, 'empty signature')
})

test('HS256 keyed with the published public key (JWK text, x, or PEM-like) is refused: alg confusion', async () => {
  const claims = claimsOf(alice.access_token)
  const jwks = (await (await t.get('/.well-known/jwks.json')).json()) as { keys: Record<string, string>[] }
  const pub = jwks.keys.find((k) => k.kid === kid)!
  for (const secret of [JSON.stringify(pub), pub.x!, `${pub.x}${pub.y}`]) {
    const input = `${b64({ alg: 'HS256', typ: 'at+jwt', kid })}.${b64(claims)}`
    const token = `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`
    await refusedEverywhere(token, 'HS256 with public key', 'ERR_JOSE_ALG_NOT_ALLOWED')
  }
})

test('attacker keys: unknown kid, kid naming ours, embedded jwk, jku, kid "__proto__" — all refused', async () => {
  const claims = claimsOf(alice.access_token)
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true })
  const evil = createPrivateKey({ key: (await exportJWK(privateKey)) as never, format: 'jwk' })
  const evilPublic = await exportJWK(publicKey)
  const cases: [string, Record<string, unknown>][] = [
    ['unknown kid', { alg: 'ES256', typ: 'at+jwt', kid: 'attacker' }],
    ['no kid', { alg: 'ES256', typ: 'at+jwt' }],
    ['our kid, their key', { alg: 'ES256', typ: 'at+jwt', kid }],
    ['embedded jwk', { alg: 'ES256', typ: 'at+jwt', jwk: evilPublic }],
    ['jku', { alg: 'ES256', typ: 'at+jwt', kid, jku: 'http://127.0.0.1:1/jwks.json' }],
    ['x5u', { alg: 'ES256', typ: 'at+jwt', kid, x5u: 'http://127.0.0.1:1/cert.pem' }],
    ['kid __proto__', { alg: 'ES256', typ: 'at+jwt', kid: '__proto__' }],
    ['kid constructor', { alg: 'ES256', typ: 'at+jwt', kid: 'constructor' }],
    ['kid path', { alg: 'ES256', typ: 'at+jwt', kid: '../../../../dev/null' }],
  ]
  for (const [label, header] of cases) await refusedEverywhere(es256(evil, header, claims), label)
})

test('real signature, wrong token: expired, wrong aud, wrong iss, nbf ahead, missing jti/sub/client_id', async () => {
  const claims = claimsOf(alice.access_token)
  const now = Math.floor(clock() / 1000)
  const sign = (payload: Record<string, unknown>) =>
    es256(serverKey, { alg: 'ES256', kid, typ: 'at+jwt' }, payload)
  await refusedEverywhere(sign({ ...claims, exp: now - 3600, iat: now - 4500 }), 'expired', 'ERR_JWT_EXPIRED')
  await refusedEverywhere(sign({ ...claims, aud: 'another-api' }), 'wrong aud')
  await refusedEverywhere(sign({ ...claims, aud: [] }), 'empty aud list')
  await refusedEverywhere(sign({ ...claims, iss: 'https://evil.example' }), 'wrong iss')
  await refusedEverywhere(sign({ ...claims, iss: `${t.url}/` }), 'iss with trailing slash')
  await refusedEverywhere(sign({ ...claims, nbf: now + 3600 }), 'nbf an hour ahead')
  for (const claim of ['jti', 'sub', 'client_id', 'exp']) {
    const { [claim]: _, ...rest } = claims
    await refusedEverywhere(sign(rest), `missing ${claim}`)
  }
})

test('wrong typ: no typ, JWT (an id-token-like JWT), and a refresh token presented as a Bearer token', async () => {
  const claims = claimsOf(alice.access_token)
  await refusedEverywhere(es256(serverKey, { alg: 'ES256', kid }, claims), 'no typ')
  await refusedEverywhere(es256(serverKey, { alg: 'ES256', kid, typ: 'JWT' }, claims), 'typ JWT')
  await refusedEverywhere(
    es256(
      serverKey,
      { alg: 'ES256', kid, typ: 'JWT' },
      { ...claims, nonce: 'n', azp: 'tessera-web', auth_time: 1 },
    ),
    'id-token-like',
  )
  await refusedEverywhere(es256(serverKey, { alg: 'ES256', kid, typ: 'dpop+jwt' }, claims), 'typ dpop+jwt')
  // The refresh token is opaque: as a Bearer token it is refused, and it is not an access token to introspection.
  const response = await t.get('/me', bearer(alice.refresh_token))
  assert.equal(response.status, 401)
  await assert.rejects(verifyRequest({ headers: bearer(alice.refresh_token) }), {
    code: 'ERR_ACCESS_TOKEN_INVALID',
  })
})

test('an unknown critical header or a payload that is not an object is refused', async () => {
  const claims = claimsOf(alice.access_token)
  await refusedEverywhere(
    es256(serverKey, { alg: 'ES256', kid, typ: 'at+jwt', crit: ['x-tessera'], 'x-tessera': 1 }, claims),
    'unknown crit',
  )
  await refusedEverywhere(es256(serverKey, { alg: 'ES256', kid, typ: 'at+jwt' }, [claims]), 'array payload')
  await refusedEverywhere(es256(serverKey, { alg: 'ES256', kid, typ: 'at+jwt' }, 'null'), 'null payload')
})

test('a validly signed token whose sid names no session: introspection (the store) says inactive', async () => {
  // Only the holder of the signing key can make one. `/me` answers from the in-memory revocation set,
  // which lists ended sessions, not live ones, so it cannot tell either (docs/server.md, "Revocation at
  // the issuer"); introspection reads the store and can.
  const claims = claimsOf(alice.access_token)
  const token = es256(serverKey, { alg: 'ES256', kid, typ: 'at+jwt' }, { ...claims, sid: 'no-such-family' })
  assert.equal((await t.introspect(token)).active, false)
})

test('malformed Authorization headers are 401 invalid_token, never 500', async () => {
  for (const authorization of [
    'Bearer',
    'Bearer ',
    `Basic ${alice.access_token}`,
    `Bearer ${alice.access_token} extra`,
    `Bearer ${alice.access_token}%00`,
    `Bearer a.b`,
    `Bearer ${'a'.repeat(9000)}.b.c`,
    'Bearer ....',
  ]) {
    const response = await t.get('/me', { authorization })
    assert.equal(response.status, 401, authorization.slice(0, 40))
    assert.equal(((await response.json()) as { code: string }).code, 'ERR_ACCESS_TOKEN_INVALID')
  }
})

test('a refresh token used after logout is refused, and the logout cannot be undone by replaying it', async () => {
  const tokens = await login(t, 'alice')
  assert.equal((await t.post('/auth/logout', { refresh_token: tokens.refresh_token })).status, 204)
  for (let i = 0; i < 2; i++) {
    const response = await t.post('/auth/refresh', { refresh_token: tokens.refresh_token })
    assert.equal(response.status, 400)
    const body = (await response.json()) as { error: string; code: string }
    assert.equal(body.error, 'invalid_grant')
    assert.equal(body.code, 'ERR_REFRESH_TOKEN_INVALID')
  }
  assert.equal((await t.get('/me', bearer(tokens.access_token))).status, 401)
  assert.equal((await t.introspect(tokens.refresh_token)).active, false)
})

test('a rotated token replayed inside the grace window by another client_id is theft: family revoked', async () => {
  const first = await login(t, 'alice')
  const rotated = (await (
    await t.post('/auth/refresh', { refresh_token: first.refresh_token })
  ).json()) as Tokens
  const replay = await t.post('/auth/refresh', {
    refresh_token: first.refresh_token,
    client_id: 'tessera-cli',
  })
  assert.equal(replay.status, 400)
  assert.equal(((await replay.json()) as { code: string }).code, 'ERR_REFRESH_TOKEN_REUSED')
  // The legitimate successor is dead too, and so are the access tokens of the family.
  assert.equal((await t.post('/auth/refresh', { refresh_token: rotated.refresh_token })).status, 400)
  assert.equal((await t.get('/me', bearer(rotated.access_token))).status, 401)
})

test('a live refresh token presented by another client_id is refused and stays usable by its own client', async () => {
  const tokens = await login(t, 'alice')
  const stolen = await t.post('/auth/refresh', {
    refresh_token: tokens.refresh_token,
    client_id: 'tessera-cli',
  })
  assert.equal(stolen.status, 400)
  assert.equal(((await stolen.json()) as { code: string }).code, 'ERR_REFRESH_TOKEN_INVALID')
  assert.equal((await t.post('/auth/refresh', { refresh_token: tokens.refresh_token })).status, 200)
})

test("RFC 7009: revoking someone else's token with another client_id answers 200 and revokes nothing", async () => {
  const tokens = await login(t, 'alice')
  for (const client_id of ['tessera-cli', 'no-such-client']) {
    const response = await t.form('/oauth/revoke', { token: tokens.refresh_token, client_id })
    assert.equal(response.status, 200)
    assert.equal((await t.introspect(tokens.refresh_token)).active, true, client_id)
    const byAccess = await t.form('/oauth/revoke', { token: tokens.access_token, client_id })
    assert.equal(byAccess.status, 200)
    assert.equal((await t.introspect(tokens.access_token)).active, true, client_id)
  }
  // Garbage, a forged JWT and an empty-looking token are also a silent 200 (§2.2) that changes nothing.
  for (const token of [
    'x',
    'A'.repeat(43),
    `${b64({ alg: 'none' })}.${b64({ sid: claimsOf(tokens.access_token).sid })}.`,
  ]) {
    assert.equal((await t.form('/oauth/revoke', { token })).status, 200)
  }
  assert.equal((await t.introspect(tokens.refresh_token)).active, true)
})

test('logout with a forged Bearer token ends nothing; an expired one is refused with 401', async () => {
  const tokens = await login(t, 'alice')
  const sid = claimsOf(tokens.access_token).sid
  const forged = `${b64({ alg: 'none', typ: 'at+jwt' })}.${b64({ ...claimsOf(tokens.access_token), sid })}.`
  const response = await fetch(`${t.url}/auth/logout`, { method: 'POST', headers: bearer(forged) })
  assert.equal(response.status, 401)
  const now = Math.floor(clock() / 1000)
  const expired = es256(
    serverKey,
    { alg: 'ES256', kid, typ: 'at+jwt' },
    { ...claimsOf(tokens.access_token), iat: now - 7200, exp: now - 3600 },
  )
  const late = await fetch(`${t.url}/auth/logout`, { method: 'POST', headers: bearer(expired) })
  assert.equal(late.status, 401)
  assert.match(((await late.json()) as { error_description: string }).error_description, /expired/)
  assert.equal((await t.introspect(tokens.refresh_token)).active, true)
})
