/**
 * @module The refresh-rotation policy: one pure function that reads a presented refresh token, its family,
 * its successor, the user and the client, and says what a refresh must do. No store decides this.
 *
 * The rules, in the order they are applied:
 * 1. An unknown hash is refused (`unknown`).
 * 2. A family bound to the refresh cookie is refused in the body, and a body family in the cookie
 *    (`wrong_delivery_cookie` / `wrong_delivery_body`): a token stolen from one channel cannot be spent on
 *    the other, and no state changes, so the owner's session survives.
 *    Likewise a family bound to a DPoP key (RFC 9449 §5) is refused without a proof (`dpop_proof_missing`)
 *    or with a proof by another key (`dpop_key_mismatch`), before any reuse check: whoever lacks the key
 *    can neither refresh nor, by replaying an old token, end the owner's session (keycloak#36475's hole
 *    was the first half).
 * 3. A revoked family or token is refused (`revoked`); so is a family past its absolute lifetime, fixed at
 *    login and never extended by rotation (`expired_absolute`).
 * 4. A disabled user, or one that no longer exists, ends the family before anything rotates.
 * 5. The active token rotates, when its own client presents it (`client_mismatch` otherwise: refused, not
 *    theft, since a confused client is not proof of a leak) and before its idle expiry (`expired_idle`,
 *    at exactly `idleExpiresAt` already expired).
 * 6. A rotated token coming back is a replay. Inside the grace window (`now - rotatedAt <= graceMs`,
 *    inclusive), from the family's client, while its successor is still the active token and not idle-expired,
 *    it gets that same successor: a double click, a second tab or a lost response, not theft. Any other
 *    replay means two parties hold the chain, so the whole family is revoked (OAuth 2.0 Security BCP,
 *    RFC 9700 §4.14).
 */
import type { RefreshTokenRecord, RotationRead } from '../store/types.js'
import type { ClientRecord } from './clients.js'

export type RefreshDelivery = 'cookie' | 'body'

export interface RotationInput {
  /** What the store read under the family lock, or undefined when the hash is unknown. */
  read: RotationRead | undefined
  /** The client presenting the token (already known to this server). */
  client: ClientRecord
  delivery: RefreshDelivery
  /** The thumbprint of the key that signed the request's valid DPoP proof; undefined without one. */
  proofJkt?: string | undefined
  now: number
  /** Milliseconds after a rotation during which a replay of the previous token is not theft. */
  graceMs: number
}

export type RefusalReason =
  | 'unknown'
  | 'wrong_delivery_cookie'
  | 'wrong_delivery_body'
  | 'revoked'
  | 'expired_absolute'
  | 'expired_idle'
  | 'client_mismatch'
  | 'dpop_proof_missing'
  | 'dpop_key_mismatch'

export type RevocationReason = 'reuse' | 'user_disabled' | 'user_unknown'

export type RotationDecision =
  /** Consume the presented token and issue its successor. */
  | { kind: 'rotate' }
  /** A replay inside the grace window: answer with this successor again; nothing is written. */
  | { kind: 'grace'; successor: RefreshTokenRecord }
  /** End the whole family. */
  | { kind: 'revoke'; reason: RevocationReason }
  /** Refuse, changing nothing. */
  | { kind: 'refuse'; reason: RefusalReason }

export function decideRotation(input: RotationInput): RotationDecision {
  const { read, client, delivery, proofJkt, now, graceMs } = input
  if (read === undefined) return { kind: 'refuse', reason: 'unknown' }
  const { token, family, successor, user } = read

  if (family.cookieBound !== (delivery === 'cookie')) {
    return { kind: 'refuse', reason: family.cookieBound ? 'wrong_delivery_cookie' : 'wrong_delivery_body' }
  }
  const boundTo = family.dpopJkt ?? null
  if (boundTo !== null && proofJkt !== boundTo)
    return { kind: 'refuse', reason: proofJkt === undefined ? 'dpop_proof_missing' : 'dpop_key_mismatch' }
  if (family.revokedAt !== null || token.state === 'revoked') return { kind: 'refuse', reason: 'revoked' }
  if (now >= family.absoluteExpiresAt) return { kind: 'refuse', reason: 'expired_absolute' }

  if (user === undefined) return { kind: 'revoke', reason: 'user_unknown' }
  if (user.disabled) return { kind: 'revoke', reason: 'user_disabled' }

  if (token.state === 'active') {
    if (family.clientId !== client.id) return { kind: 'refuse', reason: 'client_mismatch' }
    if (now >= token.idleExpiresAt) return { kind: 'refuse', reason: 'expired_idle' }
    return { kind: 'rotate' }
  }

  const inGrace =
    successor !== undefined &&
    successor.hash === token.successorHash &&
    successor.state === 'active' &&
    now < successor.idleExpiresAt &&
    token.rotatedAt !== null &&
    now - token.rotatedAt <= graceMs &&
    family.clientId === client.id
  return inGrace ? { kind: 'grace', successor } : { kind: 'revoke', reason: 'reuse' }
}
