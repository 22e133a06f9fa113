/**
 * @module RFC 8037 (CFRG curves in JOSE) for JWE: Appendix A.6 (ECDH-ES with X25519, its values from
 * RFC 7748 §6.1, written here) and the cookbook's X25519 example `rfc8037/ecdh-es.json` (all three
 * serializations; its `json` output is really flattened, see test/vectors/README.md).
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { nodeJweBackend } from '../src/backend/node/jwe.ts'
import {
  compactDecrypt,
  compactEncrypt,
  encodeBase64url,
  type FlattenedJWE,
  flattenedDecrypt,
  importJWK,
  type JWK,
} from '../src/node.ts'
import { readVector, text, utf8 } from './support/vectors.ts'

const hex = (value: string) => Buffer.from(value, 'hex')
const b64u = (value: string) => encodeBase64url(hex(value))

// RFC 8037 A.6 / RFC 7748 §6.1: Bob's static key and the sender's ephemeral key.
const BOB: JWK = {
  kty: 'OKP',
  crv: 'X25519',
  kid: 'Bob',
  x: '3p7bfXt9wbTTW2HC7OQ1Nz-DQ8hbeGdNrfx-FG-IK08',
  d: b64u('5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb'),
}
const EPHEMERAL: JWK = {
  kty: 'OKP',
  crv: 'X25519',
  x: b64u('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a'),
  d: b64u('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a'),
}
const Z = '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742'

describe('RFC 8037 A.6 ECDH-ES with X25519', () => {
  test("A.6 Bob's public key is X25519(b, 9) = de9edb7d…", () => {
    assert.equal(
      Buffer.from(BOB.x!, 'base64url').toString('hex'),
      'de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f',
    )
  })
  test('A.6 both sides compute Z = 4a5d9d5b…', async () => {
    const bob = await importJWK(BOB, 'ECDH-ES')
    const ephemeral = await importJWK(EPHEMERAL, 'ECDH-ES')
    const { d: _b, ...bobPublic } = BOB
    const { d: _e, ...ephemeralPublic } = EPHEMERAL
    const sender = nodeJweBackend.ecdh(ephemeral, await importJWK(bobPublic, 'ECDH-ES'))
    const recipient = nodeJweBackend.ecdh(bob, await importJWK(ephemeralPublic, 'ECDH-ES'))
    assert.equal(Buffer.from(sender as Uint8Array).toString('hex'), Z)
    assert.equal(Buffer.from(recipient as Uint8Array).toString('hex'), Z)
  })
  test('A.6 ECDH-ES A128GCM with the A.6 ephemeral key: epk in the header, Bob decrypts', async () => {
    const { d: _d, ...bobPublic } = BOB
    const jwe = await compactEncrypt(utf8('A.6'), bobPublic, {
      alg: 'ECDH-ES',
      enc: 'A128GCM',
      kid: 'Bob',
      epk: EPHEMERAL,
    })
    const { plaintext, protectedHeader } = await compactDecrypt(jwe, BOB, {
      keyManagementAlgorithms: ['ECDH-ES'],
      contentEncryptionAlgorithms: ['A128GCM'],
    })
    assert.equal(text(plaintext), 'A.6')
    assert.deepEqual(protectedHeader.epk, { kty: 'OKP', crv: 'X25519', x: EPHEMERAL.x })
  })
})

describe('RFC 8037 cookbook ecdh-es.json (X25519, ECDH-ES, A128GCM)', () => {
  const vector = readVector('rfc8037/ecdh-es.json')
  const options = { keyManagementAlgorithms: ['ECDH-ES'], contentEncryptionAlgorithms: ['A128GCM'] }
  test('compact decrypts', async () => {
    const { plaintext } = await compactDecrypt(vector.output.compact, vector.input.key, options)
    assert.equal(text(plaintext), vector.input.plaintext)
  })
  test('json (flattened) decrypts', async () => {
    const { plaintext } = await flattenedDecrypt(
      vector.output.json as FlattenedJWE,
      vector.input.key,
      options,
    )
    assert.equal(text(plaintext), vector.input.plaintext)
  })
  test('flattened JSON decrypts', async () => {
    const { plaintext } = await flattenedDecrypt(
      vector.output.json_flat as FlattenedJWE,
      vector.input.key,
      options,
    )
    assert.equal(text(plaintext), vector.input.plaintext)
  })
  test('the header epk is what decryption used (not the mismatched encrypting_key.epk)', async () => {
    const { protectedHeader } = await compactDecrypt(vector.output.compact, vector.input.key, options)
    assert.deepEqual(protectedHeader.epk, vector.encrypting_content.protected.epk)
    assert.notEqual(protectedHeader.epk?.x, vector.encrypting_key.epk.x)
  })
})
