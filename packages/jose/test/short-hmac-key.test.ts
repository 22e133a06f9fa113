/**
 * @module `allowShortHmacKey`, on both backends: jwt.io's classic demo token (HS256 with the 19-byte secret
 * `your-256-bit-secret`) is refused by every verify function without the option (ERR_KEY_TOO_WEAK, RFC 7518
 * §3.2) and verified with it; the option skips only the length minimum (a wrong secret, an empty one, or a
 * key of another family stay refused), and signing with a short secret stays refused whatever is passed.
 */
import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { describe, test } from 'node:test'
import * as node from '../src/node.ts'
import * as webcrypto from '../src/webcrypto.ts'
import { expectCode, expectCodeSync } from './support/vectors.ts'

/** The token jwt.io shows by default, and the secret it is signed with. */
const JWT_IO_TOKEN =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c'
const SHORT = new TextEncoder().encode('your-256-bit-secret')
const HS = { algorithms: ['HS256'] }
const ALLOW = { ...HS, allowShortHmacKey: true }
const WEAK = 'ERR_KEY_TOO_WEAK'

const [protectedSegment, payloadSegment, signature] = JWT_IO_TOKEN.split('.') as [string, string, string]
const flattened = { protected: protectedSegment, payload: payloadSegment, signature }
const general = { payload: payloadSegment, signatures: [{ protected: protectedSegment, signature }] }

type Api = Omit<typeof webcrypto, 'runtime'>
const BACKENDS: [string, Api][] = [
  ['node', node],
  ['webcrypto', webcrypto],
]

for (const [name, api] of BACKENDS) {
  describe(`${name}: allowShortHmacKey`, () => {
    const verifiers: [string, (key: unknown, options: node.JWTVerifyOptions) => Promise<unknown>][] = [
      ['compactVerify', (key, options) => api.compactVerify(JWT_IO_TOKEN, key as never, options)],
      ['flattenedVerify', (key, options) => api.flattenedVerify(flattened, key as never, options)],
      ['generalVerify', (key, options) => api.generalVerify(general, key as never, options)],
      ['verifyJWT', (key, options) => api.verifyJWT(JWT_IO_TOKEN, key as never, options)],
      [
        'verifyJWT with a resolver',
        (key, options) => api.verifyJWT(JWT_IO_TOKEN, () => key as never, options),
      ],
    ]

    for (const [label, verify] of verifiers) {
      test(`${label}: the 19-byte jwt.io secret is refused without the option, verified with it`, async () => {
        const error = await expectCode(() => verify(SHORT, HS), WEAK)
        assert.match(error.message, /at least 32 bytes/)
        const result = (await verify(SHORT, ALLOW)) as { payload: unknown }
        const payload =
          result.payload instanceof Uint8Array
            ? JSON.parse(new TextDecoder().decode(result.payload))
            : result.payload
        assert.equal((payload as { name: string }).name, 'John Doe')
      })
    }

    test('decryptAndVerifyJWT: a nested token signed with the jwt.io secret verifies only with the option', async () => {
      const aes = new Uint8Array(32).fill(1)
      const nested = await api.compactEncrypt(new TextEncoder().encode(JWT_IO_TOKEN), aes, {
        alg: 'dir',
        enc: 'A256GCM',
        cty: 'JWT',
      })
      const options = {
        decryptionKey: aes,
        verificationKey: SHORT,
        algorithms: ['HS256'],
        keyManagementAlgorithms: ['dir'],
        contentEncryptionAlgorithms: ['A256GCM'],
      }
      await expectCode(() => api.decryptAndVerifyJWT(nested, options), WEAK)
      const { payload } = await api.decryptAndVerifyJWT(nested, { ...options, allowShortHmacKey: true })
      assert.equal(payload.sub, '1234567890')
    })

    test('the option skips only the length minimum: a wrong short secret, an empty one, an EC key stay refused', async () => {
      const wrong = new TextEncoder().encode('not-the-256-bit-key')
      await expectCode(() => api.verifyJWT(JWT_IO_TOKEN, wrong, ALLOW), 'ERR_JWS_SIGNATURE_INVALID')
      await expectCode(() => api.verifyJWT(JWT_IO_TOKEN, () => new Uint8Array(0), ALLOW), WEAK)
      await expectCode(() => api.compactVerify(JWT_IO_TOKEN, () => new Uint8Array(0), ALLOW), WEAK)
      const { publicKey } = await api.generateKeyPair('ES256')
      await expectCode(() => api.verifyJWT(JWT_IO_TOKEN, publicKey, ALLOW), 'ERR_KEY_ALG_MISMATCH')
    })

    test('only true enables it: another value is an option error, never read as on or off', async () => {
      for (const value of ['yes', 1, null, {}]) {
        await expectCode(
          () => api.verifyJWT(JWT_IO_TOKEN, SHORT, { ...HS, allowShortHmacKey: value as never }),
          'ERR_JOSE_OPTION_INVALID',
        )
      }
      await expectCode(() => api.verifyJWT(JWT_IO_TOKEN, SHORT, { ...HS, allowShortHmacKey: false }), WEAK)
    })

    test('signing with the short secret is refused, whatever options are passed', async () => {
      const sneaky = { alg: 'HS256', allowShortHmacKey: true } as never
      await expectCode(() => api.signJWT({ sub: 'u1' }, SHORT, sneaky), WEAK)
      await expectCode(() => api.compactSign(new Uint8Array(1), SHORT, sneaky, sneaky), WEAK)
      await expectCode(() => api.flattenedSign(new Uint8Array(1), SHORT, sneaky), WEAK)
      await expectCode(
        () => api.generalSign(new Uint8Array(1), [{ key: SHORT, protectedHeader: sneaky }]),
        WEAK,
      )
    })
  })
}

describe('node: createVerifier and createSigner', () => {
  test('createVerifier refuses the short key at creation without the option and verifies with it', () => {
    expectCodeSync(() => node.createVerifier({ key: SHORT, ...HS }), WEAK)
    const verify = node.createVerifier({ key: SHORT, ...ALLOW })
    assert.equal(verify(JWT_IO_TOKEN).payload.sub, '1234567890')
    const viaResolver = node.createVerifier({ key: () => SHORT, ...ALLOW })
    assert.equal(viaResolver(JWT_IO_TOKEN).payload.sub, '1234567890')
    expectCodeSync(() => node.createVerifier({ key: () => SHORT, ...HS })(JWT_IO_TOKEN), WEAK)
  })

  test('createSigner refuses the short key even when handed the option', () => {
    expectCodeSync(
      () => node.createSigner({ key: SHORT, alg: 'HS256', allowShortHmacKey: true } as never),
      WEAK,
    )
  })

  test('an RSA key under 2048 bits is still refused with the option (it is about HMAC only)', async () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 })
    const token = `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.e30.${'A'.repeat(171)}`
    await expectCode(
      () => node.verifyJWT(token, publicKey, { algorithms: ['RS256'], allowShortHmacKey: true }),
      WEAK,
    )
  })
})
