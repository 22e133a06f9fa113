/**
 * @module Canonical base64url (RFC 7515 §2): the Node fast path of decodeBase64url (decode, then re-encode and
 * compare) must refuse exactly what base64urlProblem names, and decode to the same bytes as the portable
 * decoder. The fast path exists for speed (issue 5); this file is what keeps it honest.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { base64urlProblem, decodeBase64url, encodeBase64url } from '../src/util/base64url.ts'

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

/** The portable decoder's answer, written out independently: 6 bits per character, big-endian. */
function reference(text: string): Uint8Array | undefined {
  if (base64urlProblem(text) !== undefined) return undefined
  const out: number[] = []
  let acc = 0
  let bits = 0
  for (const char of text) {
    acc = (acc << 6) | ALPHABET.indexOf(char)
    bits += 6
    if (bits >= 8) {
      bits -= 8
      out.push((acc >> bits) & 0xff)
    }
  }
  return Uint8Array.from(out)
}

describe('decodeBase64url refuses every non-canonical form', () => {
  const cases: [string, string][] = [
    ['padded', 'YQ=='],
    ['padded once', 'YWI='],
    ['standard alphabet "+"', 'a+b_'],
    ['standard alphabet "/"', 'ab/_'],
    ['whitespace inside', 'YW Jj'],
    ['line break', 'YWJj\nZGVm'],
    ['impossible length (4n+1)', 'YWJjZ'],
    ['non-zero trailing bits (2 chars)', 'YR'],
    ['non-zero trailing bits (3 chars)', 'YWJ'],
    ['non-ASCII', 'YWJjé'],
    ['fullwidth letter', 'ＹＷＪｊ'],
    ['NUL', 'YW\u0000j'],
  ]
  for (const [name, text] of cases) {
    test(name, () => {
      assert.notEqual(base64urlProblem(text), undefined, `base64urlProblem should name a problem for ${name}`)
      assert.equal(decodeBase64url(text), undefined)
    })
  }
  test('a non-string is refused, not thrown on', () => {
    assert.equal(decodeBase64url(42 as unknown as string), undefined)
  })
})

describe('decodeBase64url decodes canonical text', () => {
  test('empty string is zero bytes', () => {
    assert.deepEqual(decodeBase64url(''), new Uint8Array(0))
  })
  test('RFC 4648 §10 vectors, unpadded', () => {
    const vectors: [string, string][] = [
      ['Zg', 'f'],
      ['Zm8', 'fo'],
      ['Zm9v', 'foo'],
      ['Zm9vYg', 'foob'],
      ['Zm9vYmE', 'fooba'],
      ['Zm9vYmFy', 'foobar'],
    ]
    for (const [text, plain] of vectors)
      assert.deepEqual(decodeBase64url(text), new TextEncoder().encode(plain))
  })
  test('the result is a plain Uint8Array view, not a Buffer', () => {
    const bytes = decodeBase64url('Zm9v')!
    assert.equal(Object.getPrototypeOf(bytes), Uint8Array.prototype)
  })
})

describe('decodeBase64url agrees with base64urlProblem and the reference decoder (property)', () => {
  test('any string over the base64 alphabets, "=", whitespace and a few others', () => {
    const char = fc.constantFrom(...`${ALPHABET}+/= \n.é\u0000`.split(''))
    fc.assert(
      fc.property(fc.array(char, { maxLength: 40 }), (chars) => {
        const text = chars.join('')
        assert.deepEqual(decodeBase64url(text), reference(text))
      }),
      { numRuns: 3000 },
    )
  })
  test('every byte string round-trips', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        assert.deepEqual(decodeBase64url(encodeBase64url(bytes)), bytes)
      }),
    )
  })
})
