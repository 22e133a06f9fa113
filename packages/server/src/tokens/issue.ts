/**
 * @module A new refresh family for a user who just proved who they are: the family, its first token and
 * the `login` audit row in one store call, then the first pair.
 */
import { randomBytes } from 'node:crypto'
import type { UserRecord } from '../store/types.js'
import type { ClientRecord } from './clients.js'
import { deriveRefreshToken, hashRefreshToken } from './refresh-token.js'
import type { TokenContext } from './token-context.js'
import { type TokenSet, tokenSet } from './token-set.js'

export interface IssueOptions {
  client: ClientRecord
  /** Deliver the refresh token in the HttpOnly cookie; the family then accepts it only from there. */
  cookie: boolean
  /**
   * The thumbprint of the request's valid DPoP proof: the access token is bound to it, and so is the family
   * (these are first-party public clients, RFC 9449 §5), which then refreshes only with that key's proofs.
   */
  dpopJkt?: string | undefined
}

export async function issueForLogin(
  ctx: TokenContext,
  user: UserRecord,
  options: IssueOptions,
): Promise<TokenSet> {
  const { store, clock, policy, refreshTokenKey } = ctx
  const now = clock()
  const familyId = randomBytes(16).toString('base64url')
  const absoluteExpiresAt = now + policy.refreshTtl * 1000
  const refreshToken = deriveRefreshToken(refreshTokenKey, familyId, 0)
  await store.refresh.createFamily(
    {
      id: familyId,
      userId: user.id,
      clientId: options.client.id,
      scope: policy.scope,
      cookieBound: options.cookie,
      dpopJkt: options.dpopJkt ?? null,
      createdAt: now,
      absoluteExpiresAt,
    },
    {
      hash: hashRefreshToken(refreshToken),
      generation: 0,
      createdAt: now,
      idleExpiresAt: Math.min(now + policy.refreshIdleTtl * 1000, absoluteExpiresAt),
    },
    { at: now, type: 'login', userId: user.id, familyId },
  )
  const issued = {
    userId: user.id,
    familyId,
    clientId: options.client.id,
    scope: policy.scope,
    refreshToken,
    absoluteExpiresAt,
    ...(options.dpopJkt !== undefined ? { jkt: options.dpopJkt } : {}),
  }
  return tokenSet(ctx.access, policy.accessTtl, issued, now)
}
