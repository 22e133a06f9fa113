/**
 * @module Property tests (fast-check) for the parsers: random strings, bytes, objects and mutated valid tokens never
 * make compactVerify, flattenedVerify, generalVerify, verifyJWT, createVerifier, decodeJWT or decodeProtectedHeader
 * throw anything but a JOSEError, and a mutated token never verifies. Runs are bounded (seeded, fixed counts) and
 * each test has a timeout, so a hang fails instead of stalling the suite. Generated claim sets show the signer and
 * the verifier agree on the registered claims' types: what signJWT signs verifies, and what it refuses verifyJWT
 * refuses with the same code and claim.
 */
import assert from 'node:assert/strict'
import { createHmac, generateKeyPairSync } from 'node:crypto'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import {
  compactSign,
  compactVerify,
  createVerifier,
  decodeJWT,
  decodeProtectedHeader,
  type FlattenedJWS,
  flattenedSign,
  flattenedVerify,
  type GeneralJWS,
  generalSign,
  generalVerify,
  JOSEError,
  signJWT,
  verifyJWT,
} from '../src/node.ts'

const SECRET = new Uint8Array(32).fill(5)
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' })
const ed = generateKeyPairSync('ed25519')
const OPTIONS = { algorithms: ['HS256', 'ES256', 'EdDSA'] }
// Seeded and bounded for CI; TESSERA_FUZZ_RUNS / TESSERA_FUZZ_SEED run a longer or different search locally.
const RUNS = {
  numRuns: Number(process.env.TESSERA_FUZZ_RUNS ?? 300),
  seed: Number(process.env.TESSERA_FUZZ_SEED ?? 20261127),
}
const LIMIT = { timeout: process.env.TESSERA_FUZZ_RUNS ? 600_000 : 30_000 }

