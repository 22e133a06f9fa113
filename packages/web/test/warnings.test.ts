/**
 * @module The reviewer's findings and the time phrases, as pure functions (no browser).
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { roughSpan, timePhrase } from '../src/debugger/time.js'
import { reviewJwe, reviewJws, reviewSecret, sensitiveClaims } from '../src/debugger/warnings.js'

const NOW = 1_772_443_800
const keys = (findings: { key: string }[]) => findings.map((finding) => finding.key)

describe('reviewJws', () => {
  test('alg "none" in any case is a danger', () => {
    assert.deepEqual(reviewJws({ alg: 'none' }, undefined, NOW), [{ level: 'danger', key: 'warn.algNone' }])
    assert.equal(reviewJws({ alg: 'nOnE' }, undefined, NOW)[0]?.key, 'warn.algNone')
  })

  test('a token without exp is flagged; one with a short exp is not', () => {
    assert.ok(keys(reviewJws({ alg: 'HS256' }, { sub: 'u' }, NOW)).includes('warn.noExp'))
    assert.deepEqual(keys(reviewJws({ alg: 'HS256' }, { sub: 'u', iat: NOW, exp: NOW + 900 }, NOW)), [
      'warn.readable',
    ])
  })

  test('a lifetime over a day is flagged with its length; exactly a day is not', () => {
    const long = reviewJws({ alg: 'ES256' }, { iat: NOW, exp: NOW + 2 * 86400 }, NOW)
    assert.deepEqual(long[0], { level: 'warning', key: 'warn.longLifetime', spanSeconds: 2 * 86400 })
    assert.ok(
      !keys(reviewJws({ alg: 'ES256' }, { iat: NOW, exp: NOW + 86400 }, NOW)).includes('warn.longLifetime'),
    )
    // Without iat the lifetime left from now is what counts.
    assert.ok(keys(reviewJws({ alg: 'ES256' }, { exp: NOW + 3 * 86400 }, NOW)).includes('warn.longLifetime'))
  })

  test('exp in milliseconds is flagged', () => {
    assert.ok(keys(reviewJws({ alg: 'ES256' }, { exp: NOW * 1000 }, NOW)).includes('warn.expMillis'))
  })

  test('keys or key URLs in the header are flagged by name', () => {
    const [finding] = reviewJws({ alg: 'RS256', jku: 'https://x', jwk: {} }, undefined, NOW)
    assert.deepEqual(finding, { level: 'warning', key: 'warn.headerKey', params: { params: 'jku, jwk' } })
  })
})

describe('reviewJwe', () => {
  test('RSA1_5, an extreme p2c and compression are flagged; a plain dir/A256GCM header is not', () => {
    assert.deepEqual(keys(reviewJwe({ alg: 'RSA1_5', enc: 'A128GCM', zip: 'DEF' })), [
      'warn.rsa15',
      'warn.zip',
    ])
    assert.deepEqual(reviewJwe({ alg: 'PBES2-HS256+A128KW', p2c: 1_000_000 })[0]?.params, {
      count: 1_000_000,
    })
    assert.deepEqual(keys(reviewJwe({ alg: 'PBES2-HS256+A128KW', p2c: 10 })), ['warn.p2cLow'])
    assert.deepEqual(reviewJwe({ alg: 'dir', enc: 'A256GCM' }), [])
  })
})

describe('sensitiveClaims', () => {
  test('finds emails and phone numbers by value, and sensitive names, nested too', () => {
    assert.deepEqual(
      sensitiveClaims({
        sub: 'user-1',
        contact: 'minji@example.co.kr',
        profile: { phone_number: '010-1234-5678', nick: 'mj' },
        mobile_alt: '+82 10 9876 5432',
        account: '123456789012',
        password: 'x',
      }),
      ['contact', 'profile.phone_number', 'mobile_alt', 'password'],
    )
  })

  test('ordinary claims are left alone', () => {
    assert.deepEqual(sensitiveClaims({ sub: 'u1', scope: 'read write', jti: 'a-b-c', aud: ['api'] }), [])
  })
})

describe('reviewSecret', () => {
  const bytes = (text: string) => new TextEncoder().encode(text)

  test('a well-known short secret gets both findings', () => {
    assert.deepEqual(keys(reviewSecret(bytes('secret'), 'HS256', true)), [
      'warn.secretKnown',
      'warn.secretShort',
    ])
    assert.deepEqual(reviewSecret(bytes('secret'), 'HS256', true)[1]?.params, {
      alg: 'HS256',
      bytes: 6,
      minimum: 32,
    })
  })

  test('the minimum follows the hash: 32 bytes is enough for HS256, not for HS512', () => {
    const secret = crypto.getRandomValues(new Uint8Array(32))
    assert.deepEqual(reviewSecret(secret, 'HS256', false), [])
    assert.deepEqual(keys(reviewSecret(secret, 'HS512', false)), ['warn.secretShort'])
  })

  test('a long but repetitive secret is flagged; a long typed phrase gets a note', () => {
    assert.deepEqual(keys(reviewSecret(bytes('ab'.repeat(20)), 'HS256', true)), ['warn.secretRepetitive'])
    assert.deepEqual(
      keys(reviewSecret(bytes('correct horse battery staple, 32+ bytes long!'), 'HS256', true)),
      ['warn.secretTyped'],
    )
  })
})

describe('time phrases', () => {
  test('roughSpan picks one unit', () => {
    assert.deepEqual(roughSpan(45), { value: 45, unit: 's' })
    assert.deepEqual(roughSpan(-89), { value: 89, unit: 's' })
    assert.deepEqual(roughSpan(12 * 60), { value: 12, unit: 'min' })
    assert.deepEqual(roughSpan(3 * 3600), { value: 3, unit: 'h' })
    assert.deepEqual(roughSpan(47 * 3600), { value: 47, unit: 'h' })
    assert.deepEqual(roughSpan(30 * 86400), { value: 30, unit: 'd' })
  })

  test('each time claim gets the phrase for its side of now', () => {
    assert.equal(timePhrase('exp', NOW + 720, NOW)?.key, 'time.expiresIn')
    assert.equal(timePhrase('exp', NOW - 3 * 3600, NOW)?.key, 'time.expiredAgo')
    assert.equal(timePhrase('exp', NOW, NOW)?.key, 'time.expiredAgo')
    assert.equal(timePhrase('nbf', NOW + 10, NOW)?.key, 'time.validIn')
    assert.equal(timePhrase('iat', NOW - 10, NOW)?.key, 'time.issuedAgo')
    assert.equal(timePhrase('iat', NOW + 10, NOW)?.key, 'time.issuedIn')
    assert.equal(timePhrase('sub', NOW, NOW), undefined)
  })
})
