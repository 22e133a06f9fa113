/**
 * @module createLocalJWKSet (issue 4, items 1, 3 and 5): key selection by kid / kty / alg / use / key_ops /
 * curve, bounded tries without kid, and JWK Set validation with malformed members skipped and reported.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  compactDecrypt,
  compactEncrypt,
  compactSign,
  compactVerify,
  createLocalJWKSet,
  createSigner,
  createVerifier,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JoseKey,
  type JWK,
  signJWT,
  verifyJWT,
} from '../src/node.ts'
import * as webcrypto from '../src/webcrypto.ts'
import { expectCode, expectCodeSync, text, utf8 } from './support/vectors.ts'

async function pair(alg: string, options: { crv?: string } = {}) {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true, ...options })
  return { privateKey, jwk: await exportJWK(publicKey), privateJwk: await exportJWK(privateKey) }
}

const es = await Promise.all([pair('ES256'), pair('ES256'), pair('ES256')])
const p384 = await pair('ES384')
const rsa = await pair('RS256')
const ed = await pair('EdDSA')
/** The same RSA private key, bound to no alg, so it can sign both RS256 and PS256. */
const rsaAnyAlg = await importJWK({ ...rsa.privateJwk, alg: undefined })

function token(key: JoseKey, header: { alg: string; kid?: string } = { alg: 'ES256' }) {
  return signJWT({ sub: 'alice' }, key, { ...header, expiresIn: '1h' })
}

