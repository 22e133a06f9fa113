/**
 * @module Token mode, step by step: login, the tokens decoded, `/me`, the access token running out,
 * the silent refresh, a stolen refresh token replayed, and the whole family revoked (theft detection).
 */
import { decodeJWT } from '@tessera/jose'
import { roughSpan, UNIT_KEYS } from '../debugger/time.js'
import { t } from '../i18n/index.js'
import { call, type Exchange, isMissing } from './api.js'
import type { Credentials } from './credentials.js'
import { meWording } from './server-work.js'
import type { Timeline } from './timeline.js'

/** The first-party browser client the server knows (its `clients` setting). */
export const CLIENT_ID = 'tessera-web'

interface TokenPair {
  access: string
  refresh: string
}

/** A short expiry is waited for in real time; a long one (15 min by default) is skipped on request. */
const MAX_REAL_WAIT_SECONDS = 90

function pairFrom(exchange: Exchange): TokenPair | undefined {
  const body = exchange.body as Record<string, unknown> | undefined
  if (
    exchange.status !== 200 ||
    typeof body?.access_token !== 'string' ||
    typeof body.refresh_token !== 'string'
  ) {
    return undefined
  }
  return { access: body.access_token, refresh: body.refresh_token }
}

function oauthError(exchange: Exchange): string {
  const body = exchange.body as Record<string, unknown> | undefined
  return typeof body?.error === 'string' ? body.error : String(exchange.status || '—')
}

function looksLikeJwt(value: string): boolean {
  return value.split('.').length === 3
}

function span(seconds: number): string {
  const rough = roughSpan(seconds)
  return t(UNIT_KEYS[rough.unit], { n: rough.value })
}

export class TokenFlow {
  private stolen: string | undefined
  private pair: TokenPair | undefined
  private timer: ReturnType<typeof setInterval> | undefined
  private running = false

