/**
 * @module ID tokens (OIDC Core §2, §3.1.3.6): the claims a relying party checks, `at_hash` bound to the
 * access token issued beside it, signed with the client's `id_token_signed_response_alg` through the key
 * ring (`typ: JWT`; never `alg: none`, which the ring cannot produce).
 */
import { createHash } from 'node:crypto'
import type { JWTPayload } from '@tessera/jose'
import type { IdTokenAlg } from '../store/types.js'

export interface IdTokenInput {
  issuer: string
  userId: string
  clientId: string
  /** Seconds the ID token lives. */
  ttl: number
  now: number
  /** ms */
  authTime: number
  amr: string[]
  sid: string
  nonce: string | null
  /** The access token issued in the same response, for `at_hash`. */
  accessToken?: string
  alg: IdTokenAlg
}

/** Signs claims with a key of `alg` from the key ring, with the given `typ` header. */
export type ClaimsSigner = (alg: IdTokenAlg, claims: JWTPayload, typ: string) => string

/**
 * `at_hash`: the left half of the hash of the access token's ASCII octets, base64url (§3.1.3.6). The hash
 * is the one of the signing algorithm: SHA-256 for RS256 and ES256, SHA-512 for EdDSA over Ed25519 (as
 * OpenID Connect's errata and every certified relying party read it).
 */
export function accessTokenHash(accessToken: string, alg: IdTokenAlg): string {
  const digest = createHash(alg === 'EdDSA' ? 'sha512' : 'sha256')
    .update(accessToken, 'ascii')
    .digest()
  return digest.subarray(0, digest.length / 2).toString('base64url')
}

export function idTokenClaims(input: IdTokenInput): JWTPayload {
  const iat = Math.floor(input.now / 1000)
  return {
    iss: input.issuer,
    sub: input.userId,
    // A single audience: the client. `azp` is only needed when `aud` holds more than one value (§2).
    aud: input.clientId,
    exp: iat + input.ttl,
    iat,
    auth_time: Math.floor(input.authTime / 1000),
    ...(input.nonce !== null ? { nonce: input.nonce } : {}),
    // Unknown after a refresh (the family does not keep it): left out rather than sent empty.
    ...(input.amr.length > 0 ? { amr: input.amr } : {}),
    sid: input.sid,
    ...(input.accessToken !== undefined ? { at_hash: accessTokenHash(input.accessToken, input.alg) } : {}),
  }
}

export function signIdToken(sign: ClaimsSigner, input: IdTokenInput): string {
  return sign(input.alg, idTokenClaims(input), 'JWT')
}
