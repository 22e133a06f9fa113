/**
 * @module Ending a local sign-in: dropping the user with a notice saying why, and the RP-initiated
 * logout that then sends the browser to the provider's end-session URL.
 */
import type { EventEmitter } from 'node:events'
import type { ServerResponse } from 'node:http'
import { redirect } from './http.js'
import type { LocalSession, SignedIn } from './local-sessions.js'

export function signOutLocally(
  events: EventEmitter,
  session: LocalSession,
  notice: string,
  reason: string,
): void {
  const sid = session.user?.sid
  delete session.user
  session.notice = notice
  events.emit('signed-out', { sid, reason })
}

/** Signs out here, then on to the provider's end-session URL (home when no one was signed in). */
export function logoutHere(
  events: EventEmitter,
  session: LocalSession,
  response: ServerResponse,
  endSessionUrl: (user: SignedIn) => string | URL,
): void {
  const user = session.user
  if (!user) {
    redirect(response, '/')
    return
  }
  signOutLocally(events, session, 'You signed out here.', 'rp-logout')
  redirect(response, endSessionUrl(user))
}