  constructor(
    private readonly timeline: Timeline,
    private readonly credentials: () => Credentials,
  ) {}

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
  }

  async start(): Promise<void> {
    if (this.running) return
    this.running = true
    this.stop()
    this.timeline.clear()
    try {
      await this.login()
    } finally {
      this.running = false
    }
  }

  private async login(): Promise<void> {
    const { username, password } = this.credentials()
    const exchange = await call('POST', '/auth/login', { json: { username, password, client_id: CLIENT_ID } })
    if (isMissing(exchange)) {
      this.timeline.add({
        id: 'login',
        title: 'flow.token.login',
        state: 'unavailable',
        text: 'flow.unavailable',
        params: { path: '/auth/login' },
        exchange,
      })
      return
    }
    const pair = pairFrom(exchange)
    if (!pair) {
      this.timeline.add({
        id: 'login',
        title: 'flow.token.login',
        state: 'failed',
        text: 'flow.loginFailed',
        params: { error: oauthError(exchange) },
        exchange,
      })
      return
    }
    this.pair = pair
    this.stolen = pair.refresh
    this.timeline.add({
      id: 'login',
      title: 'flow.token.login',
      state: 'done',
      text: 'flow.token.loginText',
      exchange,
    })
    const body = exchange.body as { expires_in?: number }
    this.timeline.add({
      id: 'tokens',
      title: 'flow.token.tokens',
      state: 'info',
      text: 'flow.token.tokensText',
      params: { lifetime: span(body.expires_in ?? 0) },
      tokens: [
        { label: 'flow.accessToken', value: pair.access, jwt: true },
        { label: 'flow.refreshToken', value: pair.refresh, jwt: looksLikeJwt(pair.refresh) },
      ],
    })
    await this.me('me', pair.access, 'flow.token.me')
    this.waitForExpiry(pair.access)
  }

  private async me(
    id: string,
    access: string,
    title: 'flow.token.me' | 'flow.token.meAgain',
  ): Promise<Exchange> {
    const exchange = await call('GET', '/me', { bearer: access })
    const ok = exchange.status === 200
    // After exp a 200 is the server's clock-skew leeway, not a bug: say so rather than call it success.
    const late = id === 'me-expired'
    this.timeline.add({
      id,
      title,
      state: ok ? (late ? 'info' : 'done') : 'refused',
      text: ok
        ? late
          ? 'flow.token.meLeeway'
          : meWording(exchange.headers['server-timing'])
        : 'flow.token.meRefused',
      params: { status: exchange.status },
      exchange,
    })
    return exchange
  }

  private waitForExpiry(access: string): void {
    let exp = 0
    try {
      exp = Number(decodeJWT(access).exp ?? 0)
    } catch {
      // Not a JWT: nothing to count down; the skip button still works.
    }
    const remaining = () => exp - Math.floor(Date.now() / 1000)
    const realWait = exp > 0 && remaining() <= MAX_REAL_WAIT_SECONDS
    this.timeline.add({
      id: 'expiry',
      title: 'flow.token.expiry',
      state: 'waiting',
      text: realWait ? 'flow.token.expiryWait' : 'flow.token.expiryLong',
      live: () =>
        remaining() > 0 ? t('time.expiresIn', { span: span(remaining()) }) : t('flow.token.expiredNow'),
      actions: [{ id: 'skip-wait', label: 'flow.token.skip', run: () => void this.afterExpiry(false) }],
    })
    this.timer = setInterval(() => {
      this.timeline.tick()
      // One second past `exp` so the server's clock (same machine, or close) agrees it has passed.
      if (realWait && remaining() < -1) void this.afterExpiry(true)
    }, 1000)
  }

  private async afterExpiry(expired: boolean): Promise<void> {
    if (!this.pair || !this.timeline.has('expiry') || this.timeline.has('refresh')) return
    this.stop()
    this.timeline.update('expiry', {
      state: expired ? 'done' : 'info',
      actions: [],
      live: undefined,
      text: expired ? 'flow.token.expired' : 'flow.token.skipped',
    })
    if (expired) await this.me('me-expired', this.pair.access, 'flow.token.meAgain')
    await this.refresh('refresh', 'flow.token.refresh')
  }

  private async refresh(
    id: string,
    title: 'flow.token.refresh' | 'flow.token.refreshAgain',
  ): Promise<boolean> {
    const exchange = await call('POST', '/auth/refresh', {
      json: { refresh_token: this.pair!.refresh, client_id: CLIENT_ID },
    })
    const pair = pairFrom(exchange)
    if (!pair) {
      this.timeline.add({
        id,
        title,
        state: isMissing(exchange) ? 'unavailable' : 'failed',
        text: isMissing(exchange) ? 'flow.unavailable' : 'flow.token.refreshFailed',
        params: { path: '/auth/refresh', error: oauthError(exchange) },
        exchange,
      })
      return false
    }
    this.pair = pair
    this.timeline.add({
      id,
      title,
      state: 'done',
      text: 'flow.token.refreshText',
      exchange,
      tokens: [
        { label: 'flow.accessToken', value: pair.access, jwt: true },
        { label: 'flow.refreshToken', value: pair.refresh, jwt: looksLikeJwt(pair.refresh) },
      ],
      actions:
        id === 'refresh'
          ? [{ id: 'theft-button', label: 'flow.token.theftButton', run: () => void this.theft() }]
          : [],
    })
    return true
  }

  private async replayStolen(): Promise<Exchange> {
    return call('POST', '/auth/refresh', { json: { refresh_token: this.stolen!, client_id: CLIENT_ID } })
  }

  private async theft(): Promise<void> {
    if (!this.pair || !this.stolen || this.timeline.has('theft')) return
    this.timeline.update('refresh', { actions: [] })
    let replay = await this.replayStolen()
    if (replay.status === 200) {
      // Inside the grace window the server takes a replay of the previous token for a double-click and
      // answers with the same successor. The attacker's copy only shows up once the victim moves on.
      this.timeline.add({
        id: 'grace',
        title: 'flow.token.grace',
        state: 'info',
        text: 'flow.token.graceText',
        exchange: replay,
      })
      if (!(await this.refresh('refresh-again', 'flow.token.refreshAgain'))) return
      replay = await this.replayStolen()
    }
    const refused = replay.status >= 400 && replay.status < 500
    this.timeline.add({
      id: 'theft',
      title: 'flow.token.theft',
      state: refused ? 'refused' : 'failed',
      text: refused ? 'flow.token.theftText' : 'flow.token.theftAccepted',
      params: { error: oauthError(replay) },
      exchange: replay,
    })
    if (!refused) return
    // The family is gone: the legitimate client's newest refresh token and its access token fail too.
    const victim = await call('POST', '/auth/refresh', {
      json: { refresh_token: this.pair.refresh, client_id: CLIENT_ID },
    })
    const me = await call('GET', '/me', { bearer: this.pair.access })
    const revoked = victim.status >= 400 && victim.status < 500
    this.timeline.add({
      id: 'revoked',
      title: 'flow.token.revoked',
      state: revoked ? 'done' : 'failed',
      text: revoked ? 'flow.token.revokedText' : 'flow.token.notRevoked',
      params: { refresh: victim.status, me: me.status },
      exchange: victim,
    })
    this.timeline.add({
      id: 'revoked-me',
      title: 'flow.token.revokedMe',
      state: me.status === 401 ? 'refused' : 'info',
      text: 'flow.token.revokedMeText',
      params: { status: me.status },
      exchange: me,
    })
  }
}
