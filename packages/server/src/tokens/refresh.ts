/**
 * @module Refresh-token rotation: one `store.refresh.rotate` call, in which the store reads under the family
 * lock, the rotation policy decides, and the store applies that decision and its audit row together.
 *
 * The successor is derived (HMAC of family and generation), not drawn, so a grace replay answers with the
 * same successor byte for byte and racing instances agree on it. Access tokens are signed after the commit,
 * outside the transaction.
 */
import { DPoPProofRefused, RefreshTokenInvalid, RefreshTokenReused, type ServerError } from '../errors.js'
import type { AuditEvent, RefreshFamily, RotationRead, RotationStep } from '../store/types.js'
import type { ClientRecord } from './clients.js'
import { deriveRefreshToken, hashRefreshToken, looksLikeRefreshToken } from './refresh-token.js'
import {
  decideRotation,
  type RefreshDelivery,
  type RefusalReason,
  type RevocationReason,
  type RotationDecision,
} from './rotation-policy.js'
import type { TokenContext } from './token-context.js'
import { type IssuedRefresh, type TokenSet, tokenSet } from './token-set.js'

export interface RefreshOptions {
  client: ClientRecord
  delivery: RefreshDelivery
  /** The thumbprint of the request's valid DPoP proof: a bound family needs it, the access token gets it. */
  dpopJkt?: string | undefined
}

export type RefreshOutcome =
  | { ok: true; issued: IssuedRefresh }
  | { ok: false; reason: RefusalReason | RevocationReason }

export async function refresh(
  ctx: TokenContext,
  refreshToken: string,
  options: RefreshOptions,
): Promise<TokenSet> {
  if (!looksLikeRefreshToken(refreshToken)) throw new RefreshTokenInvalid('the refresh token is malformed')
  const now = ctx.clock()
  const graceMs = ctx.policy.refreshGrace * 1000
  const { client, delivery, dpopJkt } = options
  const outcome = await ctx.store.refresh.rotate(hashRefreshToken(refreshToken), now, (read) =>
    rotationStep(ctx, read, decideRotation({ read, client, delivery, proofJkt: dpopJkt, now, graceMs }), now),
  )
  if (!outcome.ok) throw refusalError(outcome.reason)
  const issued = dpopJkt === undefined ? outcome.issued : { ...outcome.issued, jkt: dpopJkt }
  return tokenSet(ctx.access, ctx.policy.accessTtl, issued, now)
}

/** What the store writes for a decision, and what the refresh answers once it has. */
export function rotationStep(
  ctx: Pick<TokenContext, 'refreshTokenKey' | 'policy'>,
  read: RotationRead | undefined,
  decision: RotationDecision,
  now: number,
): RotationStep<RefreshOutcome> {
  switch (decision.kind) {
    case 'refuse':
      return { write: { kind: 'none' }, result: { ok: false, reason: decision.reason } }
    case 'revoke': {
      const { family } = read!
      return {
        write: { kind: 'revoke', reason: decision.reason },
        audit: auditRow(REVOCATION_AUDIT[decision.reason], family, now),
        result: { ok: false, reason: decision.reason },
      }
    }
    case 'grace': {
      const { family } = read!
      const value = deriveRefreshToken(ctx.refreshTokenKey, family.id, decision.successor.generation)
      return {
        write: { kind: 'none' },
        audit: auditRow('refresh.grace', family, now),
        result: { ok: true, issued: issued(family, value) },
      }
    }
    case 'rotate': {
      const { family, token } = read!
      const generation = token.generation + 1
      const value = deriveRefreshToken(ctx.refreshTokenKey, family.id, generation)
      const successor = {
        hash: hashRefreshToken(value),
        generation,
        createdAt: now,
        idleExpiresAt: Math.min(now + ctx.policy.refreshIdleTtl * 1000, family.absoluteExpiresAt),
      }
      return { write: { kind: 'rotate', successor }, result: { ok: true, issued: issued(family, value) } }
    }
  }
}

const REVOCATION_AUDIT: Record<RevocationReason, string> = {
  reuse: 'refresh.reuse_detected',
  user_disabled: 'refresh.user_disabled',
  user_unknown: 'refresh.user_unknown',
}

const REFUSAL_MESSAGE: Record<Exclude<RefusalReason | RevocationReason, 'reuse'>, string> = {
  unknown: 'the refresh token is unknown, expired or revoked: log in again',
  wrong_delivery_cookie:
    'this refresh token belongs in the refresh cookie; send the cookie, not the token in the body',
  wrong_delivery_body: 'this refresh token was issued in the body; send it as refresh_token',
  revoked: 'the refresh token was revoked: log in again',
  expired_absolute: 'the refresh token has expired: log in again',
  expired_idle: 'the refresh token has expired: log in again',
  client_mismatch: 'the refresh token was issued to another client_id',
  dpop_proof_missing:
    'this refresh token is bound to a DPoP key: send a DPoP proof made by that key with the refresh',
  dpop_key_mismatch: 'this refresh token is bound to another DPoP key than the one that signed the proof',
  user_disabled: 'the account is disabled',
  user_unknown: 'the account of this refresh token no longer exists: log in again',
}

export function refusalError(reason: RefusalReason | RevocationReason): ServerError {
  if (reason === 'reuse') return new RefreshTokenReused()
  if (reason === 'dpop_proof_missing' || reason === 'dpop_key_mismatch')
    return new DPoPProofRefused(REFUSAL_MESSAGE[reason])
  return new RefreshTokenInvalid(REFUSAL_MESSAGE[reason])
}

function auditRow(type: string, family: RefreshFamily, at: number): AuditEvent {
  return { at, type, userId: family.userId, familyId: family.id }
}

function issued(family: RefreshFamily, refreshToken: string): IssuedRefresh {
  return {
    userId: family.userId,
    familyId: family.id,
    clientId: family.clientId,
    scope: family.scope,
    refreshToken,
    absoluteExpiresAt: family.absoluteExpiresAt,
  }
}
