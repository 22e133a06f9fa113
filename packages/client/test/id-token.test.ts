/**
 * @module The ID token checks (OIDC Core §3.1.3.7) of the SDK, in Node on the same WebCrypto build the
 * browser runs: tokens signed with @tessera/jose's Node build, the JWK Set served on a loopback port.
 * Each refusal is ERR_CLIENT_ID_TOKEN_INVALID.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { encodeUnsecuredJWT, exportJWK, generateKeyPair, generateSecret, signJWT } from '@tessera/jose/node'
import { ClientIdTokenInvalid } from '../src/errors.js'
import { IdTokenVerifier } from '../src/id-token.js'
import { listen } from './bff-harness.js'

const ISSUER = 'https://auth.example.com'
const CLIENT = 'spa'
let keys: Awaited<ReturnType<typeof generateKeyPair>>
let other: Awaited<ReturnType<typeof generateKeyPair>>
let server: Awaited<ReturnType<typeof listen>>
let verifier: IdTokenVerifier

before(async () => {
  keys = await generateKeyPair('ES256')
  other = await generateKeyPair('ES256')
  const jwk = { ...(await exportJWK(keys.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' }
  server = await listen((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' })
    response.end(JSON.stringify({ keys: [jwk] }))
  })
  verifier = new IdTokenVerifier(ISSUER, CLIENT, `http://127.0.0.1:${server.port}/jwks.json`)
})
after(async () => {
  await server?.close()
})

const claims = (changes: Record<string, unknown> = {}) => ({
  iss: ISSUER,
  aud: CLIENT,
  sub: 'user-1',
  nonce: 'n-123',
  ...changes,
})
const sign = (payload: Record<string, unknown>, key = keys.privateKey, kid = 'k1') =>
  signJWT(payload, key, { alg: 'ES256', kid, expiresIn: '5m' })

const refused = async (token: string, expect: { nonce?: string; subject?: string }, why: RegExp) => {
  await assert.rejects(
    verifier.verify(token, expect),
    (error: unknown) =>
      error instanceof ClientIdTokenInvalid &&
      error.code === 'ERR_CLIENT_ID_TOKEN_INVALID' &&
      why.test(error.message),
  )
}

test('a good ID token: its claims, frozen', async () => {
  const user = await verifier.verify(await sign(claims()), { nonce: 'n-123' })
  assert.equal(user.sub, 'user-1')
  assert.ok(Object.isFrozen(user))
})

test('a refreshed ID token: no nonce, the same subject', async () => {
  const user = await verifier.verify(await sign(claims({ nonce: undefined })), { subject: 'user-1' })
  assert.equal(user.sub, 'user-1')
  await refused(
    await sign(claims({ nonce: undefined, sub: 'user-2' })),
    { subject: 'user-1' },
    /another user/,
  )
})

test('refused: another nonce, or none when the login sent one', async () => {
  await refused(await sign(claims({ nonce: 'other' })), { nonce: 'n-123' }, /nonce/)
  await refused(await sign(claims({ nonce: undefined })), { nonce: 'n-123' }, /nonce/)
})

test('refused: another audience, several audiences without azp = this client', async () => {
  await refused(await sign(claims({ aud: 'other-app' })), { nonce: 'n-123' }, /ERR_JWT_CLAIM_INVALID/)
  await refused(await sign(claims({ aud: [CLIENT, 'other-app'] })), { nonce: 'n-123' }, /azp/)
  const ok = await verifier.verify(await sign(claims({ aud: [CLIENT, 'other-app'], azp: CLIENT })), {
    nonce: 'n-123',
  })
  assert.equal(ok.azp, CLIENT)
})

test('refused: another issuer, expired beyond the 300 s leeway', async () => {
  await refused(
    await sign(claims({ iss: 'https://evil.example' })),
    { nonce: 'n-123' },
    /ERR_JWT_CLAIM_INVALID/,
  )
  const now = Math.floor(Date.now() / 1000)
  const old = await signJWT(claims({ iat: now - 3600, exp: now - 301 }), keys.privateKey, {
    alg: 'ES256',
    kid: 'k1',
  })
  await refused(old, { nonce: 'n-123' }, /ERR_JWT_EXPIRED/)
})

test('refused: signed by a key outside the JWK Set, HMAC, or unsecured (alg none)', async () => {
  await refused(await sign(claims(), other.privateKey), { nonce: 'n-123' }, /refused/)
  const secret = await generateSecret('HS256')
  await refused(await signJWT(claims(), secret, { alg: 'HS256', kid: 'k1' }), { nonce: 'n-123' }, /refused/)
  await refused(encodeUnsecuredJWT(claims()), { nonce: 'n-123' }, /refused/)
})
