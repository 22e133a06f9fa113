/**
 * @module Project Wycheproof `x25519_jwk_test.json` and `x448_jwk_test.json`, every case, run through
 * the recipient's side of ECDH-ES exactly as a JWE `epk` is handled (JWK checks, curve match, import,
 * agreement, all-zero check, Concat KDF). Valid: the derived key equals the Concat KDF of `shared`.
 * Acceptable (twist, low-order, non-canonical points): refusing is allowed; accepting must give `shared`.
 * Invalid (wrong kty/crv, malformed or too-long keys): refused with a JOSEError.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { keyManagementAlgorithm } from '../src/alg/jwe-algorithms.ts'
import { nodeJweBackend } from '../src/backend/node/jwe.ts'
import { concatKdf } from '../src/jwe/concat-kdf.ts'
import { recipientAgreement } from '../src/jwe/ecdh-es.ts'
import { importJWK, JOSEError, type JWK } from '../src/node.ts'
import { readVector } from './support/vectors.ts'

const ECDH_ES = keyManagementAlgorithm('ECDH-ES')!

interface Case {
  tcId: number
  comment: string
  flags: string[]
  public: JWK
  private: JWK
  shared: string
  result: 'valid' | 'acceptable' | 'invalid'
}

for (const name of ['x25519_jwk_test.json', 'x448_jwk_test.json']) {
  const file = readVector(`wycheproof/${name}`)
  const counts = { valid: 0, acceptedAcceptable: 0, refusedAcceptable: 0, invalid: 0 }
  describe(`Wycheproof ${name}`, () => {
    for (const group of file.testGroups as Array<{ tests: Case[] }>) {
      for (const tc of group.tests) {
        test(`tcId ${tc.tcId} ${tc.comment} (${tc.result}) [${tc.flags.join(', ')}]`, async () => {
          const privateKey = await importJWK(tc.private, 'ECDH-ES')
          let derived: Uint8Array | undefined
          let failure: unknown
          try {
            derived = await recipientAgreement(
              nodeJweBackend,
              privateKey,
              tc.public,
              ECDH_ES,
              'A256GCM',
              32,
              undefined,
              undefined,
            )
          } catch (error) {
            failure = error
          }
          if (failure !== undefined) {
            assert.ok(failure instanceof JOSEError, `not a typed error: ${String(failure)}`)
            if (tc.result === 'valid')
              assert.fail(`a valid case was refused: ${failure.code} ${failure.message}`)
            if (tc.result === 'acceptable') counts.refusedAcceptable++
            else counts.invalid++
            return
          }
          assert.notEqual(tc.result, 'invalid', 'an invalid public key was accepted')
          const expected = await concatKdf(
            nodeJweBackend.keys,
            Buffer.from(tc.shared, 'hex'),
            32,
            'A256GCM',
            undefined,
            undefined,
          )
          assert.deepEqual(derived, expected)
          if (tc.result === 'valid') counts.valid++
          else counts.acceptedAcceptable++
        })
      }
    }
    test('summary', () => {
      assert.equal(
        counts.valid + counts.acceptedAcceptable + counts.refusedAcceptable + counts.invalid,
        file.numberOfTests,
      )
      console.log(`${name}: ${JSON.stringify(counts)}`)
    })
  })
}
