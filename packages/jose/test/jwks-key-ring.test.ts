/**
 * @module The issuer's key ring (issue 4, item 4): publish, rotate, retire, and serialize / restore with the
 * private keys sealed under a caller's secret. Time is an injected clock.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import * as jose from 'jose'
import {
  calculateJwkThumbprint,
  createKeyRing,
  createLocalJWKSet,
  createSigner,
  createVerifier,
  exportJWK,
  type KeyRing,
  type KeyRingOptions,
  restoreKeyRing,
} from '../src/node.ts'
import * as webcrypto from '../src/webcrypto.ts'
import {
  SEALED_RING,
  SEALED_RING_JWKS,
  SEALED_RING_KEYS,
  SEALED_RING_SECRET,
} from './support/sealed-key-ring.ts'
import { expectCode } from './support/vectors.ts'

let now = Date.UTC(2026, 0, 1)
const clock = () => now
const SECRET = 'a long random secret from the environment'
/** Fewer PBKDF2 iterations than the default keeps this file fast; one test uses the default. */
const OPTIONS: KeyRingOptions = {
  alg: 'ES256',
  clock,
  iterations: 10_000,
  publishAhead: 600_000,
  retainRetired: 3_600_000,
}

function signWith(ring: KeyRing) {
  const { key, kid, alg } = ring.signingKey()
  return createSigner({ key, kid, alg, expiresIn: '1h', clock })({ sub: 'alice' })
}

function verifierFor(ring: KeyRing) {
  return createVerifier({ key: createLocalJWKSet(ring.jwks()), algorithms: [ring.alg], clock })
}

describe('createKeyRing', () => {
  test('publishes the current and next keys, public halves only, each kid its RFC 7638 thumbprint', async () => {
    const ring = await createKeyRing(OPTIONS)
    const jwks = ring.jwks()
    assert.deepEqual(
      ring.keys().map((k) => k.state),
      ['current', 'next'],
    )
    assert.equal(jwks.keys.length, 2)
    for (const jwk of jwks.keys) {
      assert.equal(jwk.d, undefined)
      assert.equal(jwk.use, 'sig')
      assert.equal(jwk.alg, 'ES256')
      assert.equal(jwk.kid, await calculateJwkThumbprint(jwk))
    }
    assert.equal(jwks.keys[0]!.kid, ring.signingKey().kid)
    const result = verifierFor(ring)(signWith(ring))
    assert.equal(result.protectedHeader.kid, ring.signingKey().kid)
    assert.deepEqual(Object.keys(JSON.parse(JSON.stringify(ring))).sort(), ['alg', 'keys'])
    assert.ok(!JSON.stringify(ring).includes('"d"'))
  })

  test('rotate: next becomes current, current is retired and published until retainRetired has passed', async () => {
    const ring = await createKeyRing(OPTIONS)
    const [first, second] = ring.keys()
    const oldToken = signWith(ring)
    await expectCode(() => ring.rotate(), 'ERR_KEY_RING_INVALID')
    now += 600_000
    const promoted = await ring.rotate()
    assert.equal(promoted.kid, second!.kid)
    assert.equal(ring.signingKey().kid, second!.kid)
    const states = Object.fromEntries(ring.keys().map((k) => [k.kid, k]))
    assert.equal(states[first!.kid]!.state, 'retired')
    assert.equal(states[first!.kid]!.removeAfter, now + 3_600_000)
    assert.equal(ring.jwks().keys.length, 3)
    // Tokens of both keys verify against what the ring publishes now.
    const verify = verifierFor(ring)
    assert.ok(verify(oldToken))
    assert.ok(verify(signWith(ring)))
    now += 3_599_999
    assert.ok(ring.jwks().keys.some((k) => k.kid === first!.kid))
    now += 1
    assert.ok(!ring.jwks().keys.some((k) => k.kid === first!.kid))
    assert.deepEqual(
      ring.keys().map((k) => k.state),
      ['current', 'next'],
    )
  })

  test('rotate({ force: true }) for a compromised key, then remove it at once', async () => {
    const ring = await createKeyRing(OPTIONS)
    const compromised = ring.signingKey().kid
    await expectCode(async () => ring.remove(compromised), 'ERR_KEY_RING_INVALID')
    await ring.rotate({ force: true })
    ring.remove(compromised)
    assert.ok(!ring.jwks().keys.some((k) => k.kid === compromised))
    await expectCode(async () => ring.remove('no-such-kid'), 'ERR_KEY_RING_INVALID')
  })

  test('RSA and EdDSA rings; an HMAC or unknown alg is refused', async () => {
    for (const alg of ['RS256', 'EdDSA']) {
      const ring = await createKeyRing({ ...OPTIONS, alg })
      assert.equal(ring.jwks().keys[0]!.kty, alg === 'RS256' ? 'RSA' : 'OKP')
      assert.ok(verifierFor(ring)(signWith(ring)))
    }
    await expectCode(() => createKeyRing({ ...OPTIONS, alg: 'HS256' }), 'ERR_JOSE_OPTION_INVALID')
    await expectCode(() => createKeyRing({ ...OPTIONS, alg: 'none' }), 'ERR_JOSE_OPTION_INVALID')
    await expectCode(() => createKeyRing({ ...OPTIONS, retainRetired: -1 }), 'ERR_JOSE_OPTION_INVALID')
  })
})

