/**
 * @module The authorization endpoint's decisions, as small named steps: prove the client, validate the
 * request, verify the hint, then ask for a password only when there is no session or the request asks
 * again (`prompt=login`, `max_age`), ask for consent only when none covers the scopes (or
 * `prompt=consent`), and issue the code. The provider session is the cookie session, so a user signed in
 * for one client is not asked again by the next (single sign-on). Routes turn the outcome into HTTP.
 */
import type { Clock } from '../../clock.js'
import { CredentialsInvalid, SessionExpired, SessionInvalid, Throttled } from '../../errors.js'
import type { ActiveSession, SessionService } from '../../sessions/session-service.js'
import type { OAuthClientRecord, Store, UserRecord } from '../../store/types.js'
import type { UserService } from '../../users/user-service.js'
import type { AuthorizationRequest } from './authorization-request.js'
import { AuthorizeError } from './authorize-error.js'
import { type HintKeys, verifyIdTokenHint } from './id-token-hint.js'
import { type Interaction, InteractionSealer } from './interaction.js'
import { issueCode } from './issue-code.js'
import { codeRedirect, errorRedirect } from './redirects.js'
import type { RequestParams } from './request-params.js'
import { type ClientDirectory, echoedState, proveClient, validateRequest } from './validate-request.js'

export interface AuthorizeFlowDeps {
  store: Pick<Store, 'codes' | 'sessionClients' | 'consents' | 'audit'>
  clock: Clock
  issuer: () => string
  clients: ClientDirectory
  keys: HintKeys
  sessions: SessionService
  users: Pick<UserService, 'authenticate'>
  /** 32 bytes derived from TESSERA_SECRET: seals pending requests into the pages' forms. */
  interactionKey: Buffer
  /**
   * Ends a provider session the way every logout does (its refresh families revoked, its clients told
   * over the back channel): used when another user signs in in the same browser.
   */
  endSession(sid: string): Promise<unknown>
}

/** A page to show, with the sealed request its form posts back. */
export interface PageOutcome {
  kind: 'login' | 'consent'
  request: AuthorizationRequest
  client: OAuthClientRecord
  sealed: string
  csrf: string
  /** Consent: who is asked. */
  user?: UserRecord
  /** Login: why the last attempt failed. */
  failure?: { reason: 'credentials' } | { reason: 'throttled'; retryAfter: number }
}

export type AuthorizeOutcome = { kind: 'redirect'; location: string } | PageOutcome

/** What a form post carries besides the sealed request. */
export interface FormInput {
  sealed: string | undefined
  csrf: string | undefined
  /** The browser-binding cookie. */
  binding: string | undefined
}

export class AuthorizeFlow {
  readonly #d: AuthorizeFlowDeps
  readonly #sealer: InteractionSealer

  constructor(deps: AuthorizeFlowDeps) {
    this.#d = deps
    this.#sealer = new InteractionSealer(deps.interactionKey)
  }

  /** The live session behind the cookie, or undefined (an ended or expired one counts as none). */
  async currentSession(cookieId: string | undefined): Promise<ActiveSession | undefined> {
    if (cookieId === undefined) return undefined
    try {
      return await this.#d.sessions.resolve(cookieId)
    } catch (error) {
      if (error instanceof SessionInvalid || error instanceof SessionExpired) return undefined
      throw error
    }
  }

