/**
 * @module Single sign-on, step by step, with the page as its own public client of the real provider:
 * discovery, the authorization request, the redirect back with `code` and `iss`, the token request with
 * the PKCE verifier, the ID token verified against the provider's JWKS (nonce, at_hash), the provider
 * session and the clients signed in under its `sid`, and the logout that reaches them.
 */
import { createLocalJWKSet, decodeJWT, encodeBase64url, type JWKSet, verifyJWT } from '@tessera/jose'
import { getLang } from '../i18n/index.js'
import { abbreviate, call, type Exchange, isMissing } from './api.js'
import {
  authorizationUrl,
  type Callback,
  type Discovery,
  FLOW_CLIENT_ID,
  type PendingRequest,
  redirectUri,
  sha256,
  takeCallback,
} from './sso-request.js'
import type { StepAction, Timeline } from './timeline.js'

export interface SsoSession {
  sid: string
  sub: string
  auth_time: number
  amr: string[]
  clients: { client_id: string; name: string }[]
}

export interface SsoApp {
  client_id: string
  name: string
  type?: string
  url: string
  backchannel_logout_uri?: string | null
}

export interface SsoDemo {
  client: { client_id: string; registered: boolean; redirect_uris: string[] }
  apps: SsoApp[]
  session: SsoSession | null
}

export async function fetchSsoDemo(): Promise<{ exchange: Exchange; demo?: SsoDemo }> {
  const exchange = await call('GET', '/api/sso-demo')
  if (exchange.status !== 200 || typeof exchange.body !== 'object') return { exchange }
  return { exchange, demo: exchange.body as SsoDemo }
}

/** OIDC Core §3.1.3.6: the left half of the access token's hash, with the hash of the ID token's alg. */
async function atHash(accessToken: string, alg: string): Promise<string> {
  const hash = /512$|^EdDSA$/.test(alg) ? 'SHA-512' : /384$/.test(alg) ? 'SHA-384' : 'SHA-256'
  const digest = await sha256(accessToken, hash)
  return encodeBase64url(digest.slice(0, digest.length / 2))
}

const time = (seconds: number) => new Date(seconds * 1000).toLocaleTimeString(getLang())

export class SsoFlow {
  private session: SsoSession | null = null
  /** The `sid` of the last ID token, to compare with the session the provider reports. */
  private idTokenSid: string | undefined

  constructor(
    private readonly timeline: Timeline,
    private readonly onDemo: (demo: SsoDemo | undefined) => void,
  ) {}

  /** Sends the browser to the provider (a full navigation: the login page is the provider's, not ours). */
  async start(prompt?: string): Promise<void> {
    const discovery = await call('GET', '/.well-known/openid-configuration')
    if (isMissing(discovery) || discovery.status !== 200) {
      this.timeline.clear()
      this.timeline.add({
        id: 'sso-discovery',
        title: 'sso.discovery',
        state: 'unavailable',
        text: 'flow.unavailable',
        params: { path: '/.well-known/openid-configuration' },
        exchange: discovery,
      })
      return
    }
    const issuer = (discovery.body as Discovery).issuer
    if (new URL(issuer).origin !== location.origin) {
      // The token endpoint would be another origin, which this page's CSP (connect-src 'self') refuses.
      this.timeline.clear()
      this.timeline.add({
        id: 'sso-discovery',
        title: 'sso.discovery',
        state: 'failed',
        text: 'sso.originMismatch',
        params: { issuer },
        exchange: discovery,
      })
      return
    }
    const before = this.session ? { sid: this.session.sid, auth_time: this.session.auth_time } : undefined
    const url = await authorizationUrl(discovery.body as Discovery, discovery, {
      lang: getLang(),
      ...(prompt ? { prompt } : {}),
      ...(before ? { before } : {}),
    })
    location.assign(url)
  }

  /** Runs the steps after the provider's redirect back, when the page was opened by one. */
  async resume(): Promise<boolean> {
    const callback = takeCallback()
    if (!callback) return false
    this.timeline.clear()
    await this.run(callback)
    return true
  }