describe('serialize / restore', () => {
  test('round trip: same keys, same states, and the restored ring signs what the old JWKS verifies', async () => {
    const ring = await createKeyRing(OPTIONS)
    now += 600_000
    await ring.rotate()
    const sealed = await ring.serialize(SECRET)
    const restored = await restoreKeyRing(sealed, SECRET, OPTIONS)
    assert.deepEqual(restored.keys(), ring.keys())
    assert.deepEqual(restored.jwks(), ring.jwks())
    assert.ok(verifierFor(ring)(signWith(restored)))
  })

  test('the sealed ring is a standard JWE that holds no key material in the clear (jose opens it)', async () => {
    const ring = await createKeyRing({ ...OPTIONS, iterations: undefined })
    const { d } = await exportJWK(ring.signingKey().key)
    const sealed = await ring.serialize(new TextEncoder().encode(SECRET))
    assert.equal(sealed.split('.').length, 5)
    assert.ok(!sealed.includes(d!) && !sealed.includes(ring.signingKey().kid))
    const header = jose.decodeProtectedHeader(sealed)
    assert.equal(header.alg, 'PBES2-HS512+A256KW')
    assert.equal(header.enc, 'A256GCM')
    assert.equal(header.p2c, 210_000)
    const opened = await jose.compactDecrypt(sealed, new TextEncoder().encode(SECRET), {
      keyManagementAlgorithms: ['PBES2-HS512+A256KW'],
      maxPBES2Count: 210_000,
    })
    const data = JSON.parse(new TextDecoder().decode(opened.plaintext))
    assert.equal(data.keys[0].jwk.d, d)
  })

  test('a wrong secret, altered data or a malformed string is a typed error', async () => {
    const ring = await createKeyRing(OPTIONS)
    const sealed = await ring.serialize(SECRET)
    const wrong = await expectCode(
      () => restoreKeyRing(sealed, `${SECRET}!`, OPTIONS),
      'ERR_JWE_DECRYPTION_FAILED',
    )
    assert.match(wrong.message, /secret is wrong/)
    const parts = sealed.split('.')
    const ct = Buffer.from(parts[3]!, 'base64url')
    ct[0]! ^= 1
    parts[3] = ct.toString('base64url')
    await expectCode(() => restoreKeyRing(parts.join('.'), SECRET, OPTIONS), 'ERR_JWE_DECRYPTION_FAILED')
    await expectCode(() => restoreKeyRing('not.a.jwe', SECRET, OPTIONS), 'ERR_JWE_INVALID')
    await expectCode(() => restoreKeyRing(sealed, 'short', OPTIONS), 'ERR_KEY_INPUT_INVALID')
    await expectCode(() => ring.serialize('short'), 'ERR_KEY_INPUT_INVALID')
    await expectCode(
      () => restoreKeyRing(sealed, SECRET, { ...OPTIONS, alg: 'ES384' }),
      'ERR_KEY_RING_INVALID',
    )
  })

  test('a tampered iteration count is refused before any work (p2c as a denial of service)', async () => {
    const ring = await createKeyRing(OPTIONS)
    const parts = (await ring.serialize(SECRET)).split('.')
    const header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString())
    header.p2c = 1_000_000_000
    parts[0] = Buffer.from(JSON.stringify(header)).toString('base64url')
    const started = performance.now()
    const error = await expectCode(() => restoreKeyRing(parts.join('.'), SECRET, OPTIONS), 'ERR_JWE_INVALID')
    assert.match(error.message, /p2c/)
    assert.ok(performance.now() - started < 1000)
  })

  test('a ring sealed by the earlier hand-written WebCrypto seal still opens, with the same keys', async () => {
    const restored = await restoreKeyRing(SEALED_RING, SEALED_RING_SECRET, OPTIONS)
    assert.deepEqual(restored.keys(), SEALED_RING_KEYS)
    assert.deepEqual(restored.jwks(), SEALED_RING_JWKS)
    const verify = createVerifier({ key: createLocalJWKSet(SEALED_RING_JWKS), algorithms: ['ES256'], clock })
    assert.equal(verify(signWith(restored)).protectedHeader.kid, SEALED_RING_KEYS[0]!.kid)
    await expectCode(
      () => restoreKeyRing(SEALED_RING, `${SEALED_RING_SECRET}!`, OPTIONS),
      'ERR_JWE_DECRYPTION_FAILED',
    )
  })

  test('either backend seals with compactEncrypt and opens the other one’s rings, and the earlier seal’s', async () => {
    const ring = await webcrypto.createKeyRing(OPTIONS)
    const onNode = await restoreKeyRing(await ring.serialize(SECRET), SECRET, OPTIONS)
    assert.deepEqual(onNode.keys(), ring.keys())
    const back = await webcrypto.restoreKeyRing(await onNode.serialize(SECRET), SECRET, OPTIONS)
    assert.deepEqual(back.jwks(), ring.jwks())
    const old = await webcrypto.restoreKeyRing(SEALED_RING, SEALED_RING_SECRET, OPTIONS)
    assert.deepEqual(old.keys(), SEALED_RING_KEYS)
    const header = jose.decodeProtectedHeader(await onNode.serialize(SECRET))
    assert.deepEqual(
      { alg: header.alg, enc: header.enc, cty: header.cty, p2c: header.p2c },
      { alg: 'PBES2-HS512+A256KW', enc: 'A256GCM', cty: 'tessera-keyring+json', p2c: 10_000 },
    )
  })

  test('a sealed payload that is not a key ring is refused', async () => {
    const secret = new TextEncoder().encode(SECRET)
    const notARing = await new jose.CompactEncrypt(new TextEncoder().encode('{"format":1,"alg":"ES256"}'))
      .setProtectedHeader({ alg: 'PBES2-HS512+A256KW', enc: 'A256GCM', cty: 'tessera-keyring+json' })
      .setKeyManagementParameters({ p2c: 10_000 })
      .encrypt(secret)
    await expectCode(() => restoreKeyRing(notARing, SECRET, OPTIONS), 'ERR_KEY_RING_INVALID')
  })
})
