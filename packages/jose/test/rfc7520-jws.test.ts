/**
 * @module RFC 7520 ("JOSE Cookbook") §3 JWK round trips and §4 JWS examples, every output serialization,
 * read in place from test/vectors/rfc7520; the deterministic ones (RSA v1.5, HMAC) are also re-signed.
 */
import assert from 'node:assert/strict'
import { readdirSync } from 'node:fs'
import { describe, test } from 'node:test'
import {
  compactSign,
  compactVerify,
  exportJWK,
  flattenedSign,
  flattenedVerify,
  type GeneralSigner,
  generalSign,
  generalVerify,
  getPublicKey,
  importJWK,
  type JWK,
} from '../src/node.ts'
import { readVector, text, utf8, VECTORS_DIR } from './support/vectors.ts'

const files = (dir: string) =>
  readdirSync(new URL(dir, VECTORS_DIR))
    .filter((name) => name.endsWith('.json'))
    .sort()

describe('RFC 7520 §3 JWKs: import, export, round trip', () => {
  for (const file of files('rfc7520/jwk/')) {
    const jwk: JWK = readVector(`rfc7520/jwk/${file}`)
    const id = file.split('.')[0]!.replace('_', '.')
    test(`${id} ${jwk.kty}${jwk.crv ? ` ${jwk.crv}` : ''}${jwk.alg ? ` ${jwk.alg}` : ''}: exportJWK(importJWK(jwk)) is the same JWK`, async () => {
      const key = await importJWK(jwk)
      assert.equal(key.kid, jwk.kid)
      assert.deepEqual(await exportJWK(key), jwk)
    })
    if (jwk.d !== undefined) {
      test(`${id} ${jwk.kty}: the public half exports as the public JWK`, async () => {
        const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = jwk
        assert.deepEqual(await exportJWK(await getPublicKey(await importJWK(jwk))), publicJwk)
      })
    }
  }
})

describe('RFC 7520 §4 JWS: every serialization verifies', () => {
  for (const file of files('rfc7520/jws/')) {
    const vector = readVector(`rfc7520/jws/${file}`)
    const id = file.split('.')[0]!.replace('_', '.')
    const keys: JWK[] = Array.isArray(vector.input.key) ? vector.input.key : [vector.input.key]
    const algs: string[] = Array.isArray(vector.input.alg) ? vector.input.alg : [vector.input.alg]
    const payload = utf8(vector.input.payload)
    // §4.5: detached content, the payload segment is empty and the verifier supplies it (RFC 7515 App. F).
    const detached = vector.output.compact?.split('.')[1] === ''
    const options = (alg: string) => ({
      algorithms: [alg],
      ...(detached ? { detachedPayload: payload } : {}),
    })
    const { compact, json, json_flat: flat } = vector.output

    if (compact !== undefined) {
      test(`${id} ${algs[0]} compact`, async () => {
        const result = await compactVerify(compact, keys[0]!, options(algs[0]!))
        assert.equal(text(result.payload), vector.input.payload)
        assert.deepEqual(result.protectedHeader, vector.signing.protected)
      })
    }
    if (flat !== undefined) {
      test(`${id} ${algs[0]} json_flat`, async () => {
        const input = detached ? { ...flat, payload: '' } : flat
        const result = await flattenedVerify(input, keys[0]!, options(algs[0]!))
        assert.equal(text(result.payload), vector.input.payload)
        assert.deepEqual(result.protectedHeader, vector.signing.protected ?? {})
        assert.deepEqual(result.header, vector.signing.unprotected)
      })
    }
    if (json !== undefined) {
      // §4.8 has one signature per key: each key must find its own signature among the three.
      keys.forEach((key, index) => {
        test(`${id} ${algs[index]} json (general${keys.length > 1 ? `, signature ${index + 1}` : ''})`, async () => {
          const input = detached ? { ...json, payload: '' } : json
          const result = await generalVerify(input, key, options(algs[index]!))
          assert.equal(text(result.payload), vector.input.payload)
          const signing = Array.isArray(vector.signing) ? vector.signing[index] : vector.signing
          assert.deepEqual(result.protectedHeader, signing.protected ?? {})
        })
      })
    }
  }
})

describe('RFC 7520 §4 JWS: deterministic algorithms re-sign byte for byte', () => {
  for (const file of files('rfc7520/jws/')) {
    const vector = readVector(`rfc7520/jws/${file}`)
    const id = file.split('.')[0]!.replace('_', '.')
    const algs: string[] = Array.isArray(vector.input.alg) ? vector.input.alg : [vector.input.alg]
    const keys: JWK[] = Array.isArray(vector.input.key) ? vector.input.key : [vector.input.key]
    const signings = Array.isArray(vector.signing) ? vector.signing : [vector.signing]
    const payload = utf8(vector.input.payload)
    const deterministic = (alg: string) => alg.startsWith('HS') || alg.startsWith('RS')
    const { compact, json, json_flat: flat } = vector.output
    const detached = compact?.split('.')[1] === ''

    if (compact !== undefined && deterministic(algs[0]!)) {
      test(`${id} ${algs[0]} compact re-signed`, async () => {
        assert.equal(await compactSign(payload, keys[0]!, signings[0].protected, { detached }), compact)
      })
    }
    if (flat !== undefined && deterministic(algs[0]!)) {
      test(`${id} ${algs[0]} json_flat re-signed`, async () => {
        const signed = await flattenedSign(
          payload,
          keys[0]!,
          signings[0].protected,
          signings[0].unprotected,
          detached ? { detached } : {},
        )
        assert.deepEqual(
          detached ? { ...signed, payload: undefined } : signed,
          detached ? { ...flat, payload: undefined } : flat,
        )
      })
    }
    if (json !== undefined && keys.length > 1) {
      test(`${id} ${algs.join(' + ')} json: deterministic signatures re-signed`, async () => {
        const signed = await generalSign(
          payload,
          keys.map((key, index) => {
            const signer: GeneralSigner = { key }
            if (signings[index].protected) signer.protectedHeader = signings[index].protected
            if (signings[index].unprotected) signer.header = signings[index].unprotected
            return signer
          }),
        )
        assert.equal(signed.payload, json.payload)
        signed.signatures.forEach((signature, index) => {
          if (deterministic(algs[index]!)) assert.deepEqual(signature, json.signatures[index])
          else assert.deepEqual(signature.header, json.signatures[index].header)
        })
      })
    }
  }
})
