/**
 * @module `/token` details that need their own server or many requests: ID tokens signed with each
 * client's `id_token_signed_response_alg` (RS256, ES256, EdDSA), their `at_hash` with the algorithm's hash
 * (SHA-512 for EdDSA), access tokens whose `aud` is a registered RFC 8707 resource, and fifty parallel
 * redemptions of one code giving exactly one token response.
 */
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { after, before, test } from 'node:test'
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose'
import { type Harness, startHarness } from './authorize-fixtures.js'
import { issueCode, type ProviderSession, providerSession, redeem } from './token-fixtures.js'

const API = 'https://api.example/orders'
let h: Harness
let bob: ProviderSession

before(async () => {
  h = await startHarness({ resources: [API] }, (id) => ({
    name: id,
    scope: 'openid profile',
    grantTypes: ['authorization_code'],
  }))
  bob = await providerSession(h, 'bob')
})
after(() => h.t.cleanup())

const HASH = { RS256: 'sha256', ES256: 'sha256', EdDSA: 'sha512' } as const

for (const alg of ['RS256', 'ES256', 'EdDSA'] as const) {
  test(`${alg}: the ID token is signed with the client's algorithm and at_hash uses ${HASH[alg]}`, async () => {
    const client = await h.addClient(`rp-${alg.toLowerCase()}`, { idTokenSignedResponseAlg: alg })
    const { status, body } = await redeem(h, client.id, await issueCode(h, client, bob))
    assert.equal(status, 200, JSON.stringify(body))
    const idToken = body.id_token as string
    assert.equal(decodeProtectedHeader(idToken).alg, alg)
    const jwks = createLocalJWKSet(await (await h.t.get('/.well-known/jwks.json')).json())
    const { payload } = await jwtVerify(idToken, jwks, {
      algorithms: [alg],
      issuer: h.t.url,
      audience: client.id,
      currentDate: new Date(h.now()),
    })
    const digest = createHash(HASH[alg])
      .update(body.access_token as string)
      .digest()
    assert.equal(payload.at_hash, digest.subarray(0, digest.length / 2).toString('base64url'))
  })
}

test('a registered resource (RFC 8707) becomes the access token\u2019s aud, from the code or the token request', async () => {
  const client = await h.addClient('rp-api')
  const fromCode = await redeem(h, client.id, await issueCode(h, client, bob, { resource: API }))
  assert.equal(fromCode.status, 200, JSON.stringify(fromCode.body))
  const jwks = createLocalJWKSet(await (await h.t.get('/.well-known/jwks.json')).json())
  const claims = async (jwt: string) =>
    (await jwtVerify(jwt, jwks, { typ: 'at+jwt', currentDate: new Date(h.now()) })).payload
  assert.equal((await claims(fromCode.body.access_token as string)).aud, API)
  const fromRequest = await redeem(h, client.id, await issueCode(h, client, bob), { resource: API })
  assert.equal((await claims(fromRequest.body.access_token as string)).aud, API)
  const plain = await redeem(h, client.id, await issueCode(h, client, bob))
  assert.equal((await claims(plain.body.access_token as string)).aud, 'tessera')
  // The issuer still accepts it (userinfo), since the resource is one of ours.
  const info = await fetch(`${h.t.url}/userinfo`, {
    headers: { authorization: `Bearer ${fromCode.body.access_token}` },
  })
  assert.equal(info.status, 200)
})

test('fifty parallel redemptions of one code: exactly one token response, the rest invalid_grant', async () => {
  const client = await h.addClient('rp-race')
  const issued = await issueCode(h, client, bob)
  const answers = await Promise.all(Array.from({ length: 50 }, () => redeem(h, client.id, issued)))
  const ok = answers.filter((a) => a.status === 200)
  assert.equal(ok.length, 1)
  for (const a of answers.filter((x) => x.status !== 200)) assert.equal(a.body.error, 'invalid_grant')
  // The winner's tokens were revoked by the replays.
  const info = await fetch(`${h.t.url}/userinfo`, {
    headers: { authorization: `Bearer ${ok[0]!.body.access_token}` },
  })
  assert.equal(info.status, 401)
})