  private actions(): StepAction[] {
    return [
      { id: 'sso-refresh', label: 'sso.refresh', run: () => void this.showSession() },
      { id: 'sso-silent', label: 'sso.silent', run: () => void this.start('none') },
      { id: 'sso-logout', label: 'sso.logout', run: () => void this.logout() },
    ]
  }

  private async run({ pending, params, url }: Callback): Promise<void> {
    const { discovery } = pending
    this.timeline.add({
      id: 'sso-discovery',
      title: 'sso.discovery',
      state: 'done',
      text: 'sso.discoveryText',
      params: { issuer: discovery.issuer },
      exchange: pending.discoveryExchange,
    })
    const back = new URL(url)
    this.timeline.add({
      id: 'sso-request',
      title: 'sso.request',
      state: 'done',
      text: 'sso.requestText',
      params: { client: FLOW_CLIENT_ID, redirect: redirectUri() },
      exchange: {
        method: 'GET',
        path: new URL(discovery.authorization_endpoint).pathname,
        sent: pending.params,
        status: 302,
        body: { location: `${back.origin}${back.pathname}?${abbreviate(back.search.slice(1))}` },
        headers: {},
      },
    })
    if (params.error) {
      this.timeline.add({
        id: 'sso-redirect',
        title: 'sso.redirect',
        state: 'refused',
        text: 'sso.redirectError',
        params: { error: params.error, description: params.error_description ?? '' },
      })
      return
    }
    const stateOk = params.state === pending.state
    const issOk = params.iss === discovery.issuer
    this.timeline.add({
      id: 'sso-redirect',
      title: 'sso.redirect',
      state: stateOk && issOk ? 'done' : 'failed',
      text: stateOk && issOk ? 'sso.redirectText' : 'sso.redirectMismatch',
      params: {
        code: abbreviate(params.code ?? ''),
        iss: params.iss ?? '—',
      },
    })
    if (!stateOk || !issOk) return

    const token = await call('POST', new URL(discovery.token_endpoint).pathname, {
      form: {
        grant_type: 'authorization_code',
        code: params.code ?? '',
        redirect_uri: redirectUri(),
        client_id: FLOW_CLIENT_ID,
        code_verifier: pending.verifier,
      },
    })
    const body = token.body as { id_token?: string; access_token?: string; error?: string } | undefined
    if (token.status !== 200 || !body?.id_token || !body.access_token) {
      this.timeline.add({
        id: 'sso-token',
        title: 'sso.token',
        state: 'failed',
        text: 'sso.tokenFailed',
        params: { error: body?.error ?? String(token.status) },
        exchange: token,
      })
      return
    }
    this.timeline.add({
      id: 'sso-token',
      title: 'sso.token',
      state: 'done',
      text: 'sso.tokenText',
      exchange: token,
      tokens: [{ label: 'sso.accessToken', value: body.access_token, jwt: true }],
    })
    await this.checkIdToken(pending, body.id_token, body.access_token)
    await this.showSession(pending.before)
  }

  private async checkIdToken(pending: PendingRequest, idToken: string, accessToken: string): Promise<void> {
    const jwks = await call('GET', new URL(pending.discovery.jwks_uri).pathname)
    try {
      const verified = await verifyJWT(idToken, createLocalJWKSet(jwks.body as JWKSet), {
        algorithms: ['RS256', 'ES256', 'EdDSA'],
        issuer: pending.discovery.issuer,
        audience: FLOW_CLIENT_ID,
        requiredClaims: ['sub', 'sid', 'auth_time', 'iat', 'exp'],
      })
      const alg = String(verified.protectedHeader.alg)
      const claims = verified.payload
      const nonceOk = claims.nonce === pending.nonce
      const atHashOk = claims.at_hash === (await atHash(accessToken, alg))
      this.timeline.add({
        id: 'sso-id-token',
        title: 'sso.idToken',
        state: nonceOk && atHashOk ? 'done' : 'failed',
        text: nonceOk && atHashOk ? 'sso.idTokenText' : 'sso.idTokenMismatch',
        params: { alg, kid: String(verified.protectedHeader.kid ?? '—'), nonce: String(claims.nonce ?? '—') },
        exchange: jwks,
        tokens: [{ label: 'sso.idTokenLabel', value: idToken, jwt: true }],
      })
    } catch (error) {
      this.timeline.add({
        id: 'sso-id-token',
        title: 'sso.idToken',
        state: 'failed',
        text: 'sso.idTokenInvalid',
        params: { error: (error as { code?: string }).code ?? String(error) },
        exchange: jwks,
        tokens: [{ label: 'sso.idTokenLabel', value: idToken, jwt: true }],
      })
    }
    const claims = decodeJWT(idToken) as { sid?: string }
    this.idTokenSid = claims.sid
  }

