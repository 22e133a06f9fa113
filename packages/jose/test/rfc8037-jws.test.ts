/**
 * @module RFC 8037 Ed25519 (Appendix A.1–A.4): the cookbook's jws.json in test/vectors/rfc8037, every output
 * serialization, re-signed byte for byte (Ed25519 is deterministic), and the RFC 9864 name `Ed25519`.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  calculateJwkThumbprint,
  compactSign,
  compactVerify,
  exportJWK,
  flattenedVerify,
  generalVerify,
  getPublicKey,
  importJWK,
  type JWK,
} from '../src/node.ts'
import { expectCode, readVector, text, utf8 } from './support/vectors.ts'

const vector = readVector('rfc8037/jws.json')
const KEY: JWK = vector.input.key
const { d: _d, ...PUBLIC_KEY } = KEY
const options = { algorithms: ['EdDSA'] }

describe('RFC 8037 Appendix A: Ed25519', () => {
  test('A.1/A.2 Ed25519 key imports, and its public half exports as the A.2 public key', async () => {
    const key = await importJWK(KEY)
    assert.equal(key.crv, 'Ed25519')
    assert.deepEqual(await exportJWK(key), KEY)
    assert.deepEqual(await exportJWK(await getPublicKey(key)), PUBLIC_KEY)
  })
  test('A.3 Ed25519 RFC 7638 thumbprint (value from the RFC text)', async () => {
    assert.equal(await calculateJwkThumbprint(PUBLIC_KEY), 'kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k')
  })
  test('A.4 EdDSA compact', async () => {
    const result = await compactVerify(vector.output.compact, PUBLIC_KEY, options)
    assert.equal(text(result.payload), vector.input.payload)
  })
  test('A.4 EdDSA json_flat', async () => {
    assert.equal(
      text((await flattenedVerify(vector.output.json_flat, PUBLIC_KEY, options)).payload),
      vector.input.payload,
    )
  })
  test('A.4 EdDSA json', async () => {
    assert.equal(
      text((await generalVerify(vector.output.json, PUBLIC_KEY, options)).payload),
      vector.input.payload,
    )
  })
  test('A.4 EdDSA compact re-signed byte for byte', async () => {
    assert.equal(await compactSign(utf8(vector.input.payload), KEY, { alg: 'EdDSA' }), vector.output.compact)
  })
  test('A.4 EdDSA: a signature bit flip is refused', async () => {
    const [h, p, s] = vector.output.compact.split('.')
    const bytes = Buffer.from(s, 'base64url')
    bytes[10]! ^= 1
    await expectCode(
      () => compactVerify(`${h}.${p}.${bytes.toString('base64url')}`, PUBLIC_KEY, options),
      'ERR_JWS_SIGNATURE_INVALID',
    )
  })
  test('A.4 Ed25519 (RFC 9864 fully specified name) signs and verifies with the same key', async () => {
    const jws = await compactSign(utf8(vector.input.payload), KEY, { alg: 'Ed25519' })
    assert.deepEqual(JSON.parse(Buffer.from(jws.split('.')[0]!, 'base64url').toString()), { alg: 'Ed25519' })
    assert.equal(
      text((await compactVerify(jws, PUBLIC_KEY, { algorithms: ['Ed25519'] })).payload),
      vector.input.payload,
    )
    await expectCode(() => compactVerify(jws, PUBLIC_KEY, options), 'ERR_JOSE_ALG_NOT_ALLOWED')
  })
})
