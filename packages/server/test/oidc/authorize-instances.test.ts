/**
 * @module /authorize across instances on one PostgreSQL + Redis: a login page shown by one instance is
 * posted to another (the sealed request opens anywhere, with the same TESSERA_SECRET), the code it
 * issues is found by a third's store, and the session made there is single sign-on on the first.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { hashCode } from '../../src/oidc/authorize/issue-code.js'
import type { OAuthClientRecord } from '../../src/store/types.js'
import { freshDatabase, REDIS_URL, servicesMissing, skipLoudly } from '../helpers/services.js'
import { register, startTestServer, type TestServer } from '../helpers/test-server.js'
import { authorizeParams, clientRecord, formFields, Jar, PASSWORD } from './authorize-fixtures.js'

const missing = await servicesMissing({ redis: true })
if (missing) skipLoudly('/authorize across instances on PostgreSQL + Redis', missing)
else {
  const database = freshDatabase('authorize')
  const servers: TestServer[] = []
  let client: OAuthClientRecord
  before(async () => {
    for (let i = 0; i < 3; i++)
      servers.push(await startTestServer({ database: database.url, redis: REDIS_URL }))
    client = clientRecord('spread-app', Date.now(), {
      name: 'Spread',
      redirectUris: ['https://spread.example/cb'],
      firstParty: true,
      scope: 'openid profile',
      grantTypes: ['authorization_code'],
    })
    await servers[0]!.server.services.store.clients.create(client)
    await register(servers[0]!, 'roamer', PASSWORD)
  })
  after(async () => {
    for (const s of servers) await s.cleanup()
    await database.drop()
  })

  const get = async (server: TestServer, jar: Jar, params: URLSearchParams) => {
    const response = await fetch(`${server.url}/authorize?${params}`, {
      headers: jar.header(),
      redirect: 'manual',
    })
    jar.take(response)
    return response
  }

  test('a page from instance A is posted to B, the code is found on C, and A then signs in without a password', async () => {
    const [a, b, c] = servers as [TestServer, TestServer, TestServer]
    const jar = new Jar()
    const page = await get(a, jar, authorizeParams(client))
    assert.equal(page.status, 200)
    const { interaction, csrf } = formFields(await page.text())
    const login = await fetch(`${b.url}/authorize/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { ...jar.header(), 'content-type': 'application/x-www-form-urlencoded', origin: b.url },
      body: new URLSearchParams({ interaction, csrf_token: csrf, username: 'roamer', password: PASSWORD }),
    })
    jar.take(login)
    assert.equal(login.status, 303)
    const location = new URL(login.headers.get('location')!)
    // The issuer that answered is named (each test instance is its own issuer URL).
    assert.equal(location.searchParams.get('iss'), b.url)
    const code = location.searchParams.get('code')!
    const consumed = await c.server.services.store.codes.consume(hashCode(code), Date.now())
    assert.equal(consumed.outcome, 'consumed')
    const sso = await get(a, jar, authorizeParams(client))
    assert.equal(sso.status, 302)
    assert.ok(new URL(sso.headers.get('location')!).searchParams.get('code'))
  })
}
