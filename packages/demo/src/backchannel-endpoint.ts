/**
 * @module The back-channel logout endpoint (OpenID Back-Channel Logout 1.0 §2.5): takes the form-encoded
 * `logout_token`, validates it, ends every local sign-in under its `sid` (or `sub`), answers 200 with
 * `Cache-Control: no-store`, and 400 `invalid_request` for a token that fails any check.
 */
import type { EventEmitter } from 'node:events'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AppContext } from './app-server.js'
import { readForm, sendJson } from './http.js'
import type { LocalSessions } from './local-sessions.js'
import { LogoutTokenInvalid, type LogoutTokenVerifier, logoutTokenVerifier } from './logout-token.js'

export type BackchannelHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void>

/** The endpoint for a provider's discovery metadata, whose keys and algorithms check the logout tokens. */
export function backchannelForProvider(
  /** The app's name in log lines and its title (in the error for a provider without keys). */
  app: Pick<AppContext, 'name' | 'title' | 'events' | 'log' | 'sessions'>,
  provider: { issuer: string; jwks_uri?: string; id_token_signing_alg_values_supported?: string[] },
  clientId: string,
): BackchannelHandler {
  if (!provider.jwks_uri)
    throw new Error(`the provider publishes no jwks_uri; ${app.title} cannot check logout tokens`)
  const verifier = logoutTokenVerifier({
    issuer: provider.issuer,
    clientId,
    jwksUri: provider.jwks_uri,
    algorithms: provider.id_token_signing_alg_values_supported ?? ['RS256'],
  })
  return backchannelLogoutHandler({
    app: app.name,
    verifier,
    sessions: app.sessions,
    events: app.events,
    log: app.log,
  })
}

export function backchannelLogoutHandler(deps: {
  app: string
  verifier: LogoutTokenVerifier
  sessions: LocalSessions
  events: EventEmitter
  log: (line: string) => void
}): BackchannelHandler {
  return async (request, response) => {
    const form = await readForm(request)
    const token = form.get('logout_token')
    if (!token) {
      sendJson(response, 400, { error: 'invalid_request', error_description: 'logout_token is missing' })
      return
    }
    try {
      const claims = await deps.verifier.verify(token)
      const ended = deps.sessions.endByProviderSession(
        claims.sid,
        claims.sub,
        'Signed out: the provider sent a back-channel logout (you signed out elsewhere).',
      )
      deps.log(`${deps.app}: back-channel logout sid=${claims.sid ?? '-'} ended ${ended} session(s)`)
      deps.events.emit('signed-out', { sid: claims.sid, reason: 'backchannel', ended })
      response.writeHead(200, { 'cache-control': 'no-store' })
      response.end()
    } catch (error) {
      if (!(error instanceof LogoutTokenInvalid)) throw error
      deps.log(`${deps.app}: ${error.message}`)
      sendJson(response, 400, { error: 'invalid_request', error_description: error.message })
    }
  }
}
