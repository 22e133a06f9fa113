/**
 * @module The token box's colour runs and the key box's families, as pure functions (no browser): the
 * runs always spell out exactly what was typed, and each algorithm maps to the key it takes.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { FAMILY_FORMATS, keyBoxText, keyFamily } from '../src/debugger/key-family.js'
import { colourRuns } from '../src/debugger/token-colours.js'

const classes = (raw: string) => colourRuns(raw).map((run) => [run.text, run.className])

describe('colourRuns', () => {
  test('a JWS is header, dot, payload, dot, signature', () => {
    assert.deepEqual(classes('aaa.bbb.ccc'), [
      ['aaa', 'part-header'],
      ['.', 'part-dot'],
      ['bbb', 'part-payload'],
      ['.', 'part-dot'],
      ['ccc', 'part-signature'],
    ])
  })

  test('what cleanToken ignores stays in place, uncoloured: spaces, line breaks, a Bearer prefix', () => {
    assert.deepEqual(classes('  Authorization: Bearer aa.b\nb.c '), [
      ['  Authorization: Bearer ', ''],
      ['aa', 'part-header'],
      ['.', 'part-dot'],
      ['b', 'part-payload'],
      ['\n', ''],
      ['b', 'part-payload'],
      ['.', 'part-dot'],
      ['c', 'part-signature'],
      [' ', ''],
    ])
  })

  test('five parts are coloured as a JWE (an empty encrypted key has no run); more are marked extra', () => {
    assert.deepEqual(
      colourRuns('h..i.c.t').map((run) => [run.text, run.className]),
      [
        ['h', 'part-header'],
        ['..', 'part-dot'],
        ['i', 'part-iv'],
        ['.', 'part-dot'],
        ['c', 'part-payload'],
        ['.', 'part-dot'],
        ['t', 'part-signature'],
      ],
    )
    assert.equal(colourRuns('a.b.c.d').at(-1)?.className, 'part-extra')
  })

  test('for any input the runs spell out exactly the typed text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (raw) => {
        assert.equal(
          colourRuns(raw)
            .map((run) => run.text)
            .join(''),
          raw,
        )
      }),
      { numRuns: 500 },
    )
  })
})

describe('keyFamily', () => {
  test('each algorithm takes the key its RFC 7518 section says', () => {
    const cases: Array<[string | undefined, string]> = [
      [undefined, 'any'],
      ['HS256', 'hmac'],
      ['HS512', 'hmac'],
      ['RS256', 'jws-public'],
      ['PS384', 'jws-public'],
      ['ES256', 'jws-public'],
      ['ES256K', 'jws-public'],
      ['EdDSA', 'jws-public'],
      ['Ed25519', 'jws-public'],
      ['dir', 'jwe-secret'],
      ['A128KW', 'jwe-secret'],
      ['A256GCMKW', 'jwe-secret'],
      ['PBES2-HS256+A128KW', 'jwe-password'],
      ['RSA-OAEP-256', 'jwe-private'],
      ['RSA1_5', 'jwe-private'],
      ['ECDH-ES', 'jwe-private'],
      ['ECDH-ES+A256KW', 'jwe-private'],
      ['none', 'any'],
    ]
    assert.deepEqual(
      cases.map(([alg]) => [alg, keyFamily(alg)]),
      cases,
    )
  })

  test('HMAC offers a text/base64url secret, signatures a PEM/JWK/JWKS URL, JWE key pairs a private key', () => {
    assert.deepEqual(FAMILY_FORMATS[keyFamily('HS256')], ['secret-text', 'secret-b64'])
    assert.deepEqual(FAMILY_FORMATS[keyFamily('ES256')], ['pem', 'jwk', 'jwks-url'])
    assert.deepEqual(FAMILY_FORMATS[keyFamily('dir')], ['secret-b64', 'secret-text'])
    assert.deepEqual(FAMILY_FORMATS[keyFamily('RSA-OAEP')], ['pem', 'jwk'])
  })

  test('the label and placeholder say which key: public for signatures, private for JWE key pairs', () => {
    assert.deepEqual(keyBoxText('ES256', 'pem'), {
      label: 'key.label.publicPem',
      hint: 'key.hint.publicPem',
      placeholder: 'key.placeholder.publicPem',
    })
    assert.equal(keyBoxText('RS256', 'jwk').placeholder, 'key.placeholder.jwkRsa')
    assert.equal(keyBoxText('EdDSA', 'jwk').placeholder, 'key.placeholder.jwkOkp')
    assert.equal(keyBoxText('RSA-OAEP-256', 'pem').placeholder, 'key.placeholder.privatePem')
    assert.equal(keyBoxText('ECDH-ES', 'jwk').placeholder, 'key.placeholder.jwkEcPrivate')
    assert.equal(keyBoxText('PBES2-HS256+A128KW', 'secret-text').label, 'key.label.passwordText')
    assert.equal(keyBoxText(undefined, 'pem').label, 'key.format.pem')
  })
})
