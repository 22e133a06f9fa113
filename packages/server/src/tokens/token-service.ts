/**
 * @module The one handle the routes and the CLI hold for token mode: wires the context once and forwards
 * each call to the module that does that one job (issue, refresh, access-token, introspect, revoke, clients).
 */
import type { Clock } from '../clock.js'
import type { KeyRing } from '../keys/key-ring.js'
import type { RevocationCheck } from '../revocation/revocation-feed.js'
import type { RefreshFamily, Store, UserRecord } from '../store/types.js'
import { type AccessClaims, AccessTokens } from './access-token.js'
import { type ClientRecord, checkClient, configuredClients } from './clients.js'
import { type IntrospectionResult, introspect } from './introspect.js'
import { type IssueOptions, issueForLogin } from './issue.js'
import { type RefreshOptions, refresh } from './refresh.js'
import { endFamily, familyOfRefreshToken, revoke } from './revoke.js'
import type { TokenContext, TokenPolicy } from './token-context.js'
import type { TokenSet } from './token-set.js'

export type { AccessClaims } from './access-token.js'
export type { ClientRecord } from './clients.js'
export type { IntrospectionResult } from './introspect.js'
export type { TokenPolicy } from './token-context.js'
export type { TokenSet } from './token-set.js'

export interface TokenServiceDeps {
  store: Store
  clock: Clock
  keys: KeyRing
  policy: TokenPolicy
  refreshTokenKey: Buffer
  /** The issuer now (it may follow the real listening address). */
  issuer: () => string
  /** The in-memory revocation set `checkAccessToken` answers from. */
  revocations?: RevocationCheck
}

export class TokenService {
  readonly #ctx: TokenContext

  constructor(deps: TokenServiceDeps) {
    const { store, clock, keys, policy, refreshTokenKey, issuer } = deps
    const access = new AccessTokens({
      keys,
      clock,
      issuer,
      families: store.refresh,
      audience: policy.audience,
      resources: policy.resources ?? [],
      accessTtl: policy.accessTtl,
      clockSkew: policy.clockSkew,
      ...(deps.revocations ? { revocations: deps.revocations } : {}),
    })
    const clients = configuredClients(policy.clients)
    this.#ctx = { store, clock, policy, refreshTokenKey, issuer, clients, access }
  }

  /** The shared context, for the OpenID Connect grants that reuse issuing and rotation. */
  get context(): TokenContext {
    return this.#ctx
  }

  get policy(): TokenPolicy {
    return this.#ctx.policy
  }

  /** The client a request speaks for (`client_id`, else the default). Throws ClientUnknown. */
  checkClient(clientId: string | undefined): ClientRecord {
    return checkClient(this.#ctx.clients, clientId)
  }

  issueForLogin(user: UserRecord, options: IssueOptions): Promise<TokenSet> {
    return issueForLogin(this.#ctx, user, options)
  }

  refresh(refreshToken: string, options: RefreshOptions): Promise<TokenSet> {
    return refresh(this.#ctx, refreshToken, options)
  }

  verifyAccessToken(token: string): Promise<{ claims: AccessClaims; family: RefreshFamily }> {
    return this.#ctx.access.verify(token)
  }

  /** Signature (cached) and the in-memory revocation set: no store call. */
  checkAccessToken(token: string): AccessClaims {
    return this.#ctx.access.check(token)
  }

  /** Signature and claims only (through the verifier's token cache). Throws AccessTokenInvalid. */
  verifyAccessSignature(token: string): AccessClaims {
    return this.#ctx.access.verifySignature(token)
  }

  introspect(token: string, hint?: string): Promise<IntrospectionResult> {
    return introspect(this.#ctx, token, hint)
  }

  revoke(token: string, clientId?: string): Promise<void> {
    return revoke(this.#ctx, token, clientId)
  }

  endFamily(familyId: string, reason?: string): Promise<boolean> {
    return endFamily(this.#ctx, familyId, reason)
  }

  familyOfRefreshToken(token: string): Promise<RefreshFamily | undefined> {
    return familyOfRefreshToken(this.#ctx, token)
  }
}
