/**
 * @module Who hears that provider sessions ended, and the one call that tells them. Sessions end in
 * several places — the session service (a timeout noticed, a disabled account's session presented, log
 * out everywhere), the store every service is handed (refresh-token reuse revoking a family that came
 * from a session, an account disabled) — and every one of them announces it here, keyed by that store,
 * so whatever must follow (the back channel: families revoked, relying parties told) is done once, in
 * one place (oidc/logout/end-session.ts), by whichever instance saw the session end.
 */
import type { Store } from '../store/types.js'

/**
 * One provider session (by its public `sid`), or every session of a user; `reason` is what the refresh
 * families still alive are revoked with.
 */
export type SessionEnding = ({ sid: string; userId?: string } | { userId: string; sid?: undefined }) & {
  reason?: string
}

export type SessionEndingListener = (ending: SessionEnding) => Promise<unknown>

const listeners = new WeakMap<Store, Set<SessionEndingListener>>()

/** Calls `listener` for every session ending announced on `store`; returns the unsubscribe function. */
export function onSessionsEnded(store: Store, listener: SessionEndingListener): () => void {
  let set = listeners.get(store)
  if (!set) {
    set = new Set()
    listeners.set(store, set)
  }
  set.add(listener)
  return () => set.delete(listener)
}

/** Announces that `ending` happened (its rows are already gone); waits for every listener. */
export async function announceSessionsEnded(store: Store, ending: SessionEnding): Promise<void> {
  const set = listeners.get(store)
  if (!set) return
  for (const listener of [...set]) await listener(ending)
}
