/**
 * @module Ending a provider session — the one function every logout calls (RP-initiated `/logout`,
 * `/session/logout`): the session row goes, the refresh families that came from it are revoked, and a
 * back-channel logout is queued for every client with a `backchannel_logout_uri` that this session signed
 * in to. Delivery happens in the background (deliveries.ts); this never waits for a relying party.
 */
import { randomBytes } from 'node:crypto'
import type { Clock } from '../../clock.js'
import type { SessionService } from '../../sessions/session-service.js'
import type { Store } from '../../store/types.js'

export interface EndSessionDeps {
  store: Store
  clock: Clock
  sessions: Pick<SessionService, 'endBySid'>
  /** Called once deliveries are queued. */
  wake: () => void
}

export interface EndedSession {
  sessionEnded: boolean
  familiesRevoked: number
  /** Clients a back-channel logout was queued for. */
  notified: string[]
}

export async function endProviderSession(deps: EndSessionDeps, sid: string): Promise<EndedSession> {
  const { store, clock } = deps
  const now = clock()
  const signedIn = await store.sessionClients.listForSession(sid)
  const sessionEnded = await deps.sessions.endBySid(sid)
  const familiesRevoked = await store.refresh.revokeSessionFamilies(sid, 'logout', now)
  const notified: string[] = []
  for (const { clientId, userId } of signedIn) {
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
  await store.sessionClients.removeSession(sid)
  if (notified.length > 0) deps.wake()
  return { sessionEnded, familiesRevoked, notified }
}
