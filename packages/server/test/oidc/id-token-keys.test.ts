/**
 * @module The key ring signs ID tokens with the algorithm a client registered: RS256 (the default),
 * ES256 and EdDSA, each with a published key, `typ` per use, verifiable by `jose` from the JWKS alone;
 * no algorithm it keeps no key of (none, HS256) is ever signed; access tokens keep their own key and typ.
 */
import assert from 'node:assert/strict'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose'
import { createServices, loadConfig, manualClock, type Services } from '../../src/index.js'
import { TEST_SECRET, tempDir } from '../helpers/test-server.js'

const T0 = 1_800_000_000_000
let dir: string
let s: Services
const clock = manualClock(T0)

before(async () => {
  dir = tempDir()
  s = await createServices(loadConfig({ database: `sqlite:${join(dir, 'ids.db')}`, secret: TEST_SECRET }), {
    clock,
  })
})
after(async () => {
  await s?.close()
  rmSync(dir, { recursive: true, force: true })
})

const claims = () => ({
  iss: 'https://issuer',
  sub: 'u1',
  aud: 'notes',
  iat: T0 / 1000,
  exp: T0 / 1000 + 300,
})

for (const alg of ['RS256', 'ES256', 'EdDSA'] as const) {
  test(`${alg}: signWith signs with the ${alg} key in the JWKS, typ JWT; jose verifies it from the JWKS`, async () => {
    const token = s.keys.signIdToken(claims(), alg)
    const header = decodeProtectedHeader(token)
    assert.equal(header.alg, alg)
    assert.equal(header.typ, 'JWT')
    const published = s.keys.jwks().keys.find((k) => k.kid === header.kid)
    assert.equal(published?.alg, alg)
    const { payload } = await jwtVerify(token, createLocalJWKSet(s.keys.jwks() as never), {
      algorithms: [alg],
      issuer: 'https://issuer',
      audience: 'notes',
      currentDate: new Date(T0),
    })
    assert.equal(payload.sub, 'u1')
  })
}

test('signWith takes the typ of each use (logout+jwt) and extra header members', () => {
  const { token, kid } = s.keys.signWith('RS256', { sub: 'u1', events: {} }, { typ: 'logout+jwt' })
  const header = decodeProtectedHeader(token)
  assert.deepEqual([header.typ, header.kid], ['logout+jwt', kid])
  assert.equal(
    decodeProtectedHeader(s.keys.signIdToken(claims(), 'RS256')).typ,
    'JWT',
    'signers are kept per typ',
  )
})

test('an algorithm the ring keeps no key of is refused, none and HS256 included (never an unsigned token)', () => {
  for (const alg of ['none', 'None', 'HS256', 'PS256', 'ES512'])
    assert.throws(() => s.keys.signWith(alg, claims()), { code: 'ERR_KEYS_UNAVAILABLE' }, alg)
})

test('access tokens keep their ES256 key and typ at+jwt, apart from the RS256 ID-token key', () => {
  const access = s.keys.sign({ sub: 'u1' })
  const header = decodeProtectedHeader(access.token)
  assert.deepEqual([header.alg, header.typ], ['ES256', 'at+jwt'])
  const rsa = decodeProtectedHeader(s.keys.signIdToken(claims(), 'RS256'))
  assert.notEqual(rsa.kid, access.kid)
})

test('a rotation makes a new key of every algorithm; ID tokens switch to them when they activate', async () => {
  const before = new Map(['RS256', 'ES256', 'EdDSA'].map((a) => [a, s.keys.signWith(a, claims()).kid]))
  await s.keys.rotate()
  for (const [alg, kid] of before)
    assert.equal(s.keys.signWith(alg, claims()).kid, kid, `${alg} until activation`)
  clock.advance(s.config.jwksMaxAge * 1000)
  for (const [alg, kid] of before) {
    const next = s.keys.signWith(alg, claims()).kid
    assert.notEqual(next, kid, `${alg} after activation`)
    assert.ok(
      s.keys.jwks().keys.some((k) => k.kid === kid),
      `${alg}: the old key stays published for its tokens`,
    )
  }
})