describe('createLocalJWKSet: key selection', () => {
  test('picks the member named by kid, synchronously on Node', async () => {
    const set = createLocalJWKSet({
      keys: [
        { ...es[0]!.jwk, kid: 'a' },
        { ...es[1]!.jwk, kid: 'b' },
      ],
    })
    const verify = createVerifier({ key: set, algorithms: ['ES256'] })
    const result = verify(await token(es[1]!.privateKey, { alg: 'ES256', kid: 'b' }))
    assert.equal(
      typeof (result as { then?: unknown }).then,
      'undefined',
      'a local set keeps the verifier synchronous',
    )
    assert.equal(result.key.kid, 'b')
    assert.equal(result.payload.sub, 'alice')
  })

  test('without kid, tries each fitting member in order and returns the one that verifies', async () => {
    const set = createLocalJWKSet({ keys: es.map((k, i) => ({ ...k.jwk, kid: `k${i}` })) })
    const verify = createVerifier({ key: set, algorithms: ['ES256'] })
    assert.equal(verify(await token(es[2]!.privateKey)).key.kid, 'k2')
    assert.equal(
      (await verifyJWT(await token(es[1]!.privateKey), set, { algorithms: ['ES256'] })).key.kid,
      'k1',
    )
  })

  test('without kid, a token signed by none of the members fails as a bad signature', async () => {
    const set = createLocalJWKSet({ keys: [es[0]!.jwk, es[1]!.jwk] })
    const verify = createVerifier({ key: set, algorithms: ['ES256'] })
    expectCodeSync(() => verify(signed2), 'ERR_JWS_SIGNATURE_INVALID')
  })

  test('without kid, more than 8 fitting members is refused rather than tried', async () => {
    const keys = await Promise.all(Array.from({ length: 9 }, () => pair('ES256')))
    const set = createLocalJWKSet({ keys: keys.map((k) => k.jwk) })
    const verify = createVerifier({ key: set, algorithms: ['ES256'] })
    const error = expectCodeSync(() => verify(signed2), 'ERR_JWKS_MULTIPLE_MATCHING_KEYS')
    assert.match(error.message, /kid/)
  })

  test('the kty and curve come from the alg: an ES256 token never tries an RSA, Ed25519 or P-384 member', async () => {
    const set = createLocalJWKSet({ keys: [rsa.jwk, ed.jwk, p384.jwk, es[0]!.jwk] })
    const verify = createVerifier({ key: set, algorithms: ['ES256', 'ES384', 'RS256', 'EdDSA'] })
    assert.equal(verify(await token(es[0]!.privateKey)).key.crv, 'P-256')
    assert.equal(verify(await token(p384.privateKey, { alg: 'ES384' })).key.crv, 'P-384')
    assert.equal(verify(await token(rsa.privateKey, { alg: 'RS256' })).key.kty, 'RSA')
    assert.equal(verify(await token(ed.privateKey, { alg: 'EdDSA' })).key.crv, 'Ed25519')
  })

  test('a kid naming a key of the wrong type is no match (algorithm confusion through kid)', async () => {
    const set = createLocalJWKSet({ keys: [{ ...rsa.jwk, kid: 'r' }] })
    const verify = createVerifier({ key: set, algorithms: ['ES256'] })
    const error = expectCodeSync(() => verify(signedWith(es[0]!.privateKey, 'r')), 'ERR_JWKS_NO_MATCHING_KEY')
    assert.match(error.message, /"r" is not a EC P-256 key usable with ES256/)
  })

  test("a member's own alg selects it: one RSA key published for RS256 and PS256 under one kid", async () => {
    const set = createLocalJWKSet({
      keys: [
        { ...rsa.jwk, kid: 'r', alg: 'RS256' },
        { ...rsa.jwk, kid: 'r', alg: 'PS256' },
      ],
    })
    const verify = createVerifier({ key: set, algorithms: ['RS256', 'PS256'] })
    assert.equal(verify(signedWith(rsaAnyAlg, 'r', 'PS256')).key.alg, 'PS256')
    assert.equal(verify(signedWith(rsaAnyAlg, 'r', 'RS256')).key.alg, 'RS256')
    const only = createLocalJWKSet({ keys: [{ ...rsa.jwk, kid: 'r', alg: 'RS256' }] })
    expectCodeSync(
      () => createVerifier({ key: only, algorithms: ['PS256'] })(signedRsaPs),
      'ERR_JWKS_NO_MATCHING_KEY',
    )
  })

  test('"use": "enc" and key_ops without "verify" are refused for signatures', async () => {
    const jwt = await token(es[0]!.privateKey, { alg: 'ES256', kid: 'x' })
    for (const restriction of [{ use: 'enc' }, { key_ops: ['sign'] }, { key_ops: ['encrypt'] }]) {
      const set = createLocalJWKSet({ keys: [{ ...es[0]!.jwk, kid: 'x', ...restriction }] })
      const error = expectCodeSync(
        () => createVerifier({ key: set, algorithms: ['ES256'] })(jwt),
        'ERR_KEY_USAGE_FORBIDDEN',
      )
      assert.match(error.message, /"use"\/"key_ops" do not allow it to verify signatures/)
    }
    const allowed = createLocalJWKSet({
      keys: [{ ...es[0]!.jwk, kid: 'x', use: 'sig', key_ops: ['verify'] }],
    })
    assert.equal(createVerifier({ key: allowed, algorithms: ['ES256'] })(jwt).key.kid, 'x')
  })

  test('an unknown kid is a typed error that names the kid, shortened', async () => {
    const set = createLocalJWKSet({ keys: [{ ...es[0]!.jwk, kid: 'a' }] })
    const verify = createVerifier({ key: set, algorithms: ['ES256'] })
    const error = expectCodeSync(
      () => verify(signedWith(es[0]!.privateKey, 'z'.repeat(500))),
      'ERR_JWKS_NO_MATCHING_KEY',
    )
    assert.ok(error.message.length < 200)
  })

  test('a right kid with the wrong key fails as a bad signature', async () => {
    const set = createLocalJWKSet({ keys: [{ ...es[0]!.jwk, kid: 'a' }] })
    expectCodeSync(
      () => createVerifier({ key: set, algorithms: ['ES256'] })(signedWith(es[1]!.privateKey, 'a')),
      'ERR_JWS_SIGNATURE_INVALID',
    )
  })

  test('works with compactVerify too, and with HMAC secrets when private members are allowed', async () => {
    const jws = await compactSign(utf8('hi'), es[0]!.privateKey, { alg: 'ES256', kid: 'a' })
    const set = createLocalJWKSet({ keys: [{ ...es[0]!.jwk, kid: 'a' }] })
    assert.equal((await compactVerify(jws, set, { algorithms: ['ES256'] })).key.kid, 'a')
    const secret = { kty: 'oct', k: Buffer.alloc(32, 9).toString('base64url'), kid: 'h' }
    const hmacSet = createLocalJWKSet({ keys: [secret] }, { allowPrivate: true })
    const hs = await signJWT({ sub: 's' }, new Uint8Array(32).fill(9), { alg: 'HS256', kid: 'h' })
    assert.equal(createVerifier({ key: hmacSet, algorithms: ['HS256'] })(hs).key.kid, 'h')
  })
})

