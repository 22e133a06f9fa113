/**
 * @module DPoP at the first-party token endpoints: `/auth/register`, `/auth/login` and `/auth/refresh`
 * with and without a proof, the family bound to the proof's key (a refresh without that key's proof is
 * refused and ends nothing), introspection's `cnf`, and logout by a DPoP-bound access token or refresh
 * token with its proof.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { startTestServer, type TestServer, type Tokens } from '../helpers/test-server.js'
import {
  type Answer,
  assertBound,
  assertProofRefused,
  claimsOf,
  newKey,
  PASSWORD,
  proof,
  read,
  thumbprint,
} from './dpop-fixtures.js'

let t: TestServer
before(async () => {
  t = await startTestServer()
})
after(() => t.cleanup())

const post = async (path: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> =>
  read(await t.post(path, body, headers))
const dpopFor = (key: ReturnType<typeof newKey>, path: string, accessToken?: string) => ({
  dpop: proof(key, 'POST', `${t.url}${path}`, accessToken ? { accessToken } : {}),
})

async function loginWith(username: string, key?: ReturnType<typeof newKey>): Promise<Tokens> {
  const answer = await post(
    '/auth/login',
    { username, password: PASSWORD },
    key ? dpopFor(key, '/auth/login') : {},
  )
  assert.equal(answer.status, 200, JSON.stringify(answer.body))
  return answer.body as unknown as Tokens
}

describe('register and login', () => {
  test('without a proof: Bearer, as before, and no cnf', async () => {
    await post('/auth/register', { username: 'plain', password: PASSWORD })
    const tokens = await loginWith('plain')
    assert.equal(tokens.token_type, 'Bearer')
    assert.equal(claimsOf(tokens.access_token).cnf, undefined)
    const introspected = await t.introspect(tokens.access_token)
    assert.equal(introspected.token_type, 'Bearer')
    assert.equal(introspected.cnf, undefined)
  })

  test('register with a proof answers a DPoP token bound to the key', async () => {
    const key = newKey()
    const answer = await post(
      '/auth/register',
      { username: 'reg-dpop', password: PASSWORD },
      dpopFor(key, '/auth/register'),
    )
    await assertBound(answer, key, 201)
  })

  test('register with a refused proof creates no account', async () => {
    const refused = await post(
      '/auth/register',
      { username: 'reg-refused', password: PASSWORD },
      { dpop: proof(newKey(), 'POST', `${t.url}/auth/login`) },
    )
    assertProofRefused(refused, /another URL/)
    assert.equal(await t.server.services.store.users.findByUsername('reg-refused'), undefined)
  })

  test('login with a proof: token_type DPoP, cnf.jkt the RFC 7638 thumbprint; introspection says so for both tokens', async () => {
    const key = newKey()
    await post('/auth/register', { username: 'ada', password: PASSWORD })
    const tokens = await loginWith('ada', key)
    const jkt = await thumbprint(key)
    assert.equal(tokens.token_type, 'DPoP')
    assert.deepEqual(claimsOf(tokens.access_token).cnf, { jkt })
    const access = await t.introspect(tokens.access_token)
    assert.equal(access.active, true)
    assert.equal(access.token_type, 'DPoP')
    assert.deepEqual(access.cnf, { jkt })
    const refresh = await t.introspect(tokens.refresh_token)
    assert.equal(refresh.active, true)
    assert.deepEqual(refresh.cnf, { jkt })
  })
})

describe('refresh of a family bound to a key', () => {
  let key: ReturnType<typeof newKey>
  let tokens: Tokens
  before(async () => {
    key = newKey()
    await post('/auth/register', { username: 'grace', password: PASSWORD })
    tokens = await loginWith('grace', key)
  })

  test('without a proof: refused, and the family is not revoked', async () => {
    const answer = await post('/auth/refresh', { refresh_token: tokens.refresh_token })
    assertProofRefused(answer, /bound to a DPoP key/)
    assert.equal((await t.introspect(tokens.refresh_token)).active, true)
  })

  test("with another key's proof: refused, and the family is not revoked", async () => {
    const answer = await post(
      '/auth/refresh',
      { refresh_token: tokens.refresh_token },
      dpopFor(newKey(), '/auth/refresh'),
    )
    assertProofRefused(answer, /another DPoP key/)
    assert.equal((await t.introspect(tokens.refresh_token)).active, true)
  })

  test("with the key's proof: a new DPoP pair bound to the same key", async () => {
    const answer = await post(
      '/auth/refresh',
      { refresh_token: tokens.refresh_token },
      dpopFor(key, '/auth/refresh'),
    )
    await assertBound(answer, key)
    const previous = tokens.refresh_token
    tokens = answer.body as unknown as Tokens
    // A thief replaying the rotated token without the key cannot end the owner's session either.
    assertProofRefused(await post('/auth/refresh', { refresh_token: previous }))
    assert.equal((await t.introspect(tokens.refresh_token)).active, true)
  })
})

describe('a family issued without a proof', () => {
  test('refreshes with a proof into a DPoP access token, and without one into Bearer', async () => {
    await post('/auth/register', { username: 'mixed', password: PASSWORD })
    const first = await loginWith('mixed')
    const key = newKey()
    const bound = await post(
      '/auth/refresh',
      { refresh_token: first.refresh_token },
      dpopFor(key, '/auth/refresh'),
    )
    await assertBound(bound, key)
    const plain = await post('/auth/refresh', { refresh_token: bound.body.refresh_token })
    assert.equal(plain.status, 200)
    assert.equal(plain.body.token_type, 'Bearer')
  })
})

describe('logout with DPoP', () => {
  test('by a DPoP-bound access token sent as DPoP with its proof (ath): the session ends', async () => {
    const key = newKey()
    await post('/auth/register', { username: 'out-access', password: PASSWORD })
    const tokens = await loginWith('out-access', key)
    const asBearer = await post('/auth/logout', {}, { authorization: `Bearer ${tokens.access_token}` })
    assert.equal(asBearer.status, 401)
    assert.equal(asBearer.body.code, 'ERR_ACCESS_TOKEN_INVALID')
    const noProof = await post('/auth/logout', {}, { authorization: `DPoP ${tokens.access_token}` })
    assertProofRefused(noProof)
    const otherKey = await post(
      '/auth/logout',
      {},
      {
        authorization: `DPoP ${tokens.access_token}`,
        ...dpopFor(newKey(), '/auth/logout', tokens.access_token),
      },
    )
    assertProofRefused(otherKey)
    assert.equal((await t.introspect(tokens.refresh_token)).active, true)
    const response = await t.post(
      '/auth/logout',
      {},
      { authorization: `DPoP ${tokens.access_token}`, ...dpopFor(key, '/auth/logout', tokens.access_token) },
    )
    assert.equal(response.status, 204)
    assert.equal((await t.introspect(tokens.refresh_token)).active, false)
  })

  test('by a bound refresh token: only with a proof by its key', async () => {
    const key = newKey()
    await post('/auth/register', { username: 'out-refresh', password: PASSWORD })
    const tokens = await loginWith('out-refresh', key)
    assertProofRefused(await post('/auth/logout', { refresh_token: tokens.refresh_token }))
    assert.equal((await t.introspect(tokens.refresh_token)).active, true)
    const response = await t.post(
      '/auth/logout',
      { refresh_token: tokens.refresh_token },
      dpopFor(key, '/auth/logout'),
    )
    assert.equal(response.status, 204)
    assert.equal((await t.introspect(tokens.refresh_token)).active, false)
  })

  test('a Bearer token sent under the DPoP scheme is refused', async () => {
    await post('/auth/register', { username: 'out-bearer', password: PASSWORD })
    const tokens = await loginWith('out-bearer')
    const answer = await post(
      '/auth/logout',
      {},
      {
        authorization: `DPoP ${tokens.access_token}`,
        ...dpopFor(newKey(), '/auth/logout', tokens.access_token),
      },
    )
    assert.equal(answer.status, 401)
    assert.equal((await t.introspect(tokens.refresh_token)).active, true)
  })
})
