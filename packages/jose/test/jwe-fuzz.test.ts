/**
 * @module Property tests (fast-check) for the JWE parsers: random strings, objects and mutated valid
 * tokens never make compactDecrypt, flattenedDecrypt, generalDecrypt, decryptJWT or a createDecrypter
 * throw anything but a JOSEError, and a mutated token never decrypts. Seeded and bounded, with a timeout.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import {
  compactDecrypt,
  compactEncrypt,
  createDecrypter,
  decryptJWT,
  encodeBase64url,
  flattenedDecrypt,
  flattenedEncrypt,
  generalDecrypt,
  generalEncrypt,
  JOSEError,
} from '../src/node.ts'

const KEY = new Uint8Array(32).fill(7)
const OPTIONS = {
  keyManagementAlgorithms: ['dir', 'A256KW', 'PBES2-HS256+A128KW'],
  contentEncryptionAlgorithms: ['A256GCM', 'A128CBC-HS256'],
  maxPBES2Count: 2000,
}
const RUNS = {
  numRuns: Number(process.env.TESSERA_FUZZ_RUNS ?? 300),
  seed: Number(process.env.TESSERA_FUZZ_SEED ?? 20261127),
}
const LIMIT = { timeout: process.env.TESSERA_FUZZ_RUNS ? 600_000 : 60_000 }
const decrypter = createDecrypter({ key: KEY, ...OPTIONS })

/** Runs `f`; a throw must be a JOSEError. Returns whether it succeeded. */
async function onlyJoseErrors(f: () => unknown): Promise<boolean> {
  try {
    await f()
    return true
  } catch (error) {
    if (!(error instanceof JOSEError)) {
      assert.fail(
        `threw a non-JOSE error: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
      )
    }
    return false
  }
}

const char = fc.constantFrom(
  ...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/. \n\u00e9\0',
)
const tokenish = fc.array(char, { maxLength: 300 }).map((chars) => chars.join(''))
const header = fc
  .record({
    alg: fc.constantFrom('dir', 'A256KW', 'PBES2-HS256+A128KW', 'none', 'RSA1_5', 'ECDH-ES'),
    enc: fc.constantFrom('A256GCM', 'A128CBC-HS256', 'A1GCM'),
    zip: fc.constantFrom(undefined, 'DEF', 'XYZ'),
    p2c: fc.oneof(fc.integer(), fc.constant(undefined)),
    p2s: fc.oneof(tokenish, fc.constant(undefined)),
    epk: fc.oneof(fc.object(), fc.constant(undefined)),
    crit: fc.oneof(fc.array(fc.string()), fc.constant(undefined)),
  })
  .map((value) => encodeBase64url(JSON.stringify(value)))

describe('fuzz: JWE decryption', () => {
  test('random compact-shaped strings are refused with JOSE errors only', LIMIT, async () => {
    const fiveParts = fc
      .tuple(fc.oneof(header, tokenish), tokenish, tokenish, tokenish, tokenish)
      .map((parts) => parts.join('.'))
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(tokenish, fiveParts, fc.string({ unit: 'grapheme', maxLength: 200 })),
        async (input) => {
          assert.equal(await onlyJoseErrors(() => compactDecrypt(input, KEY, OPTIONS)), false)
          assert.equal(await onlyJoseErrors(() => decryptJWT(input, KEY, OPTIONS)), false)
          assert.equal(await onlyJoseErrors(() => decrypter(input)), false)
        },
      ),
      RUNS,
    )
  })
  test(
    'random JSON objects are refused by flattenedDecrypt and generalDecrypt with JOSE errors only',
    LIMIT,
    async () => {
      const member = fc.oneof(tokenish, fc.anything())
      const jwe = fc.oneof(
        fc.anything(),
        fc.record(
          {
            protected: fc.oneof(header, member),
            unprotected: fc.oneof(fc.object(), member),
            header: fc.oneof(fc.object(), member),
            encrypted_key: member,
            iv: member,
            ciphertext: member,
            tag: member,
            aad: member,
          },
          { requiredKeys: [] },
        ),
        fc.record(
          {
            protected: fc.oneof(header, member),
            recipients: fc.oneof(
              fc.array(
                fc.record(
                  { header: fc.oneof(fc.object(), member), encrypted_key: member },
                  { requiredKeys: [] },
                ),
                { maxLength: 20 },
              ),
              member,
            ),
            iv: member,
            ciphertext: member,
            tag: member,
          },
          { requiredKeys: [] },
        ),
      )
      await fc.assert(
        fc.asyncProperty(jwe, async (input) => {
          assert.equal(await onlyJoseErrors(() => flattenedDecrypt(input as never, KEY, OPTIONS)), false)
          assert.equal(await onlyJoseErrors(() => generalDecrypt(input as never, KEY, OPTIONS)), false)
        }),
        RUNS,
      )
    },
  )
  test(
    'a mutated valid token never decrypts (one character changed, dropped or inserted)',
    LIMIT,
    async () => {
      const tokens = await Promise.all([
        compactEncrypt(new TextEncoder().encode('{"sub":"u1"}'), KEY, { alg: 'dir', enc: 'A256GCM' }),
        compactEncrypt(new TextEncoder().encode('{"sub":"u1"}'), KEY, {
          alg: 'A256KW',
          enc: 'A128CBC-HS256',
          zip: 'DEF',
        }),
      ])
      const mutation = fc.record({
        token: fc.constantFrom(...tokens),
        at: fc.nat(),
        kind: fc.constantFrom('replace', 'drop', 'insert'),
        char,
      })
      await fc.assert(
        fc.asyncProperty(mutation, async ({ token, at, kind, char: c }) => {
          const i = at % token.length
          const mutated =
            kind === 'replace'
              ? token.slice(0, i) + c + token.slice(i + 1)
              : kind === 'drop'
                ? token.slice(0, i) + token.slice(i + 1)
                : token.slice(0, i) + c + token.slice(i)
          fc.pre(mutated !== token)
          assert.equal(await onlyJoseErrors(() => compactDecrypt(mutated, KEY, OPTIONS)), false, mutated)
        }),
        RUNS,
      )
    },
  )
  test('mutated flattened and general JWEs never decrypt', LIMIT, async () => {
    const flat = await flattenedEncrypt(
      new TextEncoder().encode('x'),
      KEY,
      { alg: 'dir', enc: 'A256GCM' },
      { aad: new Uint8Array([1, 2]) },
    )
    const general = await generalEncrypt(
      new TextEncoder().encode('x'),
      [{ key: KEY, header: { alg: 'A256KW' } }],
      { enc: 'A256GCM' },
    )
    const field = fc.constantFrom('protected', 'iv', 'ciphertext', 'tag', 'aad')
    await fc.assert(
      fc.asyncProperty(field, fc.nat(), char, async (name, at, c) => {
        const source = { ...flat } as unknown as Record<string, string>
        const value = source[name]!
        const i = at % Math.max(1, value.length)
        source[name] = value.slice(0, i) + c + value.slice(i + 1)
        fc.pre(source[name] !== value)
        assert.equal(await onlyJoseErrors(() => flattenedDecrypt(source as never, KEY, OPTIONS)), false)
        const other = { ...general } as Record<string, unknown>
        if (name !== 'aad') {
          const original = other[name] as string
          other[name] =
            original.slice(0, at % original.length) + c + original.slice((at % original.length) + 1)
          fc.pre(other[name] !== original)
          assert.equal(await onlyJoseErrors(() => generalDecrypt(other as never, KEY, OPTIONS)), false)
        }
      }),
      RUNS,
    )
  })
})
