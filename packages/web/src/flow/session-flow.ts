/**
 * @module Session mode, step by step: login sets an HttpOnly cookie this script cannot read,
 * `/session/me` rides on it, logout deletes the session on the server, and the old cookie stops working.
 */
import { call, type Exchange, isMissing } from './api.js'
import type { Credentials } from './credentials.js'
import type { Timeline } from './timeline.js'

/** The CSRF token a server may hand out with the session (synchronizer / double-submit pattern). */
function csrfFrom(exchange: Exchange): Record<string, string> {
  const body = exchange.body as Record<string, unknown> | undefined
  const token = body?.csrf_token ?? body?.csrfToken
  return typeof token === 'string' ? { 'x-csrf-token': token } : {}
}

export class SessionFlow {
  private running = false

  constructor(
    private readonly timeline: Timeline,
    private readonly credentials: () => Credentials,
  ) {}

  async start(): Promise<void> {
    if (this.running) return
    this.running = true
    this.timeline.clear()
    try {
      await this.run()
    } finally {
      this.running = false
    }
  }

  private async run(): Promise<void> {
    const { username, password } = this.credentials()
    const cookiesBefore = document.cookie
    const login = await call('POST', '/session/login', { json: { username, password } })
    if (isMissing(login)) {
      this.timeline.add({
        id: 's-login',
        title: 'flow.session.login',
        state: 'unavailable',
        text: 'flow.unavailable',
        params: { path: '/session/login' },
        exchange: login,
      })
      return
    }
    if (login.status >= 300) {
      const error = (login.body as { error?: string } | undefined)?.error ?? String(login.status)
      this.timeline.add({
        id: 's-login',
        title: 'flow.session.login',
        state: 'failed',
        text: 'flow.loginFailed',
        params: { error },
        exchange: login,
      })
      return
    }
    // The cookie is HttpOnly: document.cookie does not change, which is the defence against XSS theft.
    const visible = document.cookie !== cookiesBefore
    this.timeline.add({
      id: 's-login',
      title: 'flow.session.login',
      state: 'done',
      text: visible ? 'flow.session.cookieVisible' : 'flow.session.cookieHidden',
      exchange: login,
    })
    const csrf = csrfFrom(login)

    const me = await call('GET', '/session/me')
    this.timeline.add({
      id: 's-me',
      title: 'flow.session.me',
      state: me.status === 200 ? 'done' : 'failed',
      text: 'flow.session.meText',
      params: { status: me.status },
      exchange: me,
    })

    const logout = await call('POST', '/session/logout', { headers: csrf, json: {} })
    this.timeline.add({
      id: 's-logout',
      title: 'flow.session.logout',
      state: logout.status < 300 ? 'done' : 'failed',
      text: 'flow.session.logoutText',
      params: { status: logout.status },
      exchange: logout,
    })

    const after = await call('GET', '/session/me')
    this.timeline.add({
      id: 's-after',
      title: 'flow.session.after',
      state: after.status === 401 ? 'refused' : 'failed',
      text: after.status === 401 ? 'flow.session.afterText' : 'flow.session.afterUnexpected',
      params: { status: after.status },
      exchange: after,
    })
  }
}
