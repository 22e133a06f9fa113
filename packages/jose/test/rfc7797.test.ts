/**
 * @module RFC 7797 unencoded payload (`b64: false`): the cookbook examples in test/vectors/rfc7797, the RFC's
 * own §4 examples, and the rule of §6 that `b64` must be listed in `crit`.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  compactSign,
  compactVerify,
  flattenedSign,
  flattenedVerify,
  generalVerify,
  type JWK,
  verifyJWT,
} from '../src/node.ts'
import { expectCode, readVector, text, utf8 } from './support/vectors.ts'

const compatible = readVector('rfc7797/hmac-sha2_b64_false.json')
const withoutCrit = readVector('rfc7797/4.2.hmac-sha2_b64_false.json')
const KEY: JWK = compatible.input.key
const options = { algorithms: ['HS256'] }

describe('RFC 7797 cookbook: hmac-sha2_b64_false (header with crit ["b64"])', () => {
  // The vector's `signing` block is inconsistent (see test/vectors/README.md): only `output` is used.
  const { compact, json, json_flat: flat } = compatible.output
  const payload = compatible.input.payload

  test('hmac-sha2_b64_false HS256 compact', async () => {
    const result = await compactVerify(compact, KEY, options)
    assert.equal(text(result.payload), payload)
    assert.deepEqual(result.protectedHeader, { alg: 'HS256', b64: false, crit: ['b64'] })
  })
  test('hmac-sha2_b64_false HS256 json_flat', async () => {
    assert.equal(text((await flattenedVerify(flat, KEY, options)).payload), payload)
  })
  test('hmac-sha2_b64_false HS256 json', async () => {
    assert.equal(text((await generalVerify(json, KEY, options)).payload), payload)
  })
  test('hmac-sha2_b64_false HS256 compact re-signed byte for byte', async () => {
    assert.equal(await compactSign(utf8(payload), KEY, { alg: 'HS256', b64: false, crit: ['b64'] }), compact)
  })
  test('hmac-sha2_b64_false HS256: signing with b64 false adds "b64" to crit itself', async () => {
    assert.equal(await compactSign(utf8(payload), KEY, { alg: 'HS256', b64: false }), compact)
  })
  test('hmac-sha2_b64_false HS256: a changed payload is refused', async () => {
    const [h, , s] = compact.split('.')
    await expectCode(
      () => compactVerify(`${h}.This is the payload string?.${s}`, KEY, options),
      'ERR_JWS_SIGNATURE_INVALID',
    )
  })
  test('hmac-sha2_b64_false HS256: verifyJWT refuses an unencoded payload (RFC 7797 §7)', async () => {
    await expectCode(() => verifyJWT(compact, KEY, options), /^ERR_(JWT|JWS)_INVALID$/)
  })
})

describe('RFC 7797 cookbook: 4.2.hmac-sha2_b64_false (b64 false WITHOUT crit) must be refused', () => {
  // Not the RFC's §4.2 example: its header is {"alg":"HS256","b64":false} with no crit. RFC 7797 §6 requires
  // crit to list b64, so a strict verifier refuses it (the MAC itself would verify over the raw payload).
  test('4.2 HS256 json_flat refused', async () => {
    await expectCode(() => flattenedVerify(withoutCrit.output.json_flat, KEY, options), 'ERR_JWS_INVALID')
  })
  test('4.2 HS256 json refused', async () => {
    await expectCode(() => generalVerify(withoutCrit.output.json, KEY, options), 'ERR_JWS_INVALID')
  })
})

describe('RFC 7797 §4 examples (values from the RFC text)', () => {
  // RFC 7797 §4: the key is the RFC 7515 A.1 HMAC key; the payload is the ASCII string "$.02".
  test('§4.1 HS256 with b64 true: compact', async () => {
    const jws = 'eyJhbGciOiJIUzI1NiJ9.JC4wMg.5mvfOroL-g7HyqJoozehmsaqmvTYGEq5jTI1gVvoEoQ'
    assert.equal(text((await compactVerify(jws, KEY, options)).payload), '$.02')
    assert.equal(await compactSign(utf8('$.02'), KEY, { alg: 'HS256' }), jws)
  })
  test('§4.2 HS256 with b64 false and crit: flattened JSON', async () => {
    const flat = {
      protected: 'eyJhbGciOiJIUzI1NiIsImI2NCI6ZmFsc2UsImNyaXQiOlsiYjY0Il19',
      payload: '$.02',
      signature: 'A5dxf2s96_n5FLueVuW1Z_vh161FwXZC4YLPff6dmDY',
    }
    assert.equal(text((await flattenedVerify(flat, KEY, options)).payload), '$.02')
    assert.deepEqual(await flattenedSign(utf8('$.02'), KEY, { alg: 'HS256', b64: false, crit: ['b64'] }), {
      payload: flat.payload,
      protected: flat.protected,
      signature: flat.signature,
    })
  })
  test('§4.2 HS256 with b64 false: a payload with "." cannot be compact unless detached (§5)', async () => {
    await expectCode(() => compactSign(utf8('$.02'), KEY, { alg: 'HS256', b64: false }), 'ERR_JWS_INVALID')
    const detached = await compactSign(utf8('$.02'), KEY, { alg: 'HS256', b64: false }, { detached: true })
    assert.equal(detached.split('.')[1], '')
    const result = await compactVerify(detached, KEY, { ...options, detachedPayload: utf8('$.02') })
    assert.equal(text(result.payload), '$.02')
  })
})
