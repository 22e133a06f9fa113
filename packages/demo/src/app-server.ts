/**
 * @module Serving a demo app over node:http: its routes, the page, the JSON state, CSRF-checked forms and
 * the URLs it hands back — the same for Notes and Photos, which supply only their protocol steps.
 */
import type { EventEmitter } from 'node:events'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { listen, readForm, redirect, sendHtml, sendJson, sendText } from './http.js'
import type { LocalSession, LocalSessions } from './local-sessions.js'
import type { DemoApp, DemoAppOptions } from './options.js'
import { renderPage } from './page.js'

/** The app's own origin, known once it listens; the protocol steps read it when a request comes. */
export class AppSite {
  origin = ''

  get redirectUri(): string {
    return `${this.origin}/callback`
  }

  get postLogoutRedirectUri(): string {
    return `${this.origin}/`
  }
}

/** What the protocol steps and the shared parts of an app both use. */
export interface AppContext {
  /** The lower-case name in log lines. */
  name: string
  /** The page's title, colour and one line on what the app is built on. */
  title: string
  accent: string
  about: string
  /** The host name in the app's own URLs when the options give none. */
  defaultPublicHost: string
  events: EventEmitter
  log: (line: string) => void
  sessions: LocalSessions
  site: AppSite
}

export interface AppSpec {
  backchannel: (request: IncomingMessage, response: ServerResponse) => Promise<void>
  /** A check against the provider before the page and the JSON state (its line goes on the page). */
  check?: (session: LocalSession) => Promise<string | undefined>
  login: (session: LocalSession, response: ServerResponse) => Promise<void>
  callback: (session: LocalSession, response: ServerResponse, url: URL) => Promise<void>
  /** Without one, the refresh form only shows the page again (whose check refreshes). */
  refresh?: (session: LocalSession, response: ServerResponse) => Promise<void>
  logout: (session: LocalSession, response: ServerResponse) => void | Promise<void>
}

export async function serveApp(
  options: DemoAppOptions,
  context: AppContext,
  spec: AppSpec,
): Promise<DemoApp> {
  const { site, sessions, log } = context
  const publicHost = options.publicHost ?? context.defaultPublicHost

  async function home(session: LocalSession, response: ServerResponse): Promise<void> {
    const checked = spec.check ? await spec.check(session) : undefined
    sendHtml(
      response,
      200,
      renderPage({
        app: context.title,
        accent: context.accent,
        about: context.about,
        session,
        ...(checked ? { check: checked } : {}),
        ...(options.otherApp ? { otherApp: options.otherApp } : {}),
      }),
    )
  }

  const listening = await listen(
    options.host ?? '127.0.0.1',
    options.port,
    () => site.origin,
    async (request, response, url) => {
      const route = `${request.method} ${url.pathname}`
      if (route === 'POST /backchannel-logout') return spec.backchannel(request, response)
      const session = sessions.get(request, response)
      if (route === 'GET /') return home(session, response)
      if (route === 'GET /login') return spec.login(session, response)
      if (route === 'GET /callback') return spec.callback(session, response, url)
      if (route === 'GET /state') {
        if (spec.check) await spec.check(session)
        const user = session.user
        return sendJson(response, 200, {
          signedIn: user !== undefined,
          ...(user ? { sub: user.sub, sid: user.sid } : {}),
          ...(session.notice ? { notice: session.notice } : {}),
        })
      }
      if (request.method === 'POST' && (url.pathname === '/refresh' || url.pathname === '/logout')) {
        const form = await readForm(request)
        if (!sessions.checkCsrf(session, form.get('csrf'))) {
          sendText(response, 403, 'This form is stale or came from another site: reload the page.')
          return
        }
        if (url.pathname === '/logout') return spec.logout(session, response)
        return spec.refresh ? spec.refresh(session, response) : redirect(response, '/')
      }
      sendText(response, 404, 'Not found')
    },
    (error) => log(`${context.name}: request failed: ${(error as Error).message}`),
  )
  site.origin = `http://${publicHost}:${listening.port}`
  return {
    url: site.origin,
    redirectUri: site.redirectUri,
    postLogoutRedirectUri: site.postLogoutRedirectUri,
    backchannelLogoutUri: `${site.origin}/backchannel-logout`,
    events: context.events,
    close: listening.close,
  }
}