describe('createLocalJWKSet for decryption', () => {
  test('compactDecrypt picks the recipient key by kid, or by the ephemeral key\'s curve; "use": "sig" is refused', async () => {
    const rsaEnc = await generateKeyPair('RSA-OAEP-256', { extractable: true })
    const ecdh = await generateKeyPair('ECDH-ES+A256KW', { extractable: true })
    const keys = [
      { ...(await exportJWK(rsaEnc.privateKey)), kid: 'rsa' },
      { ...(await exportJWK(ecdh.privateKey)), kid: 'ec' },
    ]
    const set = createLocalJWKSet({ keys }, { allowPrivate: true })
    const policy = (alg: string) => ({
      keyManagementAlgorithms: [alg],
      contentEncryptionAlgorithms: ['A256GCM'],
    })
    const toRsa = await compactEncrypt(utf8('to rsa'), rsaEnc.publicKey, {
      alg: 'RSA-OAEP-256',
      enc: 'A256GCM',
      kid: 'rsa',
    })
    assert.equal(text((await compactDecrypt(toRsa, set, policy('RSA-OAEP-256'))).plaintext), 'to rsa')
    const toEc = await compactEncrypt(utf8('to ec'), ecdh.publicKey, {
      alg: 'ECDH-ES+A256KW',
      enc: 'A256GCM',
    })
    assert.equal(text((await compactDecrypt(toEc, set, policy('ECDH-ES+A256KW'))).plaintext), 'to ec')
    const twoEc = createLocalJWKSet(
      { keys: [keys[1]!, { ...keys[1]!, kid: 'ec-copy' }] },
      { allowPrivate: true },
    )
    await expectCode(
      () => compactDecrypt(toEc, twoEc, policy('ECDH-ES+A256KW')),
      'ERR_JWKS_MULTIPLE_MATCHING_KEYS',
    )
    const sigOnly = createLocalJWKSet({ keys: [{ ...keys[0]!, use: 'sig' }] }, { allowPrivate: true })
    await expectCode(() => compactDecrypt(toRsa, sigOnly, policy('RSA-OAEP-256')), 'ERR_KEY_USAGE_FORBIDDEN')
  })
})

describe('createLocalJWKSet on the WebCrypto backend', () => {
  test('selects the same way; keys are imported once, asynchronously', async () => {
    const set = webcrypto.createLocalJWKSet({
      keys: [
        { ...es[0]!.jwk, kid: 'a' },
        { ...es[1]!.jwk, kid: 'b' },
      ],
    })
    const first = set({ alg: 'ES256', kid: 'b' })
    assert.equal(typeof (first as Promise<unknown>).then, 'function', 'the first import is a promise')
    assert.equal(
      (await webcrypto.verifyJWT(signedWith(es[1]!.privateKey, 'b'), set, { algorithms: ['ES256'] })).key.kid,
      'b',
    )
    assert.equal((await webcrypto.verifyJWT(signed0, set, { algorithms: ['ES256'] })).key.kid, 'a')
    await expectCode(
      () => webcrypto.verifyJWT(signedWith(es[0]!.privateKey, 'z'), set, { algorithms: ['ES256'] }),
      'ERR_JWKS_NO_MATCHING_KEY',
    )
  })
})

