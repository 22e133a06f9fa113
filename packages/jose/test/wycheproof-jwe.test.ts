/**
 * @module Project Wycheproof `json_web_encryption_test.json`, every case, read in place from
 * test/vectors/wycheproof. Valid cases decrypt (compactDecrypt) to `pt`; invalid cases are refused
 * with a typed JOSEError code. The decrypter's policy is the key's own `alg` and every `enc`.
 * RSA1_5 is opted into (the only way to reach it), and Node 20 cannot decrypt PKCS#1 v1.5
 * (CVE-2023-46809), so its valid cases are reported separately as `[not supported]`.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { compactDecrypt, JOSEError, type JWK } from '../src/node.ts'
import { readVector } from './support/vectors.ts'

const file = readVector('wycheproof/json_web_encryption_test.json')
const ENCS = ['A128GCM', 'A192GCM', 'A256GCM', 'A128CBC-HS256', 'A192CBC-HS384', 'A256CBC-HS512']

function headerOf(jwe: string): { alg?: string; enc?: string } {
  try {
    return JSON.parse(Buffer.from(jwe.split('.')[0] ?? '', 'base64url').toString('utf8'))
  } catch {
    return {}
  }
}

interface Case {
  tcId: number
  comment: string
  jwe: string
  enc: string
  pt?: string
  result: 'valid' | 'invalid'
  flags: string[]
}

const counts = { valid: 0, invalid: 0, notSupported: 0, invalidUnsupported: 0 }

describe('Wycheproof json_web_encryption_test.json', () => {
  for (const group of file.testGroups as Array<{ private: JWK; tests: Case[] }>) {
    const key = group.private
    const keyAlg = key.alg!
    // A direct key is bound to its `enc` (RFC 7520 §5.6, Figure 136): the policy is then `dir`.
    const options = {
      keyManagementAlgorithms: [ENCS.includes(keyAlg) ? 'dir' : keyAlg],
      contentEncryptionAlgorithms: ENCS,
    }
    for (const tc of group.tests) {
      const header = headerOf(tc.jwe)
      const rsa15 = keyAlg === 'RSA1_5' && header.alg === 'RSA1_5'
      // Invalid RSA1_5 cases (modified PKCS#1 padding) are refused too, but only because nothing here can
      // decrypt PKCS#1 v1.5 at all; they are marked so nobody counts them as a padding check passed.
      const unsupported = rsa15
      const title =
        `tcId ${tc.tcId} ${String(header.alg)} ${tc.enc} ${tc.comment} (${tc.result})` +
        `${tc.flags.length ? ` [${tc.flags.join(', ')}]` : ''}${unsupported ? ' [not supported]' : ''}`
      test(title, async () => {
        let outcome: { plaintext: Uint8Array } | undefined
        let failure: unknown
        try {
          outcome = await compactDecrypt(tc.jwe, key, options)
        } catch (error) {
          failure = error
        }
        if (unsupported) {
          if (tc.result === 'valid') counts.notSupported++
          else counts.invalidUnsupported++
          assert.ok(failure instanceof JOSEError, String(failure))
          assert.equal(failure.code, 'ERR_JOSE_NOT_SUPPORTED', failure.message)
          assert.match(failure.message, /RSA1_5.*CVE-2023-46809/s)
          return
        }
        if (tc.result === 'valid') {
          counts.valid++
          if (failure) throw failure
          assert.equal(Buffer.from(outcome!.plaintext).toString('hex'), tc.pt)
          return
        }
        counts.invalid++
        assert.equal(outcome, undefined, 'an invalid token decrypted')
        assert.ok(failure instanceof JOSEError, `expected a typed JOSEError, got ${String(failure)}`)
        assert.notEqual(failure.code, 'ERR_JOSE_GENERIC')
      })
    }
  }
  test('summary: every case ran', () => {
    assert.equal(
      counts.valid + counts.invalid + counts.notSupported + counts.invalidUnsupported,
      file.numberOfTests,
    )
    console.log(
      `wycheproof JWE: ${counts.valid} valid decrypted, ${counts.invalid} invalid refused, ` +
        `${counts.notSupported} valid and ${counts.invalidUnsupported} invalid RSA1_5 [not supported] on Node ${process.versions.node}`,
    )
  })
})
