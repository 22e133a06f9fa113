/**
 * @module The registered claims' types (RFC 7519 §4.1) are one definition on both sides: every signer
 * (signJWT, createSigner, encryptJWT, signAndEncryptJWT) refuses the claims verifyJWT would refuse, with the
 * same code and the same `claim`, and nothing it signs is then refused by the verifier for a claim type.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  compactSign,
  createSigner,
  encryptJWT,
  type JOSEError,
  type JWTPayload,
  signAndEncryptJWT,
  signJWT,
  verifyJWT,
} from '../src/node.ts'
import { expectCode, expectCodeSync } from './support/vectors.ts'

const SECRET = new Uint8Array(32).fill(9)
const AES = new Uint8Array(32).fill(4)
const T = 1_800_000_000
const at = (seconds: number) => new Date(seconds * 1000)

type ClaimError = JOSEError & { claim: string; reason: string }

/** Claims RFC 7519 §4.1 forbids, each with the claim a refusal must name. */
const ILL_TYPED: [string, Record<string, unknown>][] = [
  ['sub', { sub: 123 }],
  ['iss', { iss: 5 }],
  ['jti', { jti: 7 }],
  ['exp', { exp: 'tomorrow' }],
  ['exp', { exp: Number.POSITIVE_INFINITY }],
  ['nbf', { nbf: null }],
  ['iat', { iat: '1800000000' }],
  ['aud', { aud: 42 }],
  ['aud', { aud: [] }],
  ['aud', { aud: ['api', 1] }],
  ['aud', { aud: { api: true } }],
]

/** What verifyJWT says about a token carrying exactly these claims (signed as raw bytes, no signJWT check). */
async function verifyRefusal(claims: Record<string, unknown>): Promise<ClaimError> {
  const jwt = await compactSign(new TextEncoder().encode(JSON.stringify(claims)), SECRET, { alg: 'HS256' })
  return (await expectCode(
    () => verifyJWT(jwt, SECRET, { algorithms: ['HS256'], currentDate: at(T) }),
    'ERR_JWT_CLAIM_INVALID',
  )) as ClaimError
}

function sameRefusal(signing: ClaimError, verifying: ClaimError, claim: string, label: string): void {
  assert.equal(signing.code, verifying.code, label)
  assert.equal(signing.claim, claim, label)
  assert.equal(verifying.claim, claim, label)
  assert.equal(signing.reason, 'invalid', label)
  assert.equal(signing.message, verifying.message, label)
}

describe('signers refuse what verifyJWT refuses, with the same code and claim', () => {
  const signer = createSigner({ key: SECRET, alg: 'HS256', iat: false, clock: () => T * 1000 })
  for (const [claim, claims] of ILL_TYPED) {
    const label = JSON.stringify(claims, (_k, v) => (v === Number.POSITIVE_INFINITY ? 'Infinity' : v))
    test(`${label}: verifyJWT, signJWT, createSigner, encryptJWT and signAndEncryptJWT all refuse "${claim}"`, async () => {
      const verifying = await verifyRefusal(claims)
      const viaSignJWT = await expectCode(
        () => signJWT(claims as JWTPayload, SECRET, { alg: 'HS256', iat: false }),
        'ERR_JWT_CLAIM_INVALID',
      )
      sameRefusal(viaSignJWT as ClaimError, verifying, claim, `signJWT ${label}`)
      const viaSigner = expectCodeSync(() => signer(claims as JWTPayload), 'ERR_JWT_CLAIM_INVALID')
      sameRefusal(viaSigner as ClaimError, verifying, claim, `createSigner ${label}`)
      const viaEncrypt = await expectCode(
        () => encryptJWT(claims as JWTPayload, AES, { alg: 'dir', enc: 'A256GCM', iat: false }),
        'ERR_JWT_CLAIM_INVALID',
      )
      sameRefusal(viaEncrypt as ClaimError, verifying, claim, `encryptJWT ${label}`)
      const viaNested = await expectCode(
        () =>
          signAndEncryptJWT(claims as JWTPayload, {
            signingKey: SECRET,
            sign: { alg: 'HS256', iat: false },
            encryptionKey: AES,
            encrypt: { alg: 'dir', enc: 'A256GCM' },
          }),
        'ERR_JWT_CLAIM_INVALID',
      )
      sameRefusal(viaNested as ClaimError, verifying, claim, `signAndEncryptJWT ${label}`)
    })
  }

  test('aud: 42 is refused by verifyJWT even when no audience is asked for', async () => {
    const error = await verifyRefusal({ aud: 42, sub: 'u1' })
    assert.equal(error.claim, 'aud')
    assert.equal(error.reason, 'invalid')
  })

  test('an empty audience list is refused as an option before anything is signed', async () => {
    await expectCode(() => signJWT({}, SECRET, { alg: 'HS256', audience: [] }), 'ERR_JOSE_OPTION_INVALID')
  })

  test('well-typed registered claims sign and verify unchanged', async () => {
    const claims = {
      iss: 'https://id.example',
      sub: 'u1',
      aud: ['api', 'web'],
      exp: T + 60,
      nbf: T - 60,
      iat: T,
      jti: 'j1',
    }
    const jwt = await signJWT(claims, SECRET, { alg: 'HS256', iat: false })
    const { payload } = await verifyJWT(jwt, SECRET, { algorithms: ['HS256'], currentDate: at(T) })
    assert.deepEqual(payload, claims)
  })
})
