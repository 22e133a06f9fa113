/**
 * @module The OpenID Connect repositories' part of the Store conformance suite (clients, codes,
 * consents, session clients; the rest in oidc-session-conformance.ts), run by storeConformance on every
 * backend. Races use a second store on the same database
 * where the backend has one, so "one winner" is shown across instances, not just inside one.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { describe, test } from 'node:test'
import type { AuthorizationCodeRecord, OAuthClientRecord, Store, UserRecord } from '../../src/index.js'
import { oidcSessionCases } from './oidc-session-conformance.js'

const T0 = 1_800_000_000_000
const id = () => randomBytes(12).toString('base64url')
const hash = () => randomBytes(32).toString('hex')

export const sampleClient = (overrides: Partial<OAuthClientRecord> = {}): OAuthClientRecord => ({
  id: `client-${id()}`,
  name: 'Notes',
  type: 'confidential',
  secretHash: 'hmac-of-secret',
  redirectUris: ['https://notes.example/callback', 'http://127.0.0.1:8081/callback'],
  postLogoutRedirectUris: ['https://notes.example/'],
  backchannelLogoutUri: 'https://notes.example/backchannel-logout',
  firstParty: false,
  scope: 'openid profile email offline_access',
  grantTypes: ['authorization_code', 'refresh_token'],
  tokenEndpointAuthMethod: 'client_secret_basic',
  idTokenSignedResponseAlg: 'RS256',
  jwksUri: null,
  jwks: null,
  dpop: 'allowed',
  createdAt: T0,
  updatedAt: T0,
  ...overrides,
})

export function oidcRepositoryCases(
  store: () => Store,
  openAnother: (() => Promise<Store>) | undefined,
  newUser: () => Promise<UserRecord>,
): void {
  const code = (
    userId: string,
    overrides: Partial<AuthorizationCodeRecord> = {},
  ): AuthorizationCodeRecord => ({
    hash: hash(),
    clientId: 'client-a',
    userId,
    sid: id(),
    redirectUri: 'https://notes.example/callback',
    scope: 'openid profile',
    nonce: 'n-0S6_WzA2Mj',
    codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    authTime: T0 - 5000,
    amr: ['pwd'],
    resource: null,
    dpopJkt: null,
    createdAt: T0,
    expiresAt: T0 + 60_000,
    consumedAt: null,
    familyId: null,
    ...overrides,
  })

  /** A second instance on the same database when there is one (closed by `done`), else the same store. */
  const other = async (): Promise<{ on: Store; done: () => Promise<void> }> => {
    if (!openAnother) return { on: store(), done: async () => {} }
    const on = await openAnother()
    return { on, done: () => on.close() }
  }

  describe('clients', () => {
    test('a created client reads back field for field, is listed, updated and removed', async () => {
      const client = sampleClient()
      await store().clients.create(client)
      assert.deepEqual(await store().clients.find(client.id), client)
      assert.ok((await store().clients.list()).some((c) => c.id === client.id))
      assert.equal(
        await store().clients.update(client.id, { secretHash: 'rotated', firstParty: true }, T0 + 5),
        true,
      )
      assert.deepEqual(await store().clients.find(client.id), {
        ...client,
        secretHash: 'rotated',
        firstParty: true,
        updatedAt: T0 + 5,
      })
      assert.equal(await store().clients.update('nobody', { name: 'x' }, T0), false)
      assert.equal(await store().clients.remove(client.id), true)
      assert.equal(await store().clients.remove(client.id), false)
      assert.equal(await store().clients.find(client.id), undefined)
    })

    test('a public client with a JWKS and no secret keeps its nulls and lists', async () => {
      const client = sampleClient({
        type: 'public',
        secretHash: null,
        tokenEndpointAuthMethod: 'none',
        backchannelLogoutUri: null,
        postLogoutRedirectUris: [],
        idTokenSignedResponseAlg: 'EdDSA',
        jwks: '{"keys":[]}',
      })
      await store().clients.create(client)
      assert.deepEqual(await store().clients.find(client.id), client)
    })

    test('a taken client id is ERR_CLIENT_EXISTS', async () => {
      const client = sampleClient()
      await store().clients.create(client)
      await assert.rejects(store().clients.create({ ...client, name: 'Other' }), {
        code: 'ERR_CLIENT_EXISTS',
      })
    })

    test('a client added through one instance is found at once through another', async () => {
      const { on, done } = await other()
      try {
        const client = sampleClient()
        await store().clients.create(client)
        assert.equal((await on.clients.find(client.id))?.name, 'Notes')
        await on.clients.update(client.id, { name: 'Renamed' }, T0 + 1)
        assert.equal((await store().clients.find(client.id))?.name, 'Renamed')
      } finally {
        await done()
      }
    })
  })

  describe('authorization codes', () => {
    test('the first consume wins; a second is a replay carrying the family it issued; unknown is unknown', async () => {
      const user = await newUser()
      const c = code(user.id)
      await store().codes.create(c)
      const first = await store().codes.consume(c.hash, T0 + 10)
      assert.deepEqual(first, { outcome: 'consumed', code: { ...c, consumedAt: T0 + 10 } })
      await store().codes.setFamily(c.hash, 'fam-1')
      const second = await store().codes.consume(c.hash, T0 + 20)
      assert.deepEqual(second, {
        outcome: 'replayed',
        code: { ...c, consumedAt: T0 + 10, familyId: 'fam-1' },
      })
      assert.deepEqual(await store().codes.consume(hash(), T0), { outcome: 'unknown' })
    })

    test('fifty parallel consumes over two instances: exactly one consumed, forty-nine replayed', async () => {
      const user = await newUser()
      const c = code(user.id)
      await store().codes.create(c)
      const { on, done } = await other()
      try {
        const results = await Promise.all(
          Array.from({ length: 50 }, (_, i) => (i % 2 ? on : store()).codes.consume(c.hash, T0 + i)),
        )
        const outcomes = results.map((r) => r.outcome)
        assert.equal(outcomes.filter((o) => o === 'consumed').length, 1)
        assert.equal(outcomes.filter((o) => o === 'replayed').length, 49)
      } finally {
        await done()
      }
    })

    test('purgeExpired keeps a used code for a day past its expiry, then deletes it', async () => {
      const user = await newUser()
      const c = code(user.id)
      await store().codes.create(c)
      await store().codes.consume(c.hash, T0 + 1)
      await store().purgeExpired(c.expiresAt + 1000)
      assert.equal((await store().codes.consume(c.hash, T0 + 2)).outcome, 'replayed')
      await store().purgeExpired(c.expiresAt + 86_400_000)
      assert.equal((await store().codes.consume(c.hash, T0 + 3)).outcome, 'unknown')
    })
  })

  describe('consents', () => {
    test('grants are remembered as the union of every grant, revoke forgets', async () => {
      const user = await newUser()
      assert.equal(await store().consents.find(user.id, 'client-a'), undefined)
      await store().consents.grant(user.id, 'client-a', 'openid profile', T0)
      assert.deepEqual(await store().consents.find(user.id, 'client-a'), {
        scope: 'openid profile',
        grantedAt: T0,
      })
      await store().consents.grant(user.id, 'client-a', 'openid  email', T0 + 5)
      assert.deepEqual(await store().consents.find(user.id, 'client-a'), {
        scope: 'openid profile email',
        grantedAt: T0 + 5,
      })
      assert.equal(await store().consents.find(user.id, 'client-b'), undefined)
      assert.equal(await store().consents.revoke(user.id, 'client-a'), true)
      assert.equal(await store().consents.revoke(user.id, 'client-a'), false)
      assert.equal(await store().consents.find(user.id, 'client-a'), undefined)
    })

    test('ten grants of different scopes at once over two instances lose none', async () => {
      const user = await newUser()
      const { on, done } = await other()
      try {
        const scopes = Array.from({ length: 10 }, (_, i) => `s${i}`)
        await Promise.all(scopes.map((s, i) => (i % 2 ? on : store()).consents.grant(user.id, 'c', s, T0)))
        const granted = (await store().consents.find(user.id, 'c'))?.scope.split(' ').sort()
        assert.deepEqual(granted, scopes.sort())
      } finally {
        await done()
      }
    })

    test('removing a client forgets its consents', async () => {
      const user = await newUser()
      const client = sampleClient()
      await store().clients.create(client)
      await store().consents.grant(user.id, client.id, 'openid', T0)
      await store().clients.remove(client.id)
      assert.equal(await store().consents.find(user.id, client.id), undefined)
    })
  })

  describe('session clients', () => {
    test('each client is listed once per session, in sign-in order, until the session is removed', async () => {
      const user = await newUser()
      const sid = id()
      await store().sessionClients.add(sid, 'notes', user.id, T0)
      await store().sessionClients.add(sid, 'photos', user.id, T0 + 1)
      await store().sessionClients.add(sid, 'notes', user.id, T0 + 2)
      await store().sessionClients.add(id(), 'elsewhere', user.id, T0)
      assert.deepEqual(await store().sessionClients.listForSession(sid), [
        { clientId: 'notes', userId: user.id },
        { clientId: 'photos', userId: user.id },
      ])
      await store().sessionClients.removeSession(sid)
      assert.deepEqual(await store().sessionClients.listForSession(sid), [])
    })

    test('a user\u2019s sessions that signed in to clients are listed by user, and no one else\u2019s', async () => {
      const user = await newUser()
      const other = await newUser()
      const [a, b] = [id(), id()].sort()
      await store().sessionClients.add(b!, 'photos', user.id, T0)
      await store().sessionClients.add(a!, 'notes', user.id, T0 + 1)
      await store().sessionClients.add(a!, 'photos', user.id, T0 + 2)
      await store().sessionClients.add(id(), 'notes', other.id, T0)
      assert.deepEqual(await store().sessionClients.listForUser(user.id), [
        { sid: a, clientId: 'notes' },
        { sid: a, clientId: 'photos' },
        { sid: b, clientId: 'photos' },
      ])
      await store().sessionClients.removeSession(a!)
      assert.deepEqual(await store().sessionClients.listForUser(user.id), [{ sid: b, clientId: 'photos' }])
    })
  })

  oidcSessionCases(store, openAnother, newUser)
}
