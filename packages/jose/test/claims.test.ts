/**
 * @module JWT claim checks (RFC 7519 §4.1): exp / nbf / iat with clockTolerance, maxTokenAge, iss, aud, sub, typ,
 * requiredClaims, currentDate and createVerifier's clock. Every refusal checks `code` and `claim`; bad option values
 * are refused up front, never read as "no check".
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  compactSign,
  createSigner,
  createVerifier,
  type JOSEError,
  type JWTPayload,
  type JWTVerifyOptions,
  signJWT,
  verifyJWT,
} from '../src/node.ts'
import { expectCode, expectCodeSync } from './support/vectors.ts'

const SECRET = new Uint8Array(32).fill(3)
const T = 1_800_000_000 // seconds; every token below is issued at T
const at = (seconds: number) => new Date(seconds * 1000)
const base = { algorithms: ['HS256'] }

/**
 * A token with exactly these claims (no iat added unless given), protected header `header`. Signed as raw
 * JWS bytes, not with signJWT, which refuses the ill-typed claims some tests below must send to a verifier.
 */
function token(claims: JWTPayload, header: Record<string, unknown> = {}): Promise<string> {
  return compactSign(new TextEncoder().encode(JSON.stringify(claims)), SECRET, { ...header, alg: 'HS256' })
}

async function accepted(jwt: string, options: JWTVerifyOptions) {
  return (await verifyJWT(jwt, SECRET, { ...base, ...options })).payload
}

async function refused(jwt: string, options: JWTVerifyOptions, code: string, claim: string, reason?: string) {
  const error = (await expectCode(
    () => verifyJWT(jwt, SECRET, { ...base, ...options }),
    code,
  )) as JOSEError & {
    claim: string
    reason: string
  }
  assert.equal(error.claim, claim)
  if (reason) assert.equal(error.reason, reason)
  assert.ok(!error.message.includes(jwt), 'the message never contains the token')
}

describe('exp', () => {
  test('valid before exp, expired at exp (RFC 7519 §4.1.4: now must be before exp)', async () => {
    const jwt = await token({ exp: T + 60 })
    await accepted(jwt, { currentDate: at(T + 59) })
    await refused(jwt, { currentDate: at(T + 60) }, 'ERR_JWT_EXPIRED', 'exp')
    await refused(jwt, { currentDate: at(T + 3600) }, 'ERR_JWT_EXPIRED', 'exp')
  })
  test('clockTolerance extends exp by exactly the tolerance (number of seconds or a span)', async () => {
    const jwt = await token({ exp: T + 60 })
    for (const clockTolerance of [30, '30s', '30 seconds', '0.5m']) {
      await accepted(jwt, { currentDate: at(T + 89), clockTolerance })
      await refused(jwt, { currentDate: at(T + 90), clockTolerance }, 'ERR_JWT_EXPIRED', 'exp')
    }
  })
  for (const exp of ['1800000060', null, true, [1], { n: 1 }]) {
    test(`exp that is not a number (${JSON.stringify(exp)}) is refused`, async () => {
      await refused(
        await token({ exp } as unknown as JWTPayload),
        { currentDate: at(T) },
        'ERR_JWT_CLAIM_INVALID',
        'exp',
        'invalid',
      )
    })
  }
  test('exp of 1e400 (parses as Infinity) is refused, not treated as "never expires"', async () => {
    // Hand-built claims text: JSON.stringify cannot produce 1e400.
    const signed = await compactSign(new TextEncoder().encode('{"exp":1e400}'), SECRET, { alg: 'HS256' })
    await refused(signed, { currentDate: at(T) }, 'ERR_JWT_CLAIM_INVALID', 'exp', 'invalid')
  })
})

describe('nbf', () => {
  test('refused before nbf, accepted from nbf on', async () => {
    const jwt = await token({ nbf: T + 60 })
    await refused(jwt, { currentDate: at(T + 59) }, 'ERR_JWT_CLAIM_INVALID', 'nbf')
    await accepted(jwt, { currentDate: at(T + 60) })
  })
  test('clockTolerance lets a token through just before nbf', async () => {
    const jwt = await token({ nbf: T + 60 })
    await accepted(jwt, { currentDate: at(T + 30), clockTolerance: '30s' })
    await refused(jwt, { currentDate: at(T + 29), clockTolerance: '30s' }, 'ERR_JWT_CLAIM_INVALID', 'nbf')
  })
  test('nbf that is not a number is refused', async () => {
    await refused(
      await token({ nbf: 'soon' } as unknown as JWTPayload),
      {},
      'ERR_JWT_CLAIM_INVALID',
      'nbf',
      'invalid',
    )
  })
})

