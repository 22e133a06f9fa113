/**
 * @module The request every DPoP row proves: one resource call with an access token, signed by the ES256
 * fixture key acting as the client's key. Proofs are made once and verified for the whole run, so the window
 * (`maxAge`) is a day here; a server keeps the default 300 s.
 */
import type { KeyMaterial } from '../fixtures.js'

export const DPOP_REQUEST = { htm: 'GET', htu: 'https://api.bench.example/notes' } as const
/** An access token of a typical size (a signed JWT of ~300 characters). */
export const DPOP_ACCESS_TOKEN = `eyJhbGciOiJFUzI1NiIsInR5cCI6ImF0K2p3dCJ9.${'x'.repeat(220)}.${'s'.repeat(86)}`
export const DPOP_MAX_AGE_SECONDS = 86_400

/** The client key of the DPoP rows. */
export function dpopKey(fixtures: { jws: { ES256: KeyMaterial } }): KeyMaterial {
  return fixtures.jws.ES256
}

/** The public JWK a proof header carries: the RFC 7638 members only. */
export function publicMembers(jwk: Record<string, unknown>): {
  kty: string
  crv: string
  x: string
  y: string
} {
  const { kty, crv, x, y } = jwk as { kty: string; crv: string; x: string; y: string }
  return { crv, kty, x, y }
}
