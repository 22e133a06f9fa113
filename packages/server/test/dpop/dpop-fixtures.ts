/**
 * @module What the auth-server DPoP tests share beside the resource tests' fixtures (keys, proofs made with
 * @tessera/jose): the RFC 7638 thumbprint computed by `jose` (an independent implementation), proofs no
 * honest client makes (an HMAC `alg`, a private `jwk`), hand-signed with `jose`, and the claims of a token.
 */
import assert from 'node:assert/strict'
import type { KeyObject } from 'node:crypto'
import { createPublicKey, randomBytes } from 'node:crypto'
import { decodeJWT } from '@tessera/jose'
import { calculateJwkThumbprint, exportJWK, SignJWT } from 'jose'

export { type Answer, newKey, PASSWORD, proof, read } from '../dpop-resources/fixtures.js'

/** The RFC 7638 SHA-256 thumbprint of `key`'s public half, by `jose`. */
export async function thumbprint(key: KeyObject): Promise<string> {
  return calculateJwkThumbprint(await exportJWK(createPublicKey(key)), 'sha256')
}

/** A token endpoint's refusal of the proof: 400 `invalid_dpop_proof`, no token, the reason named. */
export function assertProofRefused(
  answer: { status: number; body: Record<string, unknown> },
  message?: RegExp,
): void {
  assert.equal(answer.status, 400, JSON.stringify(answer.body))
  assert.equal(answer.body.error, 'invalid_dpop_proof')
  assert.equal(answer.body.code, 'ERR_DPOP_PROOF_INVALID')
  assert.equal(answer.body.access_token, undefined)
  if (message) assert.match(String(answer.body.error_description), message)
}

/** A token endpoint's answer of a DPoP-bound token: `status`, `token_type` DPoP, `cnf.jkt` of `key`. */
export async function assertBound(
  answer: { status: number; body: Record<string, unknown> },
  key: KeyObject,
  status = 200,
): Promise<void> {
  assert.equal(answer.status, status, JSON.stringify(answer.body))
  assert.equal(answer.body.token_type, 'DPoP')
  assert.deepEqual(claimsOf(answer.body.access_token).cnf, { jkt: await thumbprint(key) })
}

/** The claims of a JWT, unverified (the tests read what the server put in). */
export const claimsOf = (token: unknown): Record<string, unknown> =>
  decodeJWT(token as string) as Record<string, unknown>

const claimsFor = (htm: string, htu: string) => ({
  jti: randomBytes(16).toString('base64url'),
  htm,
  htu,
  iat: Math.floor(Date.now() / 1000),
})

/** A proof MACed with HS256 under a secret, with a harmless-looking public `jwk` beside it. */
export async function hmacProof(key: KeyObject, htm: string, htu: string): Promise<string> {
  const jwk = await exportJWK(createPublicKey(key))
  return new SignJWT(claimsFor(htm, htu))
    .setProtectedHeader({ typ: 'dpop+jwt', alg: 'HS256', jwk })
    .sign(randomBytes(32))
}

/** An ES256 proof signed by `key` with `jose`, exactly as given: `htu` kept as it is (a query too). */
export async function handMadeProof(key: KeyObject, htm: string, htu: string): Promise<string> {
  return new SignJWT(claimsFor(htm, htu))
    .setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk: await exportJWK(createPublicKey(key)) })
    .sign(key)
}

/** A correctly signed ES256 proof whose header `jwk` is the PRIVATE key (with `d`). */
export async function privateJwkProof(key: KeyObject, htm: string, htu: string): Promise<string> {
  const jwk = await exportJWK(key)
  return new SignJWT(claimsFor(htm, htu)).setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk }).sign(key)
}
