/**
 * @module Ending provider sessions — the one function every way a session ends goes through: RP-initiated
 * `/logout`, `/session/logout`, another user signing in on the login page, log out everywhere, an account
 * disabled, a timeout noticed, refresh-token reuse in a family that came from a session (the last four
 * arrive as announcements, sessions/session-endings.ts). The session rows go, the refresh families that
 * came from them are revoked, and a back-channel logout is queued for every client with a
 * `backchannel_logout_uri` that a session signed in to. Every step is idempotent (a path that already
 * deleted its rows finds nothing left to delete). Delivery happens in the background (deliveries.ts);
 * this never waits for a relying party.
 */
import { randomBytes } from 'node:crypto'
import type { Clock } from '../../clock.js'
import { onSessionsEnded, type SessionEnding } from '../../sessions/session-endings.js'
import type { SessionService } from '../../sessions/session-service.js'
import type { Store } from '../../store/types.js'

export interface EndSessionDeps {
  store: Store
  clock: Clock
  sessions: Pick<SessionService, 'endBySid'>
  /** Called once deliveries are queued (a no-op where no delivery loop runs, e.g. the CLI). */
  wake: () => void
}

export interface EndedSession {
  /** Session rows deleted by this call (0 when the path that ended them deleted them already). */
  sessionsEnded: number
  familiesRevoked: number
  /** Clients a back-channel logout was queued for (one entry per session and client). */
  notified: string[]
}

/**
 * Ends, through `endProviderSessions`, every session announced as ended on `deps.store` (the back channel
 * of a server; the CLI while it disables a user). Returns the unsubscribe function.
 */
export function endAnnouncedSessions(deps: EndSessionDeps): () => void {
  return onSessionsEnded(deps.store, (ending) =>
    endProviderSessions(deps, ending, ending.reason ?? 'session_ended'),
  )
}

/** Ends the provider session `sid`, or every session of a user, with all that follows. */
export async function endProviderSessions(
  deps: EndSessionDeps,
  ending: SessionEnding,
  reason = 'logout',
): Promise<EndedSession> {
  const { store, clock } = deps
  const now = clock()
  let sessionsEnded: number
  let familiesRevoked: number
  let signedIn: { sid: string; clientId: string; userId: string }[]
  if (ending.sid !== undefined) {
    const { sid } = ending
    signedIn = (await store.sessionClients.listForSession(sid)).map((entry) => ({ sid, ...entry }))
    sessionsEnded = (await deps.sessions.endBySid(sid)) ? 1 : 0
    familiesRevoked = await store.refresh.revokeSessionFamilies(sid, reason, now)
  } else {
    const { userId } = ending
    signedIn = (await store.sessionClients.listForUser(userId)).map((entry) => ({ ...entry, userId }))
    sessionsEnded = await store.sessions.deleteForUser(userId)
    familiesRevoked = await store.refresh.revokeUserFamilies(userId, reason, now)
  }
  const notified: string[] = []
  for (const { sid, clientId, userId } of signedIn) {
    const client = await store.clients.find(clientId)
    if (!client?.backchannelLogoutUri) continue
    await store.backchannelLogouts.enqueue({
      id: randomBytes(16).toString('base64url'),
      clientId,
      uri: client.backchannelLogoutUri,
      sid,
      sub: userId,
      createdAt: now,
      attempts: 0,
      nextAttemptAt: now,
      deliveredAt: null,
      lastError: null,
    })
    notified.push(clientId)
  }
  for (const sid of new Set(signedIn.map((entry) => entry.sid))) await store.sessionClients.removeSession(sid)
  if (notified.length > 0) deps.wake()
  return { sessionsEnded, familiesRevoked, notified }
}