describe('iat and maxTokenAge', () => {
  test('maxTokenAge: accepted up to the age, expired after it (claim iat)', async () => {
    const jwt = await token({ iat: T })
    await accepted(jwt, { currentDate: at(T + 300), maxTokenAge: '5m' })
    await refused(jwt, { currentDate: at(T + 301), maxTokenAge: '5m' }, 'ERR_JWT_EXPIRED', 'iat')
    await accepted(jwt, { currentDate: at(T + 310), maxTokenAge: 300, clockTolerance: 10 })
  })
  test('maxTokenAge makes iat required', async () => {
    await refused(
      await token({ sub: 'u' }),
      { currentDate: at(T), maxTokenAge: '1h' },
      'ERR_JWT_CLAIM_INVALID',
      'iat',
      'missing',
    )
  })
  test('an iat in the future beyond the tolerance is refused with no maxTokenAge set (claim iat)', async () => {
    const jwt = await token({ iat: T + 3600, exp: T + 7200 })
    await refused(jwt, { currentDate: at(T) }, 'ERR_JWT_CLAIM_INVALID', 'iat', 'check_failed')
    await accepted(jwt, { currentDate: at(T), clockTolerance: '1h' })
    await accepted(jwt, { currentDate: at(T + 3600) })
    const verify = createVerifier({ key: SECRET, ...base, clock: () => T * 1000 })
    const error = expectCodeSync(() => verify(jwt), 'ERR_JWT_CLAIM_INVALID') as JOSEError & { claim: string }
    assert.equal(error.claim, 'iat')
    assert.match(error.message, /issued in the future/)
  })
  test('maxTokenAge refuses an iat in the future beyond the tolerance', async () => {
    const jwt = await token({ iat: T + 120 })
    await refused(jwt, { currentDate: at(T), maxTokenAge: '1h' }, 'ERR_JWT_CLAIM_INVALID', 'iat')
    await accepted(jwt, { currentDate: at(T), maxTokenAge: '1h', clockTolerance: '2m' })
  })
  test('iat that is not a number is refused', async () => {
    await refused(
      await token({ iat: '0' } as unknown as JWTPayload),
      {},
      'ERR_JWT_CLAIM_INVALID',
      'iat',
      'invalid',
    )
  })
  test('signJWT sets iat from currentDate by default', async () => {
    const jwt = await signJWT({}, SECRET, { alg: 'HS256', currentDate: at(T), expiresIn: '15m' })
    const payload = await accepted(jwt, { currentDate: at(T) })
    assert.equal(payload.iat, T)
    assert.equal(payload.exp, T + 900)
  })
})

describe('iss, aud, sub', () => {
  test('iss: a string or one of a list; mismatch and absence are refused', async () => {
    const jwt = await token({ iss: 'https://a.example' })
    await accepted(jwt, { issuer: 'https://a.example' })
    await accepted(jwt, { issuer: ['https://b.example', 'https://a.example'] })
    await refused(jwt, { issuer: 'https://b.example' }, 'ERR_JWT_CLAIM_INVALID', 'iss')
    await refused(jwt, { issuer: 'https://a.example/' }, 'ERR_JWT_CLAIM_INVALID', 'iss')
    await refused(await token({}), { issuer: 'https://a.example' }, 'ERR_JWT_CLAIM_INVALID', 'iss', 'missing')
    await refused(
      await token({ iss: ['https://a.example'] } as unknown as JWTPayload),
      { issuer: 'https://a.example' },
      'ERR_JWT_CLAIM_INVALID',
      'iss',
    )
  })
  test('aud: string or array in the token, string or array in the options', async () => {
    const single = await token({ aud: 'api' })
    const many = await token({ aud: ['web', 'api'] })
    await accepted(single, { audience: 'api' })
    await accepted(single, { audience: ['other', 'api'] })
    await accepted(many, { audience: 'api' })
    await accepted(many, { audience: ['api', 'x'] })
    await refused(single, { audience: 'API' }, 'ERR_JWT_CLAIM_INVALID', 'aud')
    await refused(many, { audience: ['x', 'y'] }, 'ERR_JWT_CLAIM_INVALID', 'aud')
    await refused(await token({}), { audience: 'api' }, 'ERR_JWT_CLAIM_INVALID', 'aud', 'missing')
    await refused(
      await token({ aud: [1, { a: 'api' }] } as unknown as JWTPayload),
      { audience: 'api' },
      'ERR_JWT_CLAIM_INVALID',
      'aud',
    )
  })
  test('sub must match exactly when asked for', async () => {
    const jwt = await token({ sub: 'u1' })
    await accepted(jwt, { subject: 'u1' })
    await refused(jwt, { subject: 'u2' }, 'ERR_JWT_CLAIM_INVALID', 'sub')
    await refused(await token({}), { subject: 'u1' }, 'ERR_JWT_CLAIM_INVALID', 'sub', 'missing')
  })
  test('requiredClaims: each listed claim must be present', async () => {
    const jwt = await token({ sub: 'u1', jti: 'j' })
    await accepted(jwt, { requiredClaims: ['sub', 'jti'] })
    await refused(jwt, { requiredClaims: ['sub', 'exp'] }, 'ERR_JWT_CLAIM_INVALID', 'exp', 'missing')
  })
})