  /** On a plain page load: the provider session this browser already holds (signed in at Notes, say). */
  showExisting(demo: SsoDemo): void {
    const session = demo.session
    if (!session || this.timeline.has('sso-session')) return
    this.session = session
    this.timeline.add({
      id: 'sso-session',
      title: 'sso.session',
      state: 'info',
      text: 'sso.sessionExisting',
      params: {
        sid: session.sid,
        authTime: time(session.auth_time),
        clients: session.clients.map((c) => c.name).join(', ') || '—',
      },
      actions: [
        { id: 'sso-refresh', label: 'sso.refresh', run: () => void this.showSession() },
        { id: 'sso-logout', label: 'sso.logout', run: () => void this.logout() },
      ],
    })
  }

  /** The provider session behind the page's cookie, and every client signed in under its sid. */
  private async showSession(before?: PendingRequest['before']): Promise<void> {
    const { exchange, demo } = await fetchSsoDemo()
    this.onDemo(demo)
    const session = demo?.session ?? null
    this.session = session
    const step = {
      id: 'sso-session',
      title: 'sso.session' as const,
      exchange,
      actions: session ? this.actions() : [],
    }
    const others = session?.clients.filter((c) => c.client_id !== FLOW_CLIENT_ID).map((c) => c.name) ?? []
    const patch = session
      ? {
          state: 'done' as const,
          text: before
            ? before.auth_time === session.auth_time && before.sid === session.sid
              ? ('sso.sessionSilent' as const)
              : ('sso.sessionNew' as const)
            : ('sso.sessionText' as const),
          params: {
            sid: session.sid,
            authTime: time(session.auth_time),
            matches: session.sid === this.idTokenSid ? '=' : '≠',
            clients: session.clients.map((c) => c.name).join(', '),
            others: others.length > 0 ? others.join(', ') : '—',
          },
        }
      : { state: 'info' as const, text: 'sso.noSession' as const }
    if (this.timeline.has('sso-session')) this.timeline.update('sso-session', { ...step, ...patch })
    else this.timeline.add({ ...step, ...patch })
  }

  /** Ends the provider session from this page; the provider tells the other clients over the back channel. */
  private async logout(): Promise<void> {
    const told = (this.session?.clients ?? [])
      .filter((c) => c.client_id !== FLOW_CLIENT_ID)
      .map((c) => c.name)
    this.timeline.update('sso-session', { actions: [] })
    const logout = await call('POST', '/session/logout', { json: {} })
    this.timeline.add({
      id: 'sso-logout',
      title: 'sso.logoutStep',
      state: logout.status < 300 ? 'done' : 'failed',
      text: 'sso.logoutText',
      params: { status: logout.status, clients: told.length > 0 ? told.join(', ') : '—' },
      exchange: logout,
    })
    const { exchange, demo } = await fetchSsoDemo()
    this.onDemo(demo)
    this.session = demo?.session ?? null
    this.timeline.add({
      id: 'sso-after',
      title: 'sso.after',
      state: this.session ? 'failed' : 'done',
      text: this.session ? 'sso.afterStill' : 'sso.afterText',
      params: { clients: told.length > 0 ? told.join(', ') : '—' },
      exchange,
    })
  }
}
