/**
 * @module Project Wycheproof json_web_key_test.json: every case. The group's JWK Set is imported with
 * createLocalJWKSet (a set or key that must not be used is refused there or at verification), then the case's
 * compact JWS is verified against it. `valid` must verify; `invalid` must fail with a typed JOSEError.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { compactVerify, createLocalJWKSet, type JWK } from '../src/node.ts'
import { expectCode, readVector } from './support/vectors.ts'
import { algorithmsFor, headerAlg } from './support/wycheproof.ts'

interface Case {
  tcId: number
  comment: string
  jws: string
  result: 'valid' | 'invalid'
  flags: string[]
}

const file = readVector('wycheproof/json_web_key_test.json')

const seen = new Set<number>()

/**
 * The verifier's `algorithms` for a set: the union of what each member allows under the policy of
 * support/wycheproof.ts (a member's own `alg`, or for a member without one the token's `alg` only when it is in the
 * member's family). The token never adds an algorithm that no member would accept on its own.
 */
function algorithmsForSet(keys: JWK[], jws: string): string[] {
  return [...new Set(keys.flatMap((key) => algorithmsFor(key, jws)))]
}

/** Imports the set and verifies; any failure, at import or at verification, must be a typed error. */
async function verifyWithSet(set: { keys: JWK[] }, isPrivate: boolean, jws: string) {
  const resolver = createLocalJWKSet(set, { allowPrivate: isPrivate })
  return compactVerify(jws, resolver, { algorithms: algorithmsForSet(set.keys, jws) })
}

for (const group of file.testGroups as Array<{
  comment: string
  private: { keys: JWK[] }
  public?: { keys: JWK[] }
  tests: Case[]
}>) {
  // Verify with the public set when the group has one; otherwise the private set is the (secret) key set.
  const set = group.public ?? group.private
  const isPrivate = group.public === undefined
  const shape = set.keys.map((key) => `${key.kty}${key.alg ? ` ${key.alg}` : ''}`).join(' + ')
  describe(`wycheproof JWK group "${group.comment}" (${shape})`, () => {
    for (const c of group.tests) {
      seen.add(c.tcId)
      const title = `tcId ${c.tcId} ${headerAlg(c.jws)} ${c.result}: ${c.comment}${c.flags.length ? ` [${c.flags.join(', ')}]` : ''}`
      test(title, async () => {
        if (c.result === 'valid') {
          const { payload } = await verifyWithSet(set, isPrivate, c.jws)
          assert.ok(payload instanceof Uint8Array)
        } else {
          const error = await expectCode(() => verifyWithSet(set, isPrivate, c.jws), /^ERR_/)
          assert.ok(error.message.length > 0)
        }
      })
    }
  })
}

test('wycheproof JWK: every case of the file ran', () => {
  assert.equal(seen.size, file.numberOfTests)
})