  /**
   * `GET`/`POST /authorize`. Throws AuthorizeError only for refusals that must be a page (the client
   * or its redirect_uri unproven); every other refusal is a redirect outcome.
   */
  async start(
    params: RequestParams,
    session: ActiveSession | undefined,
    binding: () => string,
  ): Promise<AuthorizeOutcome> {
    const proven = await proveClient(params, this.#d.clients)
    try {
      const request = validateRequest(params, proven)
      const hintSub =
        request.idTokenHint === null
          ? null
          : await verifyIdTokenHint(
              request.idTokenHint,
              { issuer: this.#d.issuer(), clientId: proven.client.id },
              this.#d.keys,
            )
      // Only the verified `sub` travels on: the hint itself (up to 8 KB) would bloat every form.
      return await this.#continue(
        { ...request, idTokenHint: null },
        hintSub,
        proven.client,
        session,
        binding,
        false,
      )
    } catch (error) {
      if (error instanceof AuthorizeError && error.redirect)
        return this.#refusal(proven.redirectUri, error, echoedState(params))
      throw error
    }
  }

  /**
   * The login form. A wrong password shows the page again (the same throttling and equal-work check
   * as /auth/login: this calls the same service). On success the session is created — or, for the
   * user already signed in, re-authenticated in place — and the request continues. `issued` is a new
   * session cookie to set.
   */
  async login(
    form: FormInput & { username: string | undefined; password: string | undefined; ip: string },
    session: ActiveSession | undefined,
    cookieId: string | undefined,
  ): Promise<{ outcome: AuthorizeOutcome; issued?: string }> {
    const interaction = this.#open(form, 'login')
    const client = await this.#client(interaction.request)
    let user: UserRecord
    try {
      user = await this.#d.users.authenticate(form.username ?? '', form.password ?? '', form.ip)
    } catch (error) {
      if (error instanceof CredentialsInvalid)
        return { outcome: this.#page('login', interaction, client, { failure: { reason: 'credentials' } }) }
      if (error instanceof Throttled)
        return {
          outcome: this.#page('login', interaction, client, {
            failure: { reason: 'throttled', retryAfter: error.retryAfterSeconds },
          }),
        }
      throw error
    }
    let active: ActiveSession
    let issued: string | undefined
    if (session && session.user.id === user.id) {
      active = { user, record: await this.#d.sessions.reauthenticate(session.record) }
    } else {
      // Another user in this browser: the first one's session ends, as if they had logged out.
      if (session) await this.#d.endSession(session.record.sid)
      const created = await this.#d.sessions.login(user, cookieId)
      active = { user, record: created.record }
      issued = created.id
    }
    const binding = () => form.binding!
    try {
      const outcome = await this.#continue(
        interaction.request,
        interaction.hintSub ?? null,
        client,
        active,
        binding,
        true,
      )
      return issued === undefined ? { outcome } : { outcome, issued }
    } catch (error) {
      if (error instanceof AuthorizeError && error.redirect)
        return {
          outcome: this.#refusal(interaction.request.redirectUri, error, interaction.request.state),
          ...(issued === undefined ? {} : { issued }),
        }
      throw error
    }
  }

