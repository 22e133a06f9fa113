/**
 * @module Ending a refresh family: RFC 7009 revocation by token, and logout by family id. The revocation
 * and its audit row are one store call, so a revoked family is never missing from the audit log.
 */
import type { RefreshFamily } from '../store/types.js'
import { hashRefreshToken, looksLikeRefreshToken } from './refresh-token.js'
import type { TokenContext } from './token-context.js'

/** The family behind a refresh token, whatever its state; undefined for anything else. */
export async function familyOfRefreshToken(
  ctx: TokenContext,
  token: string,
): Promise<RefreshFamily | undefined> {
  if (!looksLikeRefreshToken(token)) return undefined
  return (await ctx.store.refresh.findToken(hashRefreshToken(token)))?.family
}

/** The family behind a refresh token or a validly signed access token (its `sid`). */
async function familyOfToken(ctx: TokenContext, token: string): Promise<RefreshFamily | undefined> {
  const byRefresh = await familyOfRefreshToken(ctx, token)
  if (byRefresh) return byRefresh
  if (token.split('.').length !== 3) return undefined
  let sid: string
  try {
    sid = ctx.access.verifySignature(token).sid
  } catch {
    return undefined
  }
  // A client_credentials token has no family: it lives out its short lifetime.
  if (typeof sid !== 'string') return undefined
  return ctx.store.refresh.findFamily(sid)
}

/**
 * RFC 7009: revokes the family behind a refresh token or an access token. Unknown or invalid tokens are
 * not an error (§2.2). A `clientId` that does not own the token changes nothing.
 */
export async function revoke(ctx: TokenContext, token: string, clientId?: string): Promise<void> {
  const family = await familyOfToken(ctx, token)
  if (!family || (clientId !== undefined && family.clientId !== clientId)) return
  await revokeFamily(ctx, family, 'revoked', 'token.revoked')
}

/** Ends a family (logout): the audit row's type is the reason. Returns whether the family exists. */
export async function endFamily(ctx: TokenContext, familyId: string, reason = 'logout'): Promise<boolean> {
  const family = await ctx.store.refresh.findFamily(familyId)
  if (!family) return false
  await revokeFamily(ctx, family, reason, reason)
  return true
}

/** An already-ended family is left alone: nothing to write, and no second audit row for it. */
async function revokeFamily(
  ctx: TokenContext,
  family: RefreshFamily,
  reason: string,
  auditType: string,
): Promise<boolean> {
  if (family.revokedAt !== null) return false
  const at = ctx.clock()
  return ctx.store.refresh.revokeFamily(family.id, reason, at, {
    at,
    type: auditType,
    userId: family.userId,
    familyId: family.id,
  })
}
