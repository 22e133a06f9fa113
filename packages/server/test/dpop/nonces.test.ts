/**
 * @module Server nonces (RFC 9449 §8), `--dpop-nonce required`: stateless HMACs of time steps, so two
 * instances on one database (and one TESSERA_SECRET) accept each other's nonces. A proof without a nonce,
 * or with one two steps old, gets 400 `use_dpop_nonce` with a fresh `DPoP-Nonce`; the retry with it is
 * answered; every answer of the token endpoints (errors too) carries `DPoP-Nonce`.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { dpopNonces, NONCE_STEP_SECONDS } from '../../src/dpop/nonces.js'
import { manualClock } from '../../src/index.js'
import { register, startTestServer, type TestServer, tempDir } from '../helpers/test-server.js'
import { type Answer, newKey, PASSWORD, proof, read } from './dpop-fixtures.js'

const STEP_MS = NONCE_STEP_SECONDS * 1000

describe('the nonce source', () => {
  const key = Buffer.alloc(32, 7)

  test('accepts the current and the previous step, not the one before', () => {
    const clock = manualClock(1_800_000_000_000)
    const nonces = dpopNonces(key, clock)
    const first = nonces.current()
    assert.equal(nonces.accepts(first), true)
    clock.advance(STEP_MS)
    assert.notEqual(nonces.current(), first)
    assert.equal(nonces.accepts(first), true, 'the previous step is accepted')
    clock.advance(STEP_MS)
    assert.equal(nonces.accepts(first), false, 'two steps old is stale')
  })

  test('another secret makes other nonces; malformed values are refused', () => {
    const clock = manualClock(1_800_000_000_000)
    const ours = dpopNonces(key, clock)
    const theirs = dpopNonces(Buffer.alloc(32, 8), clock)
    assert.equal(ours.accepts(theirs.current()), false)
    for (const bad of ['', 'x', `${ours.current()}=`, ours.current().toUpperCase(), 'a'.repeat(22)])
      assert.equal(ours.accepts(bad), false, bad)
  })

  test('two sources with one key agree without sharing anything', () => {
    const clock = manualClock(1_800_000_000_000)
    assert.equal(dpopNonces(key, clock).accepts(dpopNonces(key, clock).current()), true)
  })
})

describe('two instances with nonces required, on one database', () => {
  const ISSUER = 'https://auth.example.test'
  const clock = manualClock(Date.now())
  const dir = tempDir()
  let a: TestServer
  let b: TestServer
  const key = newKey()

  before(async () => {
    a = await startTestServer({ issuer: ISSUER, dpopNonce: 'required' }, { clock, dir })
    b = await startTestServer({ issuer: ISSUER, dpopNonce: 'required' }, { clock, dir })
    await register(a, 'nonce-user', PASSWORD)
  })
  after(async () => {
    await b.stop()
    await a.cleanup()
  })

  const iat = () => Math.floor(clock() / 1000)
  const login = async (server: TestServer, nonce?: string): Promise<Answer> =>
    read(
      await server.post(
        '/auth/login',
        { username: 'nonce-user', password: PASSWORD },
        {
          dpop: proof(key, 'POST', `${ISSUER}/auth/login`, { iat: iat(), ...(nonce ? { nonce } : {}) }),
        },
      ),
    )

  function assertNonceChallenge(answer: Answer): string {
    assert.equal(answer.status, 400, JSON.stringify(answer.body))
    assert.equal(answer.body.error, 'use_dpop_nonce')
    assert.equal(answer.body.code, 'ERR_DPOP_NONCE_REQUIRED')
    const nonce = answer.headers.get('dpop-nonce')
    assert.ok(nonce && nonce.length > 0, 'the challenge carries DPoP-Nonce')
    return nonce
  }

  test("a proof without a nonce is challenged; the retry with one instance's nonce is answered by the other", async () => {
    const nonce = assertNonceChallenge(await login(a))
    const answer = await login(b, nonce)
    assert.equal(answer.status, 200, JSON.stringify(answer.body))
    assert.equal(answer.body.token_type, 'DPoP')
    assert.equal(answer.headers.get('dpop-nonce'), nonce, 'answers carry the nonce too')
  })

  test('a nonce two steps old is challenged again, with a fresh nonce', async () => {
    const old = assertNonceChallenge(await login(a))
    clock.advance(2 * STEP_MS)
    const fresh = assertNonceChallenge(await login(b, old))
    assert.notEqual(fresh, old)
    assert.equal((await login(a, fresh)).status, 200)
  })

  test('every answer of the token endpoints carries DPoP-Nonce, errors and /token too', async () => {
    const wrongPassword = await a.post('/auth/login', { username: 'nonce-user', password: 'wrong password!' })
    assert.equal(wrongPassword.status, 401)
    assert.ok(wrongPassword.headers.get('dpop-nonce'))
    const grant = await a.form('/token', { grant_type: 'password' })
    assert.equal(grant.status, 401)
    assert.ok(grant.headers.get('dpop-nonce'))
  })
})
