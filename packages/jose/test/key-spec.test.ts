/**
 * @module What `generateKeyPair` asks a backend for comes from the algorithm tables: every asymmetric JWS and
 * JWE key-management name in them yields a key-pair spec of its table's shape, symmetric names yield none,
 * and src/jwk/spec.ts itself names no algorithm.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, test } from 'node:test'
import { JWE_ALGORITHMS, keyManagementAlgorithm } from '../src/alg/jwe-algorithms.ts'
import { JWS_ALGORITHMS, jwsAlgorithm } from '../src/alg/jws-algorithms.ts'
import { keyPairSpec } from '../src/jwk/spec.ts'
import { expectCodeSync } from './support/vectors.ts'

const NOT_SUPPORTED = 'ERR_JOSE_NOT_SUPPORTED'

describe('keyPairSpec reads the algorithm tables', () => {
  for (const alg of [...JWS_ALGORITHMS, ...JWE_ALGORITHMS.alg]) {
    const shape = jwsAlgorithm(alg)?.keyPair ?? keyManagementAlgorithm(alg)?.keyPair
    test(`${alg}: ${shape === undefined ? 'no key pair (symmetric)' : shape === 'RSA' ? 'RSA' : shape.map((c) => c.crv).join(' | ')}`, () => {
      if (shape === undefined) {
        expectCodeSync(() => keyPairSpec(alg), NOT_SUPPORTED)
        return
      }
      const spec = keyPairSpec(alg)
      if (shape === 'RSA') assert.deepEqual(spec, { kty: 'RSA', modulusLength: 2048, publicExponent: 65537 })
      else assert.deepEqual(spec, shape[0])
    })
  }

  test('a choice of curve (EdDSA, ECDH-ES*) takes crv; another curve names the ones allowed', () => {
    assert.deepEqual(keyPairSpec('EdDSA', { crv: 'Ed448' }), { kty: 'OKP', crv: 'Ed448' })
    assert.deepEqual(keyPairSpec('ECDH-ES+A128KW', { crv: 'X25519' }), { kty: 'OKP', crv: 'X25519' })
    assert.deepEqual(keyPairSpec('ECDH-ES', { crv: 'P-521' }), { kty: 'EC', crv: 'P-521' })
    const error = expectCodeSync(() => keyPairSpec('EdDSA', { crv: 'X25519' }), NOT_SUPPORTED)
    assert.match(error.message, /^EdDSA keys use crv Ed25519 or Ed448$/)
    const ecdh = expectCodeSync(() => keyPairSpec('ECDH-ES', { crv: 'secp256k1' }), NOT_SUPPORTED)
    assert.match(ecdh.message, /^ECDH-ES keys use crv P-256, P-384, P-521, X25519 or X448$/)
  })

  test('RSA modulus lengths outside 2048–16384 bits (or not a multiple of 8) are refused', () => {
    assert.equal(
      (keyPairSpec('PS256', { modulusLength: 3072 }) as { modulusLength: number }).modulusLength,
      3072,
    )
    for (const modulusLength of [1024, 2047, 2049, 16392, Number.NaN]) {
      expectCodeSync(() => keyPairSpec('RSA-OAEP-256', { modulusLength }), NOT_SUPPORTED)
    }
  })

  test('src/jwk/spec.ts names no algorithm: the tables are the only place that knows them', () => {
    const source = readFileSync(new URL('../src/jwk/spec.ts', import.meta.url), 'utf8')
    const named = [...JWS_ALGORITHMS, ...JWE_ALGORITHMS.alg, ...JWE_ALGORITHMS.enc].filter(
      (alg) => source.includes(`'${alg}'`) || source.includes(`case '${alg}`),
    )
    assert.deepEqual(named, [])
  })
})
