/**
 * @module Project Wycheproof json_web_signature_test.json: every case, read in place from test/vectors.
 * `valid` must verify with the group's key; `invalid` must be refused with a typed JOSEError. The eight cases the
 * vectors README lists as self-contradicting are skipped by id.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { compactVerify, type JWK } from '../src/node.ts'
import { expectCode, readVector } from './support/vectors.ts'
import { algorithmsFor, headerAlg, KNOWN_BAD_JWS } from './support/wycheproof.ts'

interface Case {
  tcId: number
  comment: string
  jws: string
  result: 'valid' | 'invalid'
  flags: string[]
}

const file = readVector('wycheproof/json_web_signature_test.json')
const seen = new Set<number>()

for (const group of file.testGroups as Array<{
  comment: string
  private: JWK
  public?: JWK
  tests: Case[]
}>) {
  // Verification uses the public key when the group has one (vectors README, "Format").
  const key = group.public ?? group.private
  describe(`wycheproof JWS group "${group.comment}" (${key.kty}${key.alg ? ` ${key.alg}` : ', no alg'})`, () => {
    for (const c of group.tests) {
      seen.add(c.tcId)
      const title = `tcId ${c.tcId} ${headerAlg(c.jws)} ${c.result}: ${c.comment}${c.flags.length ? ` [${c.flags.join(', ')}]` : ''}`
      const skip = KNOWN_BAD_JWS[c.tcId]
      if (skip) {
        test(`${title} — skipped: ${skip}`, { skip }, () => {})
        continue
      }
      // The vectors are compact JWS strings; tcId 17's JSON serialization is meant to be refused by a compact
      // verifier, which is what compactVerify is.
      const options = { algorithms: algorithmsFor(key, c.jws) }
      test(title, async () => {
        if (c.result === 'valid') {
          const { payload } = await compactVerify(c.jws, key, options)
          assert.ok(payload instanceof Uint8Array)
        } else {
          await expectCode(() => compactVerify(c.jws, key, options), /^ERR_/)
        }
      })
    }
  })
}

test('wycheproof JWS: every case of the file ran (none lost to a parse error in this test)', () => {
  assert.equal(seen.size, file.numberOfTests)
})
