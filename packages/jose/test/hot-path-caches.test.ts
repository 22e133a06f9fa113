/**
 * @module The caches behind the async API's speed (issue 5): the checked-header cache keyed by segment text,
 * the allow-list cache, signJWT's encoded-header cache, JWE's header cache, exported `dir` key bytes and
 * batched IVs. Each must give exactly the answer a fresh computation gives: a cached value is frozen, an
 * edited `algorithms` array is re-read, two header option sets never share an entry, IVs never repeat.
 */
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { describe, test } from 'node:test'
import {
  compactDecrypt,
  compactEncrypt,
  compactVerify,
  createVerifier,
  decodeJWT,
  decodeProtectedHeader,
  importSecret,
  signJWT,
  verifyJWT,
} from '../src/node.ts'
import { expectCode } from './support/vectors.ts'

const SECRET = new Uint8Array(64).fill(7)
const OTHER = new Uint8Array(64).fill(8)
const DIR_KEY = SECRET.subarray(0, 32)
const DIR_OTHER = OTHER.subarray(0, 32)

/** An HS256 token whose header lists an extension in `crit` (our signer refuses to make one it does not know). */
function critToken(): string {
  const header = Buffer.from(JSON.stringify({ alg: 'HS256', crit: ['exp2'], exp2: 1 })).toString('base64url')
  const payload = Buffer.from(JSON.stringify({ sub: 'a' })).toString('base64url')
  const mac = createHmac('sha256', SECRET).update(`${header}.${payload}`).digest('base64url')
  return `${header}.${payload}.${mac}`
}
const DIR_OPTIONS = { keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A256GCM'] }

describe('JWS protected-header cache', () => {
  test('verifyJWT hands every caller the same frozen header, and a different segment its own', async () => {
    const a = await signJWT({ sub: 'a' }, SECRET, { alg: 'HS256', kid: 'k1' })
    const b = await signJWT({ sub: 'b' }, SECRET, { alg: 'HS256', kid: 'k1' })
    const c = await signJWT({ sub: 'c' }, SECRET, { alg: 'HS256', kid: 'k2' })
    const first = await verifyJWT(a, SECRET, { algorithms: ['HS256'] })
    const second = await verifyJWT(b, SECRET, { algorithms: ['HS256'] })
    const third = await verifyJWT(c, SECRET, { algorithms: ['HS256'] })
    assert.ok(Object.isFrozen(first.protectedHeader))
    assert.equal(first.protectedHeader, second.protectedHeader)
    assert.deepEqual(third.protectedHeader, { alg: 'HS256', kid: 'k2' })
    assert.throws(() => {
      ;(first.protectedHeader as Record<string, unknown>).alg = 'none'
    }, TypeError)
    assert.equal(second.payload.sub, 'b')
  })

  test('a cached header still meets the allow-list and crit of each call', async () => {
    const jwt = await signJWT({ sub: 'a' }, SECRET, { alg: 'HS256' })
    await verifyJWT(jwt, SECRET, { algorithms: ['HS256'] })
    await expectCode(() => verifyJWT(jwt, SECRET, { algorithms: ['HS384'] }), 'ERR_JOSE_ALG_NOT_ALLOWED')
    const crit = critToken()
    await expectCode(() => verifyJWT(crit, SECRET, { algorithms: ['HS256'] }), 'ERR_JOSE_CRIT_UNSUPPORTED')
    const ok = await verifyJWT(crit, SECRET, { algorithms: ['HS256'], crit: { exp2: true } })
    assert.equal(ok.payload.sub, 'a')
    await expectCode(() => verifyJWT(crit, SECRET, { algorithms: ['HS256'] }), 'ERR_JOSE_CRIT_UNSUPPORTED')
  })

  test('a bad signature, a malformed one and a wrong key are refused on a cached header', async () => {
    const jwt = await signJWT({ sub: 'a' }, SECRET, { alg: 'HS256' })
    await verifyJWT(jwt, SECRET, { algorithms: ['HS256'] })
    await expectCode(() => verifyJWT(jwt, OTHER, { algorithms: ['HS256'] }), 'ERR_JWS_SIGNATURE_INVALID')
    await expectCode(() => verifyJWT(`${jwt}=`, SECRET, { algorithms: ['HS256'] }), 'ERR_JWS_INVALID')
    const [h, p, s] = jwt.split('.') as [string, string, string]
    const flipped = `${h}.${p}.${s.slice(0, -2)}${s.at(-2) === 'A' ? 'B' : 'A'}${s.at(-1)}`
    await expectCode(() => verifyJWT(flipped, SECRET, { algorithms: ['HS256'] }), 'ERR_JWS_SIGNATURE_INVALID')
    // compactVerify shares the cache and its header is the same frozen object.
    const verified = await compactVerify(jwt, SECRET, { algorithms: ['HS256'] })
    assert.ok(Object.isFrozen(verified.protectedHeader))
  })

  test('createVerifier keeps its own cache with its own crit', async () => {
    const crit = critToken()
    const strict = createVerifier({ key: SECRET, algorithms: ['HS256'] })
    const lenient = createVerifier({ key: SECRET, algorithms: ['HS256'], crit: { exp2: true } })
    assert.equal(lenient(crit).payload.sub, 'a')
    await expectCode(() => strict(crit), 'ERR_JOSE_CRIT_UNSUPPORTED')
  })
})

describe('allow-list cache', () => {
  test('an algorithms array edited in place is read again, not answered from the cache', async () => {
    const hs256 = await signJWT({ sub: 'a' }, SECRET, { alg: 'HS256' })
    const algorithms = ['HS256', 'HS384']
    await verifyJWT(hs256, SECRET, { algorithms })
    algorithms[0] = 'HS512'
    await expectCode(() => verifyJWT(hs256, SECRET, { algorithms }), 'ERR_JOSE_ALG_NOT_ALLOWED')
    algorithms.length = 1
    algorithms[0] = 'HS256'
    assert.equal((await verifyJWT(hs256, SECRET, { algorithms })).payload.sub, 'a')
    await expectCode(() => verifyJWT(hs256, SECRET, { algorithms: ['nope'] }), 'ERR_JOSE_OPTION_INVALID')
  })

  test('a key bound to one alg is its own allow-list', async () => {
    const key = await importSecret(SECRET, 'HS256')
    const jwt = await signJWT({ sub: 'a' }, key, { alg: 'HS256' })
    assert.equal((await verifyJWT(jwt, key)).payload.sub, 'a')
    const hs384 = await signJWT({ sub: 'a' }, SECRET, { alg: 'HS384' })
    await expectCode(() => verifyJWT(hs384, key), 'ERR_JOSE_ALG_NOT_ALLOWED')
  })
})

describe('signJWT header cache', () => {
  test('option sets that differ anywhere make different headers', async () => {
    const cases = [
      { alg: 'HS256' },
      { alg: 'HS256', kid: '1' },
      { alg: 'HS256', kid: '1|2' },
      { alg: 'HS256', kid: '1', typ: '2' },
      { alg: 'HS256', typ: '1|2' },
      { alg: 'HS256', cty: 'x' },
      { alg: 'HS384', kid: '1' },
      { alg: 'HS256', kid: '1', header: { x: 1 } },
    ]
    for (let round = 0; round < 2; round++) {
      for (const options of cases) {
        const jwt = await signJWT({ sub: 's' }, SECRET, options)
        const { header, ...named } = options as { header?: Record<string, unknown> }
        assert.deepEqual(decodeProtectedHeader(jwt), { ...header, ...named })
        await verifyJWT(jwt, SECRET, { algorithms: [options.alg] })
      }
    }
  })

  test('invalid header options are refused whether or not a similar header is cached', async () => {
    await signJWT({}, SECRET, { alg: 'HS256', kid: 'k' })
    await expectCode(() => signJWT({}, SECRET, { alg: 'HS256', kid: '' }), 'ERR_JOSE_OPTION_INVALID')
    await expectCode(() => signJWT({}, SECRET, { alg: 'none' }), 'ERR_JOSE_ALG_NOT_ALLOWED')
    await expectCode(() => signJWT({}, SECRET, { alg: 'XS256' }), 'ERR_JOSE_NOT_SUPPORTED')
    // A cached header does not excuse a key that does not fit it.
    await expectCode(() => signJWT({}, new Uint8Array(16), { alg: 'HS256', kid: 'k' }), 'ERR_KEY_TOO_WEAK')
  })

  test('claims are encoded as UTF-8 JSON as before', async () => {
    const jwt = await signJWT({ name: 'Zoë 🔑' }, SECRET, { alg: 'HS256', iat: false })
    assert.deepEqual(decodeJWT(jwt), { name: 'Zoë 🔑' })
  })
})

describe('JWE dir: header cache, key bytes, IVs', () => {
  test('IVs never repeat across many encryptions, and each token decrypts under its key only', async () => {
    const key = await importSecret(DIR_KEY)
    const other = await importSecret(DIR_OTHER)
    const ivs = new Set<string>()
    const plaintext = new TextEncoder().encode('hello')
    for (let i = 0; i < 1000; i++) {
      const token = await compactEncrypt(plaintext, i % 2 ? key : other, { alg: 'dir', enc: 'A256GCM' })
      const iv = token.split('.')[2]!
      assert.equal(Buffer.from(iv, 'base64url').length, 12)
      ivs.add(iv)
      if (i < 4) {
        const right = await compactDecrypt(token, i % 2 ? key : other, DIR_OPTIONS)
        assert.deepEqual(right.plaintext, plaintext)
        assert.ok(Object.isFrozen(right.protectedHeader))
        await expectCode(
          () => compactDecrypt(token, i % 2 ? other : key, DIR_OPTIONS),
          'ERR_JWE_DECRYPTION_FAILED',
        )
      }
    }
    assert.equal(ivs.size, 1000)
  })

  test('a cached JWE header still meets each call allow-lists', async () => {
    const key = await importSecret(DIR_KEY)
    const token = await compactEncrypt(new Uint8Array([1]), key, { alg: 'dir', enc: 'A256GCM' })
    await compactDecrypt(token, key, DIR_OPTIONS)
    await expectCode(
      () =>
        compactDecrypt(token, key, {
          keyManagementAlgorithms: ['dir'],
          contentEncryptionAlgorithms: ['A128GCM'],
        }),
      'ERR_JOSE_ALG_NOT_ALLOWED',
    )
    await expectCode(
      () =>
        compactDecrypt(token, key, {
          keyManagementAlgorithms: ['A256KW'],
          contentEncryptionAlgorithms: ['A256GCM'],
        }),
      'ERR_JOSE_ALG_NOT_ALLOWED',
    )
  })
})
