/**
 * @module `/me` at the issuer answers from memory: after a user's first request, no store call at all
 * (the store handed to the app counts its calls), cache hits included; and every revocation path —
 * logout, RFC 7009 revoke, reuse detection, disable, logout everywhere — is refused at once, on the
 * very token the verifier has cached. Entries leave the set when the tokens they cover have expired.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import {
  buildApp,
  createRequestVerifier,
  loadConfig,
  manualClock,
  openSqlStore,
  type Store,
  type TesseraApp,
} from '../../src/index.js'
import { TEST_SECRET } from '../helpers/test-server.js'

const PASSWORD = 'correct horse battery staple'

/** The same store, counting every repository call made through it. */
function counting(store: Store): { store: Store; calls: string[] } {
  const calls: string[] = []
  const wrap = <T extends object>(name: string, target: T): T =>
    new Proxy(target, {
      get(object, key) {
        const value = Reflect.get(object, key, object)
        if (typeof value !== 'function') return value
        return (...args: unknown[]) => {
          calls.push(`${name}.${String(key)}`)
          return value.apply(object, args)
        }
      },
    })
  const proxy = new Proxy(store, {
    get(object, key) {
      const value = Reflect.get(object, key, object)
      if (typeof value === 'function') return value.bind(object)
      if (typeof value === 'object' && value !== null && typeof key === 'string') return wrap(key, value)
      return value
    },
  })
  return { store: proxy, calls }
}

describe('/me at the issuer, from memory (SQLite, one process)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-revocation-'))
  const clock = manualClock(1_900_000_000_000)
  let raw: Store
  let calls: string[]
  let built: TesseraApp

  const post = async (url: string, payload: unknown, headers: Record<string, string> = {}) =>
    built.app.inject({ method: 'POST', url, payload: payload as object, headers })
  const me = (token: string) =>
    built.app.inject({ method: 'GET', url: '/me', headers: { authorization: `Bearer ${token}` } })
  const login = async (username: string) => {
    const response = await post('/auth/login', { username, password: PASSWORD })
    assert.equal(response.statusCode, 200, response.body)
    return response.json() as { access_token: string; refresh_token: string }
  }

  before(async () => {
    const config = loadConfig({
      database: `sqlite:${join(dir, 'r.db')}`,
      secret: TEST_SECRET,
      logLevel: 'silent',
      demoUser: false,
    })
    raw = await openSqlStore(config.database)
    const counted = counting(raw)
    calls = counted.calls
    built = await buildApp(config, { store: counted.store, clock })
    for (const name of ['ada', 'bob', 'cy', 'dee', 'eve'])
      assert.equal((await post('/auth/register', { username: name, password: PASSWORD })).statusCode, 201)
  })
  after(async () => {
    await built?.close()
    await raw?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  test('after the first request of a user, /me makes no store call (cache hits and misses alike)', async () => {
    const first = await login('ada')
    const second = await login('ada')
    assert.equal((await me(first.access_token)).statusCode, 200)
    calls.length = 0
    for (let i = 0; i < 20; i++) {
      const response = await me(i % 2 ? first.access_token : second.access_token)
      assert.equal(response.statusCode, 200)
      assert.equal(response.json().username, 'ada')
      assert.match(String(response.headers['server-timing']), /signature;.*revocation;.*total;/)
    }
    assert.deepEqual(calls, [])
    assert.equal(built.services.revocations.state, 'in_sync')
  })

  test('logout: the cached token is refused at once', async () => {
    const tokens = await login('ada')
    assert.equal((await me(tokens.access_token)).statusCode, 200)
    assert.equal((await post('/auth/logout', { refresh_token: tokens.refresh_token })).statusCode, 204)
    const refused = await me(tokens.access_token)
    assert.equal(refused.statusCode, 401)
    assert.equal(refused.json().code, 'ERR_ACCESS_TOKEN_INVALID')
    assert.match(refused.json().error_description, /session of this access token was ended/)
  })

  test('RFC 7009 revoke of the access token itself: refused', async () => {
    const tokens = await login('bob')
    assert.equal((await me(tokens.access_token)).statusCode, 200)
    const revoke = await built.app.inject({
      method: 'POST',
      url: '/oauth/revoke',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ token: tokens.access_token }).toString(),
    })
    assert.equal(revoke.statusCode, 200)
    assert.equal((await me(tokens.access_token)).statusCode, 401)
  })

  test('reuse detection: the whole family is refused, its newest token too', async () => {
    const first = await login('cy')
    const r1 = await post('/auth/refresh', { refresh_token: first.refresh_token })
    const second = r1.json() as { access_token: string; refresh_token: string }
    const r2 = await post('/auth/refresh', { refresh_token: second.refresh_token })
    const third = r2.json() as { access_token: string; refresh_token: string }
    assert.equal((await me(third.access_token)).statusCode, 200)
    const reuse = await post('/auth/refresh', { refresh_token: first.refresh_token })
    assert.equal(reuse.json().code, 'ERR_REFRESH_TOKEN_REUSED')
    for (const token of [first, second, third]) assert.equal((await me(token.access_token)).statusCode, 401)
  })

  test('a disabled user: every token refused; enabled again, new logins work and old sessions stay ended', async () => {
    const before = await login('dee')
    assert.equal((await me(before.access_token)).statusCode, 200)
    await built.services.users.setDisabled('dee', true)
    const refused = await me(before.access_token)
    assert.equal(refused.statusCode, 401)
    clock.advance(1000)
    await built.services.users.setDisabled('dee', false)
    assert.equal((await me(before.access_token)).statusCode, 401)
    const after = await login('dee')
    assert.equal((await me(after.access_token)).statusCode, 200)
  })

  test('logout everywhere: every family of the user refused', async () => {
    const a = await login('eve')
    const b = await login('eve')
    const user = await raw.users.findByUsername('eve')
    await built.services.sessions.logoutEverywhere(user!.id)
    assert.equal((await me(a.access_token)).statusCode, 401)
    assert.equal((await me(b.access_token)).statusCode, 401)
  })

  test('verifyRequest at the issuer with `revocations: services.revocations`: an ended session refused from memory', async () => {
    const jwks = (await built.app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json()
    const verify = createRequestVerifier({
      issuer: built.services.issuer(),
      audience: built.services.config.audience,
      keys: jwks,
      clock,
      revocations: built.services.revocations,
    })
    const tokens = await login('ada')
    const request = { headers: { authorization: `Bearer ${tokens.access_token}` } }
    assert.equal((await verify(request)).claims.sub, (await raw.users.findByUsername('ada'))!.id)
    assert.equal((await post('/auth/logout', { refresh_token: tokens.refresh_token })).statusCode, 204)
    await assert.rejects(verify(request), { code: 'ERR_ACCESS_TOKEN_INVALID' })
  })

  test('entries are dropped once every token they could affect has expired', async () => {
    const { accessTtl, clockSkew } = built.services.config
    assert.ok(built.services.revocations.set.size.sessions > 0)
    clock.advance((accessTtl + clockSkew) * 1000 + 1000)
    built.services.revocations.set.prune()
    assert.deepEqual(built.services.revocations.set.size, { sessions: 0, users: 0 })
  })
})
