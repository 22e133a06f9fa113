/**
 * @module The pair a login or a refresh answers with: a fresh access token and the refresh token of the
 * same family, with the lifetimes the token response reports.
 */
import type { AccessGrant, AccessTokens } from './access-token.js'

export interface TokenSet {
  accessToken: string
  /** `DPoP` when the access token is bound to a proof's key (`cnf.jkt`, RFC 9449 §5), else `Bearer`. */
  tokenType: 'Bearer' | 'DPoP'
  /** Seconds. */
  expiresIn: number
  refreshToken: string
  /** Seconds until the refresh token's family reaches its absolute lifetime. */
  refreshExpiresIn: number
  scope: string
  familyId: string
  userId: string
}

export interface IssuedRefresh extends AccessGrant {
  refreshToken: string
  absoluteExpiresAt: number
}

export function tokenSet(
  access: AccessTokens,
  accessTtl: number,
  issued: IssuedRefresh,
  now: number,
): TokenSet {
  return {
    accessToken: access.sign(issued, now),
    tokenType: issued.jkt === undefined ? 'Bearer' : 'DPoP',
    expiresIn: accessTtl,
    refreshToken: issued.refreshToken,
    refreshExpiresIn: Math.max(0, Math.floor((issued.absoluteExpiresAt - now) / 1000)),
    scope: issued.scope,
    familyId: issued.familyId,
    userId: issued.userId,
  }
}
