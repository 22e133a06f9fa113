/**
 * @module createRemoteJWKSet against a real loopback HTTP server (issue 4, item 2 and "Must show"): rotation
 * followed without a failed verification, at most one fetch per cooldown under a flood of unknown kids,
 * and an issuer that fails (500, silence, junk, too large) leaving known keys working. Time is an injected
 * clock; only the timeout test waits, for 150 ms.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { cacheLifetime } from '../src/jwks/cache-control.ts'
import {
  createKeyRing,
  createRemoteJWKSet,
  createSigner,
  createVerifier,
  exportJWK,
  generateKeyPair,
  type JOSEError,
  type JoseKey,
  type JWK,
  type RemoteJWKSetOptions,
  verifyJWT,
} from '../src/node.ts'
import { type JwksServer, startJwksServer } from './support/jwks-server.ts'
import { expectCode } from './support/vectors.ts'

interface Published {
  kid: string
  jwk: JWK
  sign: (claims?: Record<string, unknown>) => string
}

async function publishedKey(kid: string): Promise<Published> {
  const { privateKey, publicKey } = await generateKeyPair('ES256')
  const jwk = { ...(await exportJWK(publicKey)), kid, use: 'sig' }
  const signer = createSigner({ key: privateKey as JoseKey, alg: 'ES256', kid, expiresIn: '1d' })
  return { kid, jwk, sign: (claims = { sub: 'alice' }) => signer(claims) }
}

let server: JwksServer
let now = Date.now()
const clock = () => now
const k1 = await publishedKey('k1')
const k2 = await publishedKey('k2')
const stranger = await publishedKey('never-published')

before(async () => {
  server = await startJwksServer()
})
after(() => server.close())

function remote(options: RemoteJWKSetOptions = {}) {
  return createRemoteJWKSet(server.url, { clock, ...options })
}

function serve(body: unknown, extra: Partial<JwksServer['behaviour']> = {}) {
  server.behaviour = { body, status: 200, hang: false, delay: 0, declareLength: false, ...extra }
}

describe('createRemoteJWKSet: following a rotation', () => {
  test('old kid retired, new kid added: every token from either key verifies during the overlap', async () => {
    now = Date.now()
    serve({ keys: [k1.jwk] })
    const set = remote()
    const verify = createVerifier({ key: set, algorithms: ['ES256'] })
    const start = server.requests
    let failures = 0
    const check = async (key: Published) => {
      try {
        assert.equal((await verify(key.sign())).key.kid, key.kid)
      } catch {
        failures++
      }
    }
    for (let i = 0; i < 10; i++) await check(k1)
    // The issuer adds k2 and starts signing with it at once (no publish-ahead): the unknown kid
    // triggers one refetch because the cooldown has passed.
    serve({ keys: [k1.jwk, k2.jwk] })
    now += 31_000
    for (let i = 0; i < 20; i++) {
      await check(k2)
      await check(k1)
      now += 1000
    }
    // k1 is retired (unpublished) once its tokens have expired; the next scheduled refresh drops it.
    serve({ keys: [k2.jwk] })
    now += 600_000
    await check(k2)
    assert.equal(failures, 0)
    assert.deepEqual(set.snapshot().kids, ['k2'])
    assert.equal(
      server.requests - start,
      3,
      'initial fetch, the unknown-kid refetch, the refresh after cacheMaxAge',
    )
    await expectCode(() => verify(k1.sign()), 'ERR_JWKS_NO_MATCHING_KEY')
  })

  test('with a key ring publishing ahead, rotation needs no unknown-kid refetch at all', async () => {
    now = Date.now()
    const ring = await createKeyRing({ alg: 'ES256', clock, publishAhead: 600_000, retainRetired: 3_600_000 })
    const signerOf = () => {
      const { key, kid, alg } = ring.signingKey()
      return createSigner({ key, kid, alg, expiresIn: '1h', clock })
    }
    serve(ring.jwks())
    const verify = createVerifier({ key: remote(), algorithms: ['ES256'], clock })
    const before = signerOf()
    assert.ok(await verify(before({})))
    const start = server.requests
    now += 600_000
    await ring.rotate()
    serve(ring.jwks())
    const afterRotation = signerOf()
    // Both verify: the new current key was fetched as "next" long ago; the old one is still published.
    for (let i = 0; i < 10; i++) {
      assert.ok(await verify(afterRotation({})))
      assert.ok(await verify(before({})))
    }
    assert.equal(
      server.requests - start,
      1,
      'one scheduled refresh (the cache had expired), no refetch for a kid',
    )
  })
})

describe('createRemoteJWKSet: refetch bounds', () => {
  test('1,000 tokens with unknown kids at once cause at most one fetch per cooldown', async () => {
    now = Date.now()
    serve({ keys: [k1.jwk] })
    const set = remote({ cooldownDuration: 30_000 })
    const verify = createVerifier({ key: set, algorithms: ['ES256'] })
    await set.warm()
    const start = server.requests
    const flood = async () => {
      const outcomes = await Promise.allSettled(
        Array.from({ length: 1000 }, (_, i) => verify(createForged(i))),
      )
      for (const outcome of outcomes) {
        assert.equal(outcome.status, 'rejected')
        assert.equal((outcome as PromiseRejectedResult).reason.code, 'ERR_JWKS_NO_MATCHING_KEY')
      }
    }
    await flood() // within the cooldown of the warm-up fetch: no fetch at all
    assert.equal(server.requests - start, 0)
    now += 30_000
    await flood()
    assert.equal(server.requests - start, 1)
    await flood()
    now += 29_999
    await flood()
    assert.equal(server.requests - start, 1)
    now += 1
    await flood()
    assert.equal(server.requests - start, 2)
    // Known kids kept verifying throughout.
    assert.ok(await verify(k1.sign()))
  })

  test('1,000 tokens at once on a cold cache share one fetch', async () => {
    now = Date.now()
    serve({ keys: [k1.jwk] }, { delay: 20 })
    const verify = createVerifier({ key: remote(), algorithms: ['ES256'] })
    const start = server.requests
    const token = k1.sign()
    const results = await Promise.all(Array.from({ length: 1000 }, () => verify(token)))
    assert.equal(results.length, 1000)
    assert.equal(server.requests - start, 1)
  })
})

/** Validly signed tokens, each with a kid the issuer never published (what a forger sends). */
const strangerKey = (await generateKeyPair('ES256')).privateKey
const forgedTokens = Array.from({ length: 1000 }, (_, i) =>
  createSigner({ key: strangerKey, alg: 'ES256', kid: `forged-${i}` })({ sub: 'mallory' }),
)
const createForged = (i: number) => forgedTokens[i]!