describe('createLocalJWKSet: set validation', () => {
  test('malformed members are skipped and reported, without their key material; the rest still verify', async () => {
    const badX = 'A'.repeat(42) + '!!'
    const set = createLocalJWKSet({
      keys: [
        'not an object',
        { kty: 'EC', crv: 'P-256', x: badX, y: es[0]!.jwk.y, kid: 'bad-x' },
        { kty: 'RSA', n: rsa.jwk.n, kid: 'no-e' },
        { kty: 'PQC', pub: 'abc', kid: 'future' },
        { ...es[0]!.jwk, kid: 'good' },
      ],
    })
    assert.deepEqual(set.kids, ['good'])
    assert.deepEqual(
      set.skipped.map((s) => [s.index, s.kid]),
      [
        [0, undefined],
        [1, 'bad-x'],
        [2, 'no-e'],
        [3, 'future'],
      ],
    )
    for (const skipped of set.skipped) {
      assert.ok(
        !skipped.reason.includes(badX) && !skipped.reason.includes(rsa.jwk.n!),
        'reasons carry no key material',
      )
    }
    assert.match(set.skipped[2]!.reason, /"e"/)
    assert.equal(
      createVerifier({ key: set, algorithms: ['ES256'] })(signedWith(es[0]!.privateKey, 'good')).key.kid,
      'good',
    )
  })

  test('a member whose values are well-formed but not a key (point off the curve) is skipped when first used', async () => {
    const offCurve = { ...es[0]!.jwk, y: es[1]!.jwk.y, kid: 'off' }
    const set = createLocalJWKSet({ keys: [offCurve, { ...es[0]!.jwk, kid: 'on' }] })
    const verify = createVerifier({ key: set, algorithms: ['ES256'] })
    expectCodeSync(() => verify(signedWith(es[0]!.privateKey, 'off')), 'ERR_JWK_INVALID')
    assert.deepEqual(
      set.skipped.map((s) => s.kid),
      ['off'],
    )
    // Without kid the broken member is dropped from the candidates and the good one verifies.
    assert.equal(verify(signed0).key.kid, 'on')
  })

  test('two different keys under one kid are refused', () => {
    const error = expectCodeSync(
      () =>
        createLocalJWKSet({
          keys: [
            { ...es[0]!.jwk, kid: 'same' },
            { ...es[1]!.jwk, kid: 'same' },
          ],
        }),
      'ERR_JWKS_INVALID',
    )
    assert.match(error.message, /share "kid": "same"/)
  })

  test('a malformed member reusing a kid is still a duplicate (Wycheproof DuplicateKid)', () => {
    const k = Buffer.alloc(32, 1).toString('base64url')
    const nonCanonical = `${k.slice(0, -1)}B` // same length, a non-zero padding bit: not canonical base64url
    expectCodeSync(
      () =>
        createLocalJWKSet(
          {
            keys: [
              { kty: 'oct', k, kid: 'h' },
              { kty: 'oct', k: nonCanonical, kid: 'h' },
            ],
          },
          { allowPrivate: true },
        ),
      'ERR_JWKS_INVALID',
    )
  })

  test('a set mixing HMAC secrets and key pairs is refused (Wycheproof MixedKeySet)', () => {
    const secret = { kty: 'oct', k: Buffer.alloc(32, 1).toString('base64url') }
    for (const keys of [
      [secret, es[0]!.privateJwk],
      [rsa.privateJwk, secret],
    ]) {
      const error = expectCodeSync(
        () => createLocalJWKSet({ keys }, { allowPrivate: true }),
        'ERR_JWKS_INVALID',
      )
      assert.match(error.message, /mixes secret/)
    }
  })

  test('private or secret members in a public set are refused, without echoing them', () => {
    const d = es[0]!.privateJwk.d!
    const error = expectCodeSync(
      () => createLocalJWKSet({ keys: [es[1]!.jwk, { ...es[0]!.privateJwk, kid: 'oops' }] }),
      'ERR_JWKS_INVALID',
    )
    assert.ok(!error.message.includes(d))
    assert.match(error.message, /member #1 \("kid": "oops"\) holds private or secret key material \("d"\)/)
    expectCodeSync(() => createLocalJWKSet({ keys: [{ kty: 'oct', k: 'c2VjcmV0' }] }), 'ERR_JWKS_INVALID')
    // A private key half-written (d without the CRT members) is refused too, not merely skipped.
    expectCodeSync(() => createLocalJWKSet({ keys: [{ ...rsa.jwk, d: 'AAAA' }] }), 'ERR_JWKS_INVALID')
    assert.deepEqual(createLocalJWKSet({ keys: [es[0]!.privateJwk] }, { allowPrivate: true }).skipped, [])
  })

  test('a set larger than maxKeys (default 100) is refused', () => {
    const many = { keys: Array.from({ length: 101 }, () => es[0]!.jwk) }
    const error = expectCodeSync(() => createLocalJWKSet(many), 'ERR_JWKS_INVALID')
    assert.match(error.message, /101 keys; at most 100/)
    expectCodeSync(
      () => createLocalJWKSet({ keys: [es[0]!.jwk, es[1]!.jwk] }, { maxKeys: 1 }),
      'ERR_JWKS_INVALID',
    )
    expectCodeSync(() => createLocalJWKSet({ keys: [] }, { maxKeys: 0 }), 'ERR_JOSE_OPTION_INVALID')
  })

  test('what is not a JWK Set is refused; a set passed as a key says to wrap it', async () => {
    for (const bad of [null, [], { keys: {} }, { key: [] }, 'keys']) {
      expectCodeSync(() => createLocalJWKSet(bad), 'ERR_JWKS_INVALID')
    }
    const error = await expectCode(
      () => verifyJWT(signed0, { keys: [es[0]!.jwk] } as unknown as JWK, { algorithms: ['ES256'] }),
      'ERR_KEY_INPUT_INVALID',
    )
    assert.match(error.message, /createLocalJWKSet/)
  })

  test('the set is a snapshot: changing the caller’s object later changes nothing', async () => {
    const jwks = { keys: [{ ...es[0]!.jwk, kid: 'a' }] }
    const set = createLocalJWKSet(jwks)
    jwks.keys[0]!.kid = 'b'
    jwks.keys.push({ ...es[1]!.jwk, kid: 'c' })
    assert.deepEqual(set.kids, ['a'])
    assert.equal(set.toJSON().keys[0]!.kid, 'a')
    assert.equal(
      createVerifier({ key: set, algorithms: ['ES256'] })(signedWith(es[0]!.privateKey, 'a')).key.kid,
      'a',
    )
  })
})

// Tokens signed synchronously (createSigner), so the synchronous tests can build them inline.
function signedWith(key: JoseKey, kid: string | undefined, alg = 'ES256'): string {
  return createSigner({ key, alg, ...(kid !== undefined && { kid }), expiresIn: '1h' })({ sub: 'alice' })
}
const signed0 = signedWith(es[0]!.privateKey, undefined)
const signed2 = signedWith(es[2]!.privateKey, undefined)
const signedRsaPs = signedWith(rsaAnyAlg, 'r', 'PS256')
