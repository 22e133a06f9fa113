/**
 * @module The library-neutral half of a sign-in: the pending record kept while the browser is at the
 * provider, taking it back once at the callback, and recording the signed-in user (or why it failed).
 */
import type { EventEmitter } from 'node:events'
import type { ServerResponse } from 'node:http'
import { redirect, sendHtml } from './http.js'
import { type LocalSession, PENDING_TTL_MS, type PendingSignIn, type SignedIn } from './local-sessions.js'
import { renderError } from './page.js'

/** Keeps a new sign-in's state, nonce and PKCE verifier (made by the app's own library) on the session. */
export function startSignIn(session: LocalSession, values: Omit<PendingSignIn, 'startedAt'>): PendingSignIn {
  const pending = { ...values, startedAt: Date.now() }
  session.pending = pending
  return pending
}

/** The sign-in in progress, taken off the session (used once); without one in time, answers 400. */
export function takePendingSignIn(
  session: LocalSession,
  response: ServerResponse,
  app: string,
): PendingSignIn | undefined {
  const pending = session.pending
  delete session.pending
  if (!pending || Date.now() - pending.startedAt > PENDING_TTL_MS) {
    sendHtml(response, 400, renderError(app, 'No sign-in was in progress in this browser: start again.'))
    return undefined
  }
  return pending
}

const pick = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined)

/** The signed-in user from validated ID-token claims, userinfo and the token response. */
export function signedInUser(
  claims: Record<string, unknown>,
  userinfo: Record<string, unknown>,
  tokens: { id_token?: string; access_token: string; refresh_token?: string; expires_in?: number },
): SignedIn {
  return {
    sub: String(claims.sub),
    sid: typeof claims.sid === 'string' ? claims.sid : undefined,
    displayName: pick(userinfo.name) ?? pick(userinfo.preferred_username) ?? String(claims.sub),
    idToken: tokens.id_token!,
    idTokenClaims: claims,
    userinfo,
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token,
    accessExpiresAt: tokens.expires_in ? Date.now() + tokens.expires_in * 1000 : undefined,
    signedInAt: Date.now(),
    refreshedAt: undefined,
  }
}

export interface SignInContext {
  /** The lower-case name in log lines. */
  name: string
  /** The title on the error page. */
  title: string
  events: EventEmitter
  log: (line: string) => void
}

export function signInFailed(context: SignInContext, response: ServerResponse, error: unknown): void {
  context.log(`${context.name}: sign-in failed: ${(error as Error).message}`)
  sendHtml(response, 400, renderError(context.title, `Sign-in failed: ${(error as Error).message}`))
}

export function signedIn(
  context: SignInContext,
  session: LocalSession,
  response: ServerResponse,
  user: SignedIn,
): void {
  session.user = user
  delete session.notice
  context.log(`${context.name}: signed in sub=${user.sub} sid=${user.sid ?? '-'}`)
  context.events.emit('signed-in', { sub: user.sub, sid: user.sid })
  redirect(response, '/')
}
