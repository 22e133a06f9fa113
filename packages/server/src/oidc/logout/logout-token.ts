/**
 * @module OpenID Back-Channel Logout 1.0 §2.4 logout tokens: `typ: logout+jwt`, `iss`, `aud` (the client),
 * `iat`, a short `exp`, a fresh `jti`, the back-channel `events` member, `sid` and `sub` — and never a
 * `nonce` (§2.4: its presence is what tells a logout token from an ID token).
 */
import { randomBytes } from 'node:crypto'
import type { JWTPayload } from '@tessera/jose'
import type { IdTokenAlg } from '../../store/types.js'
import type { ClaimsSigner } from '../id-token.js'

export const BACKCHANNEL_LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout'

/** Seconds a logout token is valid: it is made just before each delivery attempt, so minutes suffice. */
export const LOGOUT_TOKEN_TTL = 120

export interface LogoutTokenInput {
  issuer: string
  clientId: string
  sub: string
  sid: string
  now: number
  alg: IdTokenAlg
}

export function logoutTokenClaims(input: LogoutTokenInput): JWTPayload {
  const iat = Math.floor(input.now / 1000)
  return {
    iss: input.issuer,
    aud: input.clientId,
    iat,
    exp: iat + LOGOUT_TOKEN_TTL,
    jti: randomBytes(16).toString('base64url'),
    sub: input.sub,
    sid: input.sid,
    events: { [BACKCHANNEL_LOGOUT_EVENT]: {} },
  }
}

export function signLogoutToken(sign: ClaimsSigner, input: LogoutTokenInput): string {
  return sign(input.alg, logoutTokenClaims(input), 'logout+jwt')
}
