/**
 * @module RFC 7662 token introspection for access and refresh tokens. Anything not active, for any reason,
 * is just `{ active: false }` (§2.2): the answer never says why. A DPoP-bound token answers
 * `token_type: "DPoP"` and `cnf: { jkt }` (RFC 9449 §6.2), a bound refresh token its `cnf` too.
 */
import type { RefreshFamily, RefreshTokenRecord } from '../store/types.js'
import type { AccessClaims } from './access-token.js'
import { hashRefreshToken, looksLikeRefreshToken } from './refresh-token.js'
import type { TokenContext } from './token-context.js'

export interface IntrospectionResult {
  active: boolean
  /** RFC 7662 §2.2: the type as in RFC 6749 §7.1: `Bearer`, or `DPoP` for a bound access token. */
  token_type?: 'Bearer' | 'DPoP' | 'refresh_token'
  scope?: string
  client_id?: string
  username?: string
  sub?: string
  aud?: string
  iss?: string
  exp?: number
  iat?: number
  jti?: string
  sid?: string
  /** RFC 9449 §6.2: the thumbprint of the key the token is bound to. */
  cnf?: { jkt: string }
}

/** `token_type` and `cnf` of an access token with these claims. */
function binding(claims: AccessClaims): Pick<IntrospectionResult, 'token_type' | 'cnf'> {
  const jkt = claims.cnf?.jkt
  return jkt === undefined ? { token_type: 'Bearer' } : { token_type: 'DPoP', cnf: { jkt } }
}

type Attempt = () => Promise<IntrospectionResult | undefined>

export async function introspect(
  ctx: TokenContext,
  token: string,
  hint?: string,
): Promise<IntrospectionResult> {
  const asRefresh: Attempt = () => introspectRefresh(ctx, token)
  const asAccess: Attempt = () => introspectAccess(ctx, token)
  // token_type_hint is only a hint (§2.1): try the other kind when the first says nothing.
  const order = hint === 'refresh_token' ? [asRefresh, asAccess] : [asAccess, asRefresh]
  for (const attempt of order) {
    const result = await attempt()
    if (result) return result
  }
  return { active: false }
}

function refreshIsLive(token: RefreshTokenRecord, family: RefreshFamily, now: number): boolean {
  return (
    token.state === 'active' &&
    family.revokedAt === null &&
    now < token.idleExpiresAt &&
    now < family.absoluteExpiresAt
  )
}

/** Undefined when the value is not one of our refresh tokens at all. */
async function introspectRefresh(ctx: TokenContext, value: string): Promise<IntrospectionResult | undefined> {
  if (!looksLikeRefreshToken(value)) return undefined
  const found = await ctx.store.refresh.findToken(hashRefreshToken(value))
  if (!found) return undefined
  const { token, family } = found
  if (!refreshIsLive(token, family, ctx.clock())) return { active: false }
  const user = await ctx.store.users.findById(family.userId)
  if (!user || user.disabled) return { active: false }
  return {
    active: true,
    token_type: 'refresh_token',
    scope: family.scope,
    client_id: family.clientId,
    username: user.username,
    sub: family.userId,
    iss: ctx.issuer(),
    exp: Math.floor(Math.min(token.idleExpiresAt, family.absoluteExpiresAt) / 1000),
    iat: Math.floor(token.createdAt / 1000),
    sid: family.id,
    ...(family.dpopJkt ? { cnf: { jkt: family.dpopJkt } } : {}),
  }
}

/** Undefined when the value is not shaped like a JWS at all. */
async function introspectAccess(ctx: TokenContext, value: string): Promise<IntrospectionResult | undefined> {
  if (value.split('.').length !== 3) return undefined
  try {
    const { claims } = await ctx.access.verify(value)
    const user = await ctx.store.users.findById(claims.sub)
    if (!user || user.disabled) return { active: false }
    return {
      active: true,
      ...binding(claims),
      scope: claims.scope,
      client_id: claims.client_id,
      username: user.username,
      sub: claims.sub,
      aud: claims.aud,
      iss: claims.iss,
      exp: claims.exp,
      iat: claims.iat,
      jti: claims.jti,
      sid: claims.sid,
    }
  } catch {
    return introspectClientToken(ctx, value)
  }
}

/** A client_credentials token (no `sid`, `sub` = `client_id`): valid while its signature and claims are. */
function introspectClientToken(ctx: TokenContext, value: string): IntrospectionResult {
  try {
    const claims = ctx.access.verifySignature(value)
    if (claims.sid !== undefined || claims.sub !== claims.client_id) return { active: false }
    const { scope, client_id, sub, aud, iss, exp, iat, jti } = claims
    return { active: true, ...binding(claims), scope, client_id, sub, aud, iss, exp, iat, jti }
  } catch {
    return { active: false }
  }
}
