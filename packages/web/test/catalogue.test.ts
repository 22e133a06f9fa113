/**
 * @module The message catalogues: Korean and English say the same things (same keys, same
 * placeholders), and every error code the library can throw has a message of its own.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import * as jose from '@tessera/jose'
import { EXPLAINED_CODES, explainError } from '../src/debugger/error-messages.js'
import { cleanToken, parseToken } from '../src/debugger/parse-token.js'
import { tokenFromHash } from '../src/debugger/share.js'
import { en } from '../src/i18n/en.js'
import { ko } from '../src/i18n/ko.js'

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort()

describe('catalogues', () => {
  test('ko has exactly the keys of en, none empty', () => {
    assert.deepEqual(Object.keys(ko).sort(), Object.keys(en).sort())
    for (const [key, text] of Object.entries(ko)) assert.notEqual(text.trim(), '', key)
  })

  test('every message has the same placeholders in both languages', () => {
    for (const key of Object.keys(en) as Array<keyof typeof en>) {
      assert.deepEqual(placeholders(ko[key]), placeholders(en[key]), key)
    }
  })

  test('the Korean catalogue is actually Korean where English has words', () => {
    const untranslated = Object.entries(ko).filter(
      // The product name and examples (URLs, token prefixes) stay as they are.
      ([key, text]) =>
        key !== 'app.title' &&
        text === en[key as keyof typeof en] &&
        /[a-z]{4,}/.test(text) &&
        !/^https?:|eyJ/.test(text),
    )
    assert.deepEqual(untranslated, [])
  })
})

describe('error codes', () => {
  const libraryCodes = (Object.values(jose) as unknown[])
    .map((value) => (typeof value === 'function' ? (value as { code?: unknown }).code : undefined))
    .filter((code): code is string => typeof code === 'string')

  test('every code @tessera/jose exports has its own message', () => {
    assert.ok(libraryCodes.length >= 20, `found only ${libraryCodes.length} error classes`)
    const missing = libraryCodes.filter(
      (code) => code !== 'ERR_JOSE_GENERIC' && !EXPLAINED_CODES.includes(code),
    )
    assert.deepEqual(missing, [])
  })

  test('a claim failure keeps its claim and reason; an unknown throw is ERR_UNKNOWN', () => {
    const explained = explainError(new jose.JWTClaimInvalid('aud mismatch', {}, 'aud', 'mismatch'))
    assert.deepEqual(
      { ...explained, detail: undefined },
      {
        code: 'ERR_JWT_CLAIM_INVALID',
        key: 'err.claim',
        params: { code: 'ERR_JWT_CLAIM_INVALID', claim: 'aud', reason: 'mismatch' },
        detail: undefined,
      },
    )
    assert.equal(explainError(new TypeError('boom')).key, 'err.unknown')
  })
})

describe('parsing what people paste', () => {
  const jwt = `${Buffer.from('{"alg":"HS256"}').toString('base64url')}.${Buffer.from('{"sub":"u"}').toString('base64url')}.c2ln`

  test('whitespace, line breaks and a Bearer prefix are dropped', () => {
    assert.equal(cleanToken(`  Authorization: Bearer ${jwt.slice(0, 10)}\n${jwt.slice(10)}  `), jwt)
  })

  test('JWS, JWE and broken tokens are told apart, with the library code for the broken one', () => {
    const parsed = parseToken(jwt)
    assert.equal(parsed.kind, 'jws')
    assert.deepEqual(parsed.kind === 'jws' && parsed.claims, { sub: 'u' })
    const jwe = `${Buffer.from('{"alg":"dir","enc":"A256GCM"}').toString('base64url')}..aXY.Y3Q.dGFn`
    assert.equal(parseToken(jwe).kind, 'jwe')
    const broken = parseToken('abc.def')
    assert.equal(broken.kind === 'invalid' && broken.error.code, 'ERR_JWS_INVALID')
    assert.equal(parseToken('   ').kind, 'empty')
  })

  test('the share fragment round-trips and ignores anything else', () => {
    assert.equal(tokenFromHash(`#token=${encodeURIComponent(jwt)}`), jwt)
    assert.equal(tokenFromHash('#main'), undefined)
    assert.equal(tokenFromHash('#token=%E0%A4%A'), undefined)
  })
})
