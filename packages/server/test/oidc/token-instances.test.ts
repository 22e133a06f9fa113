/**
 * @module `/token` across three server instances on one PostgreSQL + Redis: a client registered through
 * one works on all, a code issued on one is redeemed on another (and its replay on a third revokes what
 * the first redemption issued, at every instance), and fifty parallel redemptions of one code spread over
 * the three give exactly one token response. Skips loudly without PostgreSQL and Redis (fails with
 * TESSERA_REQUIRE_SERVICES=1).
 */
import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { after, before, test } from 'node:test'
import { freshDatabase, REDIS_URL, servicesMissing, skipLoudly } from '../helpers/services.js'
import { register, startTestServer, type TestServer } from '../helpers/test-server.js'
import { pkce } from './authorize-fixtures.js'

const missing = await servicesMissing({ redis: true })

if (missing) {
  skipLoudly('/token on three instances over PostgreSQL + Redis', missing)
} else {
  const db = freshDatabase('oidc_token')
  let servers: TestServer[] = []
  let userId = ''
  let secret = ''

  before(async () => {
    const first = await startTestServer({ database: db.url, redis: REDIS_URL })
    servers = [
      first,
      ...(await Promise.all([1, 2].map(() => startTestServer({ database: db.url, redis: REDIS_URL })))),
    ]
    await register(first, 'multi')
    userId = (await first.server.services.store.users.findByUsername('multi'))!.id
    const registered = await first.server.services.clients.register({
      id: 'multi-rp',
      name: 'Multi',
      type: 'confidential',
      redirectUris: ['https://multi.example/callback'],
      grantTypes: ['authorization_code', 'refresh_token', 'client_credentials'],
      scope: 'openid profile api',
      tokenEndpointAuthMethod: 'client_secret_basic',
    })
    secret = registered.secret!
  })
  after(async () => {
    for (const s of servers) await s.stop()
    for (const s of servers) await s.cleanup()
    await db.drop()
  })

  const auth = () => ({ authorization: `Basic ${Buffer.from(`multi-rp:${secret}`).toString('base64')}` })
  const post = async (t: TestServer, form: Record<string, string>) => {
    const response = await t.form('/token', form, auth())
    return { status: response.status, body: (await response.json()) as Record<string, unknown> }
  }

  async function code(): Promise<{ form: Record<string, string> }> {
    const value = randomBytes(32).toString('base64url')
    const { verifier, challenge } = pkce()
    const now = Date.now()
    await servers[0]!.server.services.store.codes.create({
      hash: createHash('sha256').update(value).digest('hex'),
      clientId: 'multi-rp',
      userId,
      sid: 'sid-multi',
      redirectUri: 'https://multi.example/callback',
      scope: 'openid profile',
      nonce: null,
      codeChallenge: challenge,
      authTime: now,
      amr: ['pwd'],
      resource: null,
      dpopJkt: null,
      createdAt: now,
      expiresAt: now + 60_000,
      consumedAt: null,
      familyId: null,
    })
    return {
      form: {
        grant_type: 'authorization_code',
        code: value,
        code_verifier: verifier,
        redirect_uri: 'https://multi.example/callback',
      },
    }
  }

  test('a client registered through one instance authenticates at every instance', async () => {
    for (const t of servers) {
      const { status } = await post(t, { grant_type: 'client_credentials' })
      assert.equal(status, 200, t.url)
    }
  })

  test('a code issued on one instance is redeemed on another; its replay on a third revokes it everywhere', async () => {
    const { form } = await code()
    const first = await post(servers[1]!, form)
    assert.equal(first.status, 200, JSON.stringify(first.body))
    const replay = await post(servers[2]!, form)
    assert.equal(replay.status, 400)
    assert.equal(replay.body.error, 'invalid_grant')
    for (const t of servers) {
      const info = await t.get('/userinfo', { authorization: `Bearer ${first.body.access_token}` })
      assert.equal(info.status, 401, t.url)
    }
  })

  test('fifty parallel redemptions of one code over three instances give exactly one token response', async () => {
    const { form } = await code()
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => post(servers[i % 3]!, form)))
    assert.equal(answers.filter((a) => a.status === 200).length, 1)
    for (const a of answers.filter((x) => x.status !== 200)) assert.equal(a.body.error, 'invalid_grant')
  })
}