describe('createRemoteJWKSet: a failing issuer', () => {
  const failures: Array<[string, Partial<JwksServer['behaviour']> & { body?: unknown }, string, RegExp]> = [
    ['answering 500', { status: 500, body: 'oops' }, 'ERR_JWKS_FETCH_FAILED', /HTTP 500/],
    ['redirecting elsewhere', { status: 302, body: '' }, 'ERR_JWKS_FETCH_FAILED', /HTTP 302/],
    ['timing out', { hang: true }, 'ERR_JWKS_TIMEOUT', /timeoutDuration \(150 ms\)/],
    ['answering junk', { body: '<html>maintenance</html>' }, 'ERR_JWKS_INVALID', /not JSON/],
    ['answering JSON that is not a set', { body: { keys: 'none' } }, 'ERR_JWKS_INVALID', /"keys" array/],
    [
      'answering too much (declared)',
      { body: { keys: [], pad: 'x'.repeat(2000) }, declareLength: true },
      'ERR_JWKS_FETCH_FAILED',
      /declares \d+ bytes/,
    ],
    [
      'answering too much (streamed)',
      { body: { keys: [], pad: 'x'.repeat(2000) } },
      'ERR_JWKS_FETCH_FAILED',
      /larger than maxResponseSize \(1024/,
    ],
    [
      'publishing a private key',
      { body: { keys: [{ ...k1.jwk, d: 'AAAA' }] } },
      'ERR_JWKS_INVALID',
      /private or secret/,
    ],
  ]
  for (const [name, behaviour, code, cause] of failures) {
    test(`${name}: known keys keep verifying, an unknown kid gets ${code} as the cause`, async () => {
      now = Date.now()
      serve({ keys: [k1.jwk] })
      // Only the silent issuer needs a short timeout; a loaded CI machine must not turn the others into timeouts.
      const set = remote({ timeoutDuration: behaviour.hang ? 150 : 10_000, maxResponseSize: 1024 })
      const verify = createVerifier({ key: set, algorithms: ['ES256'] })
      assert.ok(await verify(k1.sign()))
      serve(behaviour.body ?? { keys: [] }, behaviour)
      now += 30_000
      const error = await expectCode(() => verify(stranger.sign()), 'ERR_JWKS_NO_MATCHING_KEY')
      assert.equal((error.cause as JOSEError).code, code)
      assert.match((error.cause as JOSEError).message, cause)
      assert.match(
        error.message,
        /no key in the set has "kid": "never-published", and refreshing the set failed/,
      )
      assert.equal(set.snapshot().lastError?.code, code)
      // Past cacheMaxAge, within staleIfErrorDuration: the last good set still verifies known keys.
      now += 600_000
      assert.equal((await verify(k1.sign())).key.kid, 'k1')
      assert.equal(set.snapshot().stale, true)
    })
  }

  test('an issuer down on a cold start gives the fetch error itself', async () => {
    serve('nope', { status: 503 })
    const error = await expectCode(
      () => verifyJWT(k1.sign(), remote(), { algorithms: ['ES256'] }),
      'ERR_JWKS_FETCH_FAILED',
    )
    assert.match(error.message, /HTTP 503; expected 200/)
  })

  test('stale-if-error: one retry per cooldown while failing, and an end after staleIfErrorDuration', async () => {
    now = Date.now()
    serve({ keys: [k1.jwk] })
    const set = remote({ cacheMaxAge: 60_000, cooldownDuration: 10_000, staleIfErrorDuration: 120_000 })
    const verify = createVerifier({ key: set, algorithms: ['ES256'] })
    await set.warm()
    serve('down', { status: 500 })
    const start = server.requests
    now += 60_000
    for (let i = 0; i < 100; i++) assert.ok(await verify(k1.sign()))
    assert.equal(server.requests - start, 1, 'the expired set is refreshed once, then served stale')
    now += 10_000
    for (let i = 0; i < 100; i++) assert.ok(await verify(k1.sign()))
    assert.equal(server.requests - start, 2, 'one more attempt after the cooldown')
    now += 110_000 // 180 s after the fetch: past cacheMaxAge + staleIfErrorDuration
    await expectCode(() => verify(k1.sign()), 'ERR_JWKS_FETCH_FAILED')
    serve({ keys: [k1.jwk] })
    now += 10_000
    assert.ok(await verify(k1.sign()))
    const snapshot = set.snapshot()
    assert.equal(snapshot.stale, false)
    assert.equal(snapshot.lastError, undefined)
    assert.equal(snapshot.fetchedAt, now)
  })
})

describe('createRemoteJWKSet: caching', () => {
  async function requestsOver(
    cacheControl: string | undefined,
    steps: number[],
    options: RemoteJWKSetOptions = {},
  ) {
    now = Date.now()
    serve({ keys: [k1.jwk] }, cacheControl === undefined ? {} : { cacheControl })
    const verify = createVerifier({ key: remote(options), algorithms: ['ES256'] })
    const counts: number[] = []
    const start = server.requests
    for (const step of steps) {
      now += step
      await verify(k1.sign())
      counts.push(server.requests - start)
    }
    return counts
  }

  test('Cache-Control max-age is honoured', async () => {
    assert.deepEqual(await requestsOver('public, max-age=60', [0, 59_000, 2_000]), [1, 1, 2])
  })

  test('…but never below cooldownDuration (no-store, max-age=1) nor above cacheMaxAge', async () => {
    assert.deepEqual(await requestsOver('no-store', [0, 29_000, 1_000]), [1, 1, 2])
    assert.deepEqual(await requestsOver('max-age=1', [0, 10_000, 20_000]), [1, 1, 2])
    assert.deepEqual(await requestsOver('max-age=86400', [0, 599_000, 1_000]), [1, 1, 2])
    assert.deepEqual(await requestsOver(undefined, [0, 599_000, 1_000]), [1, 1, 2])
    assert.deepEqual(
      await requestsOver('max-age=86400', [0, 3_599_000, 1_000], { cacheMaxAge: 3_600_000 }),
      [1, 1, 2],
    )
  })

  test('cacheLifetime reads max-age, no-cache / no-store and Age, and ignores malformed values', () => {
    assert.equal(cacheLifetime('max-age=300', null), 300_000)
    assert.equal(cacheLifetime('max-age="300", must-revalidate', '100'), 200_000)
    assert.equal(cacheLifetime('max-age=300', '400'), 0)
    assert.equal(cacheLifetime('private, no-cache', null), 0)
    assert.equal(cacheLifetime('max-age=-5', null), undefined)
    assert.equal(cacheLifetime('max-age=1e9', null), undefined)
    assert.equal(cacheLifetime(null, null), undefined)
  })

  test('snapshot, warm and reload', async () => {
    now = Date.now()
    serve({ keys: [k1.jwk, k2.jwk] })
    const set = remote()
    assert.deepEqual(set.snapshot().kids, [])
    assert.equal(set.snapshot().fetchedAt, undefined)
    const start = server.requests
    const warmed = await set.warm()
    assert.deepEqual(warmed.kids, ['k1', 'k2'])
    assert.equal(warmed.fetchedAt, now)
    assert.equal(warmed.stale, false)
    await set.warm()
    assert.equal(server.requests - start, 1, 'warm does not refetch a fresh set')
    serve({ keys: [k2.jwk] })
    await set.reload()
    assert.equal(server.requests - start, 2, 'reload always fetches')
    assert.deepEqual(set.snapshot().kids, ['k2'])
    assert.equal(set.snapshot().url, server.url)
  })
})

describe('createRemoteJWKSet: options', () => {
  test('HTTPS only, except loopback or an explicit allowHttp', () => {
    for (const url of [
      'http://example.com/jwks',
      'ftp://example.com/jwks',
      'file:///etc/passwd',
      'not a url',
    ]) {
      assert.throws(() => createRemoteJWKSet(url), { code: 'ERR_JOSE_OPTION_INVALID' })
    }
    for (const url of [
      'https://example.com/jwks',
      'http://localhost:1/jwks',
      'http://127.0.0.2/jwks',
      'http://[::1]/x',
    ]) {
      assert.equal(typeof createRemoteJWKSet(url), 'function')
    }
    assert.equal(typeof createRemoteJWKSet('http://example.com/jwks', { allowHttp: true }), 'function')
  })

  test('bad durations and limits fail at creation, naming the option', () => {
    const bad: Array<[RemoteJWKSetOptions, RegExp]> = [
      [{ timeoutDuration: 0 }, /timeoutDuration/],
      [{ timeoutDuration: Number.NaN }, /timeoutDuration/],
      [{ cooldownDuration: -1 }, /cooldownDuration/],
      [{ cacheMaxAge: '10m' as unknown as number }, /cacheMaxAge/],
      [{ maxResponseSize: 0 }, /maxResponseSize/],
      [{ maxKeys: 1.5 }, /maxKeys/],
    ]
    for (const [options, message] of bad) {
      assert.throws(() => createRemoteJWKSet('https://example.com/jwks', options), {
        code: 'ERR_JOSE_OPTION_INVALID',
        message,
      })
    }
  })

  test('headers and a custom fetch are used; a set over maxKeys is refused', async () => {
    now = Date.now()
    let seen: Headers | undefined
    const set = createRemoteJWKSet('https://issuer.example/jwks', {
      clock,
      maxKeys: 1,
      headers: { 'x-tenant': 'acme' },
      fetch: async (_url, init) => {
        seen = new Headers(init.headers)
        return new Response(JSON.stringify({ keys: [k1.jwk, k2.jwk] }), { status: 200 })
      },
    })
    await expectCode(() => set.warm(), 'ERR_JWKS_INVALID')
    assert.equal(seen?.get('x-tenant'), 'acme')
    assert.match(seen?.get('accept') ?? '', /application\/jwk-set\+json/)
  })
})