/** Runs `f`; a throw must be a JOSEError. Returns whether it succeeded. */
async function onlyJoseErrors(f: () => unknown, input?: unknown): Promise<boolean> {
  try {
    await f()
    return true
  } catch (error) {
    if (!(error instanceof JOSEError)) {
      assert.fail(
        `threw a non-JOSE error: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
      )
    }
    assert.match(error.code, /^ERR_/)
    // Messages never contain a token.
    if (typeof input === 'string' && input.length >= 48) {
      assert.ok(!error.message.includes(input.slice(0, 48)), `${error.code}: the message repeats the token`)
    }
    return false
  }
}

const resolver = (header: { alg?: unknown }) =>
  header.alg === 'HS256' ? SECRET : header.alg === 'ES256' ? ec.publicKey : ed.publicKey
const verifier = createVerifier({ key: resolver, ...OPTIONS })
const cachedVerifier = createVerifier({ key: SECRET, algorithms: ['HS256'], cache: { max: 64 } })

/** Every compact entry point over one input; returns which of them accepted it. */
async function allCompact(input: unknown): Promise<boolean[]> {
  return [
    await onlyJoseErrors(() => compactVerify(input as string, resolver, OPTIONS), input),
    await onlyJoseErrors(() => verifyJWT(input as string, resolver, OPTIONS), input),
    await onlyJoseErrors(() => verifier(input as string), input),
    await onlyJoseErrors(() => cachedVerifier(input as string), input),
  ]
}

const base64urlChar = fc.constantFrom(
  ...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/. \n?#\u00e9\u200b\0',
)
const tokenish = fc.array(base64urlChar, { maxLength: 200 }).map((chars) => chars.join(''))

describe('fuzz: random input', () => {
  test('random strings (full unicode) are refused with JOSE errors only', LIMIT, async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme', maxLength: 300 }), async (input) => {
        assert.deepEqual(await allCompact(input), [false, false, false, false])
        await onlyJoseErrors(() => decodeJWT(input))
        await onlyJoseErrors(() => decodeProtectedHeader(input))
      }),
      RUNS,
    )
  })
  test(
    'token-shaped strings (base64url alphabet, dots and junk) are refused with JOSE errors only',
    LIMIT,
    async () => {
      await fc.assert(
        fc.asyncProperty(tokenish, async (input) => {
          assert.deepEqual(await allCompact(input), [false, false, false, false])
          await onlyJoseErrors(() => decodeJWT(input))
          await onlyJoseErrors(() => decodeProtectedHeader(input))
        }),
        RUNS,
      )
    },
  )
  test('random bytes and non-string values are refused with JOSE errors only', LIMIT, async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.uint8Array({ maxLength: 200 }), fc.anything()), async (input) => {
        assert.deepEqual(await allCompact(input), [false, false, false, false])
        await onlyJoseErrors(() => decodeJWT(input))
        await onlyJoseErrors(() => decodeProtectedHeader(input))
      }),
      RUNS,
    )
  })
  test('random objects as flattened or general JWS are refused with JOSE errors only', LIMIT, async () => {
    const member = fc.oneof(tokenish, fc.anything(), fc.constant('eyJhbGciOiJIUzI1NiJ9'))
    const entry = fc.record(
      { protected: member, header: fc.oneof(fc.object(), member), signature: member },
      { requiredKeys: [] },
    )
    const jws = fc.oneof(
      fc.anything(),
      fc.record(
        { payload: member, protected: member, header: fc.oneof(fc.object(), member), signature: member },
        { requiredKeys: [] },
      ),
      fc.record(
        { payload: member, signatures: fc.oneof(fc.array(entry, { maxLength: 20 }), member) },
        { requiredKeys: [] },
      ),
    )
    await fc.assert(
      fc.asyncProperty(jws, async (input) => {
        assert.equal(
          await onlyJoseErrors(() => flattenedVerify(input as FlattenedJWS, resolver, OPTIONS)),
          false,
        )
        assert.equal(await onlyJoseErrors(() => generalVerify(input as GeneralJWS, resolver, OPTIONS)), false)
        await onlyJoseErrors(() => decodeProtectedHeader(input))
      }),
      RUNS,
    )
  })
  test(
    'correctly MACed tokens with random headers and claims: accepted only as a JSON-object HS256 JWT',
    LIMIT,
    async () => {
      const value = fc.oneof(
        fc.jsonValue({ maxDepth: 2 }),
        fc.constantFrom('HS256', 'none', 'b64', false, ['b64'], []),
      )
      const header = fc.dictionary(
        fc.constantFrom('alg', 'crit', 'b64', 'kid', 'typ', '__proto__', 'x'),
        value,
        { maxKeys: 5 },
      )
      const text = fc.oneof(
        header.map((h) => JSON.stringify(h)),
        fc.jsonValue().map((v) => JSON.stringify(v)),
        fc.string(),
      )
      await fc.assert(
        fc.asyncProperty(text, text, async (headerText, claimsText) => {
          const input = `${Buffer.from(headerText).toString('base64url')}.${Buffer.from(claimsText).toString('base64url')}`
          const token = `${input}.${createHmac('sha256', SECRET).update(input).digest('base64url')}`
          const [compact, jwt, sync] = await allCompact(token)
          if (compact || jwt || sync) {
            const parsed = JSON.parse(headerText)
            assert.equal(parsed.alg, 'HS256')
          }
          if (jwt) assert.ok(typeof JSON.parse(claimsText) === 'object')
          assert.equal(jwt, sync, 'verifyJWT and createVerifier agree')
        }),
        RUNS,
      )
    },
  )
})

describe('fuzz: mutated valid tokens never verify', () => {
  const mutation = fc.record({
    kind: fc.constantFrom('replace', 'insert', 'delete', 'flip', 'truncate', 'swap'),
    at: fc.nat(),
    char: base64urlChar,
    bit: fc.integer({ min: 0, max: 7 }),
  })
  type Mutation = { kind: string; at: number; char: string; bit: number }
  function mutate(token: string, { kind, at, char, bit }: Mutation): string {
    const i = at % token.length
    switch (kind) {
      case 'replace':
        return token.slice(0, i) + char + token.slice(i + 1)
      case 'insert':
        return token.slice(0, i) + char + token.slice(i)
      case 'delete':
        return token.slice(0, i) + token.slice(i + 1)
      case 'flip': {
        // Flip one bit of one decoded segment and re-encode canonically.
        const parts = token.split('.')
        const which = at % 3
        const bytes = Buffer.from(parts[which]!, 'base64url')
        if (bytes.length === 0) return token
        bytes[at % bytes.length]! ^= 1 << bit
        parts[which] = bytes.toString('base64url')
        return parts.join('.')
      }
      case 'truncate':
        return token.slice(0, i)
      default: {
        const [h, p, s] = token.split('.')
        return [p, h, s].join('.')
      }
    }
  }

  test('HS256, ES256 and EdDSA JWTs: any mutation is refused with a JOSE error', LIMIT, async () => {
    const tokens = [
      await signJWT({ sub: 'u1', n: 1 }, SECRET, { alg: 'HS256', expiresIn: '1h' }),
      await signJWT({ sub: 'u1', n: 2 }, ec.privateKey, { alg: 'ES256', kid: 'e' }),
      await signJWT({ sub: 'u1', n: 3 }, ed.privateKey, { alg: 'EdDSA' }),
    ]
    // Control: the originals verify everywhere (the cached verifier holds only the HS256 secret).
    for (const [i, token] of tokens.entries())
      assert.deepEqual(await allCompact(token), [true, true, true, i === 0])
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...tokens), mutation, async (token, m) => {
        const mutated = mutate(token, m)
        fc.pre(mutated !== token)
        assert.deepEqual(await allCompact(mutated), [false, false, false, false])
        await onlyJoseErrors(() => decodeJWT(mutated))
      }),
      { ...RUNS, numRuns: RUNS.numRuns * 2 },
    )
  })

  test('flattened and general JSON: a mutated member is refused with a JOSE error', LIMIT, async () => {
    const payload = new TextEncoder().encode('{"a":"payload"}')
    const flat = await flattenedSign(payload, SECRET, { alg: 'HS256' }, { kid: 'k' })
    const general = await generalSign(payload, [
      { key: SECRET, protectedHeader: { alg: 'HS256' } },
      { key: ec.privateKey, protectedHeader: { alg: 'ES256' } },
    ])
    const compact = await compactSign(payload, ed.privateKey, { alg: 'EdDSA' })
    await flattenedVerify(flat, resolver, OPTIONS)
    await generalVerify(general, resolver, OPTIONS)
    await compactVerify(compact, resolver, OPTIONS)
    const member = fc.constantFrom('protected', 'payload', 'signature')
    await fc.assert(
      fc.asyncProperty(member, mutation, fc.nat(1), async (name, m, index) => {
        const original = flat[name] as string
        const changed = original ? mutate(`${original}..`, m).split('.')[0]! : m.char
        fc.pre(changed !== original)
        assert.equal(
          await onlyJoseErrors(() => flattenedVerify({ ...flat, [name]: changed }, resolver, OPTIONS)),
          false,
        )
        const entries = general.signatures.map((entry, i) =>
          i === index && name !== 'payload' ? { ...entry, [name]: changed } : entry,
        )
        const mutatedGeneral =
          name === 'payload' ? { ...general, payload: changed } : { ...general, signatures: entries }
        // Changing one of two signatures leaves the other valid; the verifying key must then be the untouched one's.
        const accepted = await onlyJoseErrors(async () => {
          const result = await generalVerify(mutatedGeneral, resolver, OPTIONS)
          assert.notEqual(result.protectedHeader.alg, index === 0 ? 'HS256' : 'ES256')
        })
        if (name === 'payload') assert.equal(accepted, false)
      }),
      RUNS,
    )
  })
})

describe('fuzz: what we sign, we verify', () => {
  const NOW = 1_800_000_000
  const currentDate = new Date(NOW * 1000)
  /** Anything JSON can carry except a number, so a NumericDate below is only ever a well-placed one. */
  const notNumber = fc.jsonValue().filter((value) => typeof value !== 'number')
  // Each registered claim: absent half the time, else mostly well typed (times that verify at NOW) and
  // sometimes any other JSON value, so about half the claim sets are signable and half are not.
  const claim = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<unknown> = fc.jsonValue()) =>
    fc.option(fc.oneof({ arbitrary: good, weight: 4 }, { arbitrary: bad, weight: 1 }), {
      nil: undefined,
      freq: 2,
    })
  const text = fc.string({ maxLength: 12 })
  const claims = fc.record(
    {
      iss: claim(text),
      sub: claim(text),
      jti: claim(text),
      aud: claim(fc.oneof(text, fc.array(text, { minLength: 1, maxLength: 3 }))),
      exp: claim(fc.integer({ min: NOW + 1, max: NOW + 1e9 }), notNumber),
      nbf: claim(fc.integer({ min: 0, max: NOW }), notNumber),
      iat: claim(fc.double({ min: 0, max: NOW, noNaN: true }), notNumber),
      extra: fc.option(fc.jsonValue(), { nil: undefined }),
    },
    { requiredKeys: [] },
  )
  const keys = [
    { alg: 'HS256', sign: SECRET, verify: SECRET },
    { alg: 'ES256', sign: ec.privateKey, verify: ec.publicKey },
    { alg: 'EdDSA', sign: ed.privateKey, verify: ed.publicKey },
  ]
  const outcome = async (f: () => Promise<unknown>) => {
    try {
      return { ok: true as const, value: await f() }
    } catch (error) {
      if (!(error instanceof JOSEError)) throw error
      return { ok: false as const, error: error as JOSEError & { claim?: string } }
    }
  }

  test(
    'whatever signJWT accepts verifyJWT verifies unchanged; what verifyJWT refuses as a claim type, signJWT refuses with the same code and claim',
    LIMIT,
    async () => {
      await fc.assert(
        fc.asyncProperty(claims, fc.constantFrom(...keys), async (generated, key) => {
          // JSON round trip: the claims exactly as a token would carry them (undefined members dropped).
          const payload = JSON.parse(JSON.stringify(generated)) as Record<string, unknown>
          const signed = await outcome(() => signJWT(payload, key.sign, { alg: key.alg, iat: false }))
          const raw = await compactSign(new TextEncoder().encode(JSON.stringify(payload)), key.sign, {
            alg: key.alg,
          })
          const verified = await outcome(() =>
            verifyJWT(raw, key.verify, { algorithms: [key.alg], currentDate }),
          )
          if (signed.ok) {
            const result = await verifyJWT(signed.value as string, key.verify, {
              algorithms: [key.alg],
              currentDate,
            })
            assert.deepEqual(result.payload, payload)
            assert.equal(verified.ok, true, 'the same claims signed as raw bytes verify too')
          } else {
            assert.equal(signed.error.code, 'ERR_JWT_CLAIM_INVALID')
            assert.equal(
              verified.ok,
              false,
              `signJWT refused "${signed.error.claim}" but verifyJWT accepted it`,
            )
            if (!verified.ok) {
              assert.equal(verified.error.code, signed.error.code)
              assert.equal(verified.error.claim, signed.error.claim)
            }
          }
        }),
        { ...RUNS, numRuns: Math.min(RUNS.numRuns, 200) },
      )
    },
  )
})