describe('typ (RFC 7515 §4.1.9, RFC 9068 at+jwt)', () => {
  test('at+jwt matches "at+jwt", "application/at+jwt" and other letter cases', async () => {
    for (const typ of ['at+jwt', 'application/at+jwt', 'AT+JWT', 'Application/At+Jwt']) {
      const jwt = await token({ sub: 'u1' }, { typ })
      await accepted(jwt, { typ: 'at+jwt' })
      await accepted(jwt, { typ: 'application/at+jwt' })
    }
  })
  test('another typ, or none, is refused when typ is required', async () => {
    await refused(await token({}, { typ: 'JWT' }), { typ: 'at+jwt' }, 'ERR_JWT_CLAIM_INVALID', 'typ')
    await refused(
      await token({}, { typ: 'application/jwt' }),
      { typ: 'at+jwt' },
      'ERR_JWT_CLAIM_INVALID',
      'typ',
    )
    await refused(await token({}), { typ: 'at+jwt' }, 'ERR_JWT_CLAIM_INVALID', 'typ')
    await refused(await token({}, { typ: 7 }), { typ: 'at+jwt' }, 'ERR_JWT_CLAIM_INVALID', 'typ')
  })
})

describe('createVerifier with a clock', () => {
  test('the injected clock decides exp and nbf; options are checked once', () => {
    let now = T * 1000
    const sign = createSigner({
      key: SECRET,
      alg: 'HS256',
      expiresIn: '1m',
      notBefore: '10s',
      issuer: 'i',
      clock: () => now,
    })
    const verify = createVerifier({ key: SECRET, ...base, issuer: 'i', clockTolerance: 5, clock: () => now })
    const jwt = sign({ sub: 'u1' })
    const nbf = (err: JOSEError) => (err as JOSEError & { claim: string }).claim
    assert.equal(nbf(expectCodeSync(() => verify(jwt), 'ERR_JWT_CLAIM_INVALID')), 'nbf')
    now += 5_000
    assert.equal(verify(jwt).payload.sub, 'u1')
    now = (T + 64) * 1000
    assert.equal(verify(jwt).payload.sub, 'u1')
    now = (T + 65) * 1000
    assert.equal(nbf(expectCodeSync(() => verify(jwt), 'ERR_JWT_EXPIRED')), 'exp')
    const otherIssuer = createSigner({ key: SECRET, alg: 'HS256', issuer: 'j', clock: () => now })({})
    assert.equal(nbf(expectCodeSync(() => verify(otherIssuer), 'ERR_JWT_CLAIM_INVALID')), 'iss')
  })
  test('a clock that is not a function is refused', () => {
    expectCodeSync(
      () => createVerifier({ key: SECRET, ...base, clock: 5 as never }),
      'ERR_JOSE_OPTION_INVALID',
    )
    expectCodeSync(
      () => createSigner({ key: SECRET, alg: 'HS256', clock: 'now' as never }),
      'ERR_JOSE_OPTION_INVALID',
    )
  })
})