  /** The consent form: `allow` remembers the grant and issues the code, `deny` is access_denied. */
  async consent(
    form: FormInput & { decision: string | undefined },
    session: ActiveSession | undefined,
  ): Promise<AuthorizeOutcome> {
    const interaction = this.#open(form, 'consent')
    const { request } = interaction
    await this.#client(request)
    // The session must still be the one the page was shown to: a consent form is no way into another.
    if (!session || session.record.sid !== interaction.sid || session.user.id !== interaction.userId)
      throw new AuthorizeError(
        'ERR_AUTHORIZE_INTERACTION',
        'you were signed out or signed in as someone else since this page was shown: start again from the application',
      )
    if (form.decision === 'deny')
      return this.#refusal(
        request.redirectUri,
        new AuthorizeError('ERR_AUTHORIZE_ACCESS_DENIED', 'the user declined the request'),
        request.state,
      )
    if (form.decision !== 'allow')
      throw new AuthorizeError(
        'ERR_AUTHORIZE_INTERACTION',
        'the consent form must send consent=allow or deny',
      )
    const now = this.#d.clock()
    await this.#d.store.consents.grant(session.user.id, request.clientId, request.scope, now)
    await this.#d.store.audit.append({
      at: now,
      type: 'oidc.consent.granted',
      userId: session.user.id,
      detail: { client_id: request.clientId, scope: request.scope },
    })
    return this.#code(request, session)
  }

  /** `hintSub`: the `sub` of a verified id_token_hint, or null. */
  async #continue(
    request: AuthorizationRequest,
    hintSub: string | null,
    client: OAuthClientRecord,
    session: ActiveSession | undefined,
    binding: () => string,
    justAuthenticated: boolean,
  ): Promise<AuthorizeOutcome> {
    const prompt = new Set(request.prompt)
    const now = this.#d.clock()
    const wrongUser = session !== undefined && hintSub !== null && session.user.id !== hintSub
    if (justAuthenticated && wrongUser)
      throw new AuthorizeError(
        'ERR_AUTHORIZE_LOGIN_REQUIRED',
        'the user who signed in is not the one id_token_hint names',
      )
    // max_age=0 always asks (OIDC Core §3.1.2.1), even within the millisecond of the last sign-in.
    const tooOld =
      session !== undefined &&
      request.maxAge !== null &&
      (request.maxAge === 0 || now - session.record.authTime > request.maxAge * 1000)
    const askAgain = !justAuthenticated && (prompt.has('login') || prompt.has('select_account') || tooOld)
    if (!session || askAgain || wrongUser) {
      if (prompt.has('none'))
        throw new AuthorizeError(
          'ERR_AUTHORIZE_LOGIN_REQUIRED',
          !session
            ? 'the user is not signed in at this server'
            : wrongUser
              ? 'the signed-in user is not the one id_token_hint names'
              : 'the user must sign in again (max_age)',
        )
      const interaction = this.#sealer.create(
        request,
        binding(),
        now,
        'login',
        hintSub === null ? {} : { hintSub },
      )
      return this.#page('login', interaction, client)
    }
    if (prompt.has('consent') || !(client.firstParty || (await this.#consented(session, request)))) {
      if (prompt.has('none'))
        throw new AuthorizeError(
          'ERR_AUTHORIZE_CONSENT_REQUIRED',
          'the user has not granted this client these scopes',
        )
      const interaction = this.#sealer.create(request, binding(), now, 'consent', {
        sid: session.record.sid,
        userId: session.user.id,
      })
      return this.#page('consent', interaction, client, { user: session.user })
    }
    return this.#code(request, session)
  }

  async #consented(session: ActiveSession, request: AuthorizationRequest): Promise<boolean> {
    const granted = await this.#d.store.consents.find(session.user.id, request.clientId)
    if (!granted) return false
    const scopes = new Set(granted.scope.split(' '))
    return request.scope.split(' ').every((s) => scopes.has(s))
  }

  async #code(request: AuthorizationRequest, session: ActiveSession): Promise<AuthorizeOutcome> {
    const { record, user } = session
    const code = await issueCode(
      this.#d.store,
      request,
      { userId: user.id, sid: record.sid, authTime: record.authTime, amr: record.amr },
      this.#d.clock(),
    )
    return {
      kind: 'redirect',
      location: codeRedirect(request.redirectUri, code, request.state, this.#d.issuer()),
    }
  }

  #refusal(redirectUri: string, error: AuthorizeError, state: string | null): AuthorizeOutcome {
    return {
      kind: 'redirect',
      location: errorRedirect(
        redirectUri,
        { error: error.error, description: error.message },
        state,
        this.#d.issuer(),
      ),
    }
  }

  #open(form: FormInput, stage: Interaction['stage']): Interaction {
    return this.#sealer.open(form.sealed, { csrf: form.csrf, binding: form.binding }, stage, this.#d.clock())
  }

  /**
   * The client of a pending request, still registered with that redirect_uri: either may have been
   * removed while the page was open, and a code must never go to a URI no longer registered.
   */
  async #client(request: AuthorizationRequest): Promise<OAuthClientRecord> {
    const client = await this.#d.clients.find(request.clientId)
    if (!client)
      throw new AuthorizeError('ERR_AUTHORIZE_CLIENT_UNKNOWN', 'this client is no longer registered here')
    if (!this.#d.clients.matchRedirectUri(client, request.redirectUri))
      throw new AuthorizeError(
        'ERR_AUTHORIZE_REDIRECT_URI',
        'this redirect_uri is no longer registered for the client',
      )
    return client
  }

  #page(
    kind: PageOutcome['kind'],
    interaction: Interaction,
    client: OAuthClientRecord,
    extra: Pick<PageOutcome, 'user' | 'failure'> = {},
  ): PageOutcome {
    return {
      kind,
      request: interaction.request,
      client,
      sealed: this.#sealer.seal(interaction),
      csrf: interaction.csrf,
      ...extra,
    }
  }
}
