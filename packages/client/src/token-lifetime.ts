/**
 * @module When an access token counts as fresh: it is refreshed ahead of its expiry by a fifth of its
 * lifetime, at least 5 s and at most 60 s ahead, so a request made now still arrives in time even on a
 * slow network, and a 30 s token is not refreshed every few seconds.
 */

const MIN_LEAD_MS = 5000
const MAX_LEAD_MS = 60_000

export function refreshLeadMs(lifetimeMs: number): number {
  return Math.min(MAX_LEAD_MS, Math.max(MIN_LEAD_MS, lifetimeMs / 5))
}

/** Milliseconds from `now` until the token is due for a refresh (0 or less: due now). */
export function msUntilRefresh(token: { expiresAt: number; lifetimeMs: number }, now: number): number {
  return token.expiresAt - refreshLeadMs(token.lifetimeMs) - now
}

export function isFresh(token: { expiresAt: number; lifetimeMs: number }, now: number): boolean {
  return msUntilRefresh(token, now) > 0
}