describe('bad option values are refused, never read as "no check"', () => {
  const spans: unknown[] = [
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    -1,
    'abc',
    '',
    '10 lightyears',
    '5m ago',
    {},
    [],
    null,
    true,
    '1e999s',
  ]
  test('clockTolerance and maxTokenAge with unreadable spans', async () => {
    const jwt = await token({ iat: T })
    for (const value of spans) {
      await expectCode(
        () => verifyJWT(jwt, SECRET, { ...base, clockTolerance: value as string }),
        'ERR_JOSE_OPTION_INVALID',
      )
      await expectCode(
        () => verifyJWT(jwt, SECRET, { ...base, maxTokenAge: value as string }),
        'ERR_JOSE_OPTION_INVALID',
      )
      expectCodeSync(
        () => createVerifier({ key: SECRET, ...base, maxTokenAge: value as string }),
        'ERR_JOSE_OPTION_INVALID',
      )
    }
  })
  test('expiresIn and notBefore with unreadable spans', async () => {
    for (const value of spans) {
      await expectCode(
        () => signJWT({}, SECRET, { alg: 'HS256', expiresIn: value as string }),
        'ERR_JOSE_OPTION_INVALID',
      )
      await expectCode(
        () => signJWT({}, SECRET, { alg: 'HS256', notBefore: value as string }),
        'ERR_JOSE_OPTION_INVALID',
      )
      expectCodeSync(
        () => createSigner({ key: SECRET, alg: 'HS256', expiresIn: value as string }),
        'ERR_JOSE_OPTION_INVALID',
      )
    }
  })
  test('currentDate that is not a valid Date', async () => {
    const jwt = await token({})
    for (const currentDate of [new Date(Number.NaN), Date.now(), '2026-01-01', {}]) {
      await expectCode(
        () => verifyJWT(jwt, SECRET, { ...base, currentDate: currentDate as Date }),
        'ERR_JOSE_OPTION_INVALID',
      )
    }
  })
  test('issuer, audience, subject, typ, requiredClaims of the wrong shape', async () => {
    const jwt = await token({})
    const bad: JWTVerifyOptions[] = [
      { issuer: '' },
      { issuer: [] },
      { issuer: [1] as never },
      { audience: [''] },
      { audience: 5 as never },
      { subject: 5 as never },
      { typ: '' },
      { requiredClaims: 'sub' as never },
    ]
    for (const options of bad) {
      await expectCode(() => verifyJWT(jwt, SECRET, { ...base, ...options }), 'ERR_JOSE_OPTION_INVALID')
    }
  })
})

describe('registered string claims', () => {
  for (const [claim, value] of [
    ['sub', 42],
    ['iss', { url: 'https://id.example' }],
    ['jti', ['a']],
  ] as const) {
    test(`a non-string "${claim}" is refused even when no option asks about it`, async () => {
      const jwt = await token({ [claim]: value } as unknown as JWTPayload)
      await refused(jwt, { currentDate: at(T) }, 'ERR_JWT_CLAIM_INVALID', claim, 'invalid')
    })
  }
  test('string iss, sub and jti pass', async () => {
    const jwt = await token({ iss: 'https://id.example', sub: 'u1', jti: 'j1' })
    assert.equal((await accepted(jwt, { currentDate: at(T) })).sub, 'u1')
  })
})

describe('claim mismatch messages name what was expected and what came', () => {
  const messageOf = async (jwt: string, options: JWTVerifyOptions) =>
    (await expectCode(() => verifyJWT(jwt, SECRET, { ...base, ...options }), 'ERR_JWT_CLAIM_INVALID')).message

  test('iss: the token issuer and the accepted one(s), JSON-quoted', async () => {
    const jwt = await token({ iss: 'http://127.0.0.1:8080' })
    assert.equal(
      await messageOf(jwt, { issuer: 'http://localhost:8080' }),
      'the "iss" claim is "http://127.0.0.1:8080"; the accepted issuer is "http://localhost:8080"',
    )
    assert.equal(
      await messageOf(jwt, { issuer: ['https://a.example', 'https://b.example'] }),
      'the "iss" claim is "http://127.0.0.1:8080"; the accepted issuer is one of "https://a.example", "https://b.example"',
    )
  })
  test('aud: the token audience (string or list) and the accepted one(s)', async () => {
    assert.equal(
      await messageOf(await token({ aud: 'web' }), { audience: 'api' }),
      'the "aud" claim is "web"; the accepted audience is "api"',
    )
    assert.equal(
      await messageOf(await token({ aud: ['web', 'cli'] }), { audience: ['api', 'admin'] }),
      'the "aud" claim is ["web", "cli"]; the accepted audience is one of "api", "admin"',
    )
  })
  test('typ: the required type and the one the header carries, or that it has none', async () => {
    assert.match(
      await messageOf(await token({}, { typ: 'JWT' }), { typ: 'at+jwt' }),
      /^the "typ" header must be "at\+jwt" .*; this one is "JWT"$/,
    )
    assert.match(await messageOf(await token({}), { typ: 'at+jwt' }), /this one is missing$/)
  })
  test('a forged value cannot forge a log line: control characters escaped, long values cut', async () => {
    const forged = `https://evil.example\n2026-12-03 INFO login ok user=admin\u001b[2J\u2028\u007f${'x'.repeat(500)}`
    const message = await messageOf(await token({ iss: forged }), { issuer: 'https://id.example' })
    const raw = [...message].filter((c) => {
      const code = c.charCodeAt(0)
      return code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029
    })
    assert.deepEqual(raw, [], 'no raw control character')
    assert.ok(
      message.includes('\\n2026-12-03 INFO') && message.includes('\\u001b[2J') && message.includes('\\u2028'),
    )
    assert.ok(message.length < 250, `cut to about 100 characters of the value (${message.length})`)
    assert.ok(message.includes('…"'))
  })
})
