/**
 * @module Issuing, rotating, verifying, introspecting and revoking tokens: the policy of token mode.
 *
 * Access tokens are RFC 9068 JWTs (`typ: at+jwt`) carrying `sid`, the refresh family they came from.
 * Refresh tokens rotate on every use through the Store's single compare-and-set (`consumeRefreshToken`),
 * which also decides grace replays and theft. Routes call this; it never sees HTTP.
 */
import { randomBytes } from 'node:crypto'
import { createVerifier, type JWTPayload, type Verifier } from '@tessera/jose'
import type { Clock } from '../clock.js'
import { AccessTokenInvalid, ClientUnknown, RefreshTokenInvalid, RefreshTokenReused } from '../errors.js'
import type { KeyRing } from '../keys/key-ring.js'
import type { RefreshFamily, Store, UserRecord } from '../store/types.js'
import { deriveRefreshToken, hashRefreshToken, looksLikeRefreshToken } from './refresh-token.js'

export interface TokenPolicy {
  audience: string
  /** Seconds. */
  accessTtl: number
  refreshTtl: number
  refreshIdleTtl: number
  refreshGrace: number
  clockSkew: number
  scope: string
  clients: readonly string[]
}

export interface TokenServiceDeps {
  store: Store
  clock: Clock
  keys: KeyRing
  policy: TokenPolicy
  refreshTokenKey: Buffer
  /** The issuer now (it may follow the real listening address). */
  issuer: () => string
}

export interface TokenSet {
  accessToken: string
  expiresIn: number
  refreshToken: string
  /** Seconds until the refresh token's family reaches its absolute lifetime. */
  refreshExpiresIn: number
  scope: string
  familyId: string
  userId: string
}

export interface AccessClaims extends JWTPayload {
  iss: string
  sub: string
  aud: string
  exp: number
  iat: number
  jti: string
  client_id: string
  scope: string
  sid: string
}

export interface IntrospectionResult {
  active: boolean
  token_type?: 'access_token' | 'refresh_token'
  scope?: string
  client_id?: string
  username?: string
  sub?: string
  aud?: string
  iss?: string
  exp?: number
  iat?: number
  jti?: string
  sid?: string
}

export class TokenService {
  readonly #d: TokenServiceDeps
  #verifier: { issuer: string; verify: Verifier } | undefined

  constructor(deps: TokenServiceDeps) {
    this.#d = deps
  }

  get policy(): TokenPolicy {
    return this.#d.policy
  }

  checkClient(clientId: string | undefined): string {
    const id = clientId ?? this.#d.policy.clients[0]!
    if (!this.#d.policy.clients.includes(id))
      throw new ClientUnknown(`client_id "${id.slice(0, 64)}" is not a client of this server`)
    return id
  }

  /** Starts a new refresh family for a user who just proved who they are, and signs the first pair. */
  async issueForLogin(user: UserRecord, options: { clientId: string; cookie: boolean }): Promise<TokenSet> {
    const { store, clock, policy, refreshTokenKey } = this.#d
    const now = clock()
    const familyId = randomBytes(16).toString('base64url')
    const absoluteExpiresAt = now + policy.refreshTtl * 1000
    const refreshToken = deriveRefreshToken(refreshTokenKey, familyId, 0)
    await store.createRefreshFamily(
      {
        id: familyId,
        userId: user.id,
        clientId: options.clientId,
        scope: policy.scope,
        cookieBound: options.cookie,
        createdAt: now,
        absoluteExpiresAt,
      },
      {
        hash: hashRefreshToken(refreshToken),
        generation: 0,
        createdAt: now,
        idleExpiresAt: Math.min(now + policy.refreshIdleTtl * 1000, absoluteExpiresAt),
      },
    )
    await store.appendAudit({ at: now, type: 'login', userId: user.id, familyId })
    return this.#pair(user.id, familyId, options.clientId, policy.scope, refreshToken, absoluteExpiresAt, now)
  }

  #pair(
    userId: string,
    familyId: string,
    clientId: string,
    scope: string,
    refreshToken: string,
    absoluteExpiresAt: number,
    now: number,
  ): TokenSet {
    const { policy, keys } = this.#d
    const iat = Math.floor(now / 1000)
    const claims: AccessClaims = {
      iss: this.#d.issuer(),
      sub: userId,
      aud: policy.audience,
      exp: iat + policy.accessTtl,
      iat,
      jti: randomBytes(16).toString('base64url'),
      client_id: clientId,
      scope,
      sid: familyId,
    }
    return {
      accessToken: keys.sign(claims).token,
      expiresIn: policy.accessTtl,
      refreshToken,
      refreshExpiresIn: Math.max(0, Math.floor((absoluteExpiresAt - now) / 1000)),
      scope,
      familyId,
      userId,
    }
  }

  /**
   * Rotates a refresh token: the presented one is consumed and a new pair issued. A replay inside the
   * grace window by the same client gets the same successor; any other replay revokes the family.
   */
  async refresh(refreshToken: string, options: { clientId: string; viaCookie: boolean }): Promise<TokenSet> {
    const { store, clock, policy, refreshTokenKey } = this.#d
    if (!looksLikeRefreshToken(refreshToken)) throw new RefreshTokenInvalid('the refresh token is malformed')
    const hash = hashRefreshToken(refreshToken)
    const found = await store.findRefreshToken(hash)
    if (!found)
      throw new RefreshTokenInvalid('the refresh token is unknown, expired or revoked: log in again')
    const { token, family } = found
    if (family.cookieBound !== options.viaCookie) {
      throw new RefreshTokenInvalid(
        family.cookieBound
          ? 'this refresh token belongs in the refresh cookie; send the cookie, not the token in the body'
          : 'this refresh token was issued in the body; send it as refresh_token',
      )
    }
    const now = clock()
    const generation = token.generation + 1
    const successor = deriveRefreshToken(refreshTokenKey, family.id, generation)
    const result = await store.consumeRefreshToken({
      hash,
      successor: {
        hash: hashRefreshToken(successor),
        generation,
        createdAt: now,
        idleExpiresAt: Math.min(now + policy.refreshIdleTtl * 1000, family.absoluteExpiresAt),
      },
      now,
      graceMs: policy.refreshGrace * 1000,
      clientId: options.clientId,
    })
    switch (result.outcome) {
      case 'rotated':
      case 'grace': {
        const user = await store.findUserById(family.userId)
        if (!user || user.disabled) {
          await store.revokeRefreshFamily(family.id, 'user_disabled', now)
          throw new RefreshTokenInvalid('the account is disabled')
        }
        const value = deriveRefreshToken(refreshTokenKey, family.id, result.token.generation)
        if (result.outcome === 'grace') {
          await store.appendAudit({
            at: now,
            type: 'refresh.grace',
            userId: family.userId,
            familyId: family.id,
          })
        }
        return this.#pair(
          family.userId,
          family.id,
          family.clientId,
          family.scope,
          value,
          family.absoluteExpiresAt,
          now,
        )
      }
      case 'reused':
        await store.appendAudit({
          at: now,
          type: 'refresh.reuse_detected',
          userId: family.userId,
          familyId: family.id,
        })
        throw new RefreshTokenReused()
      case 'invalid': {
        const why = {
          unknown: 'the refresh token is unknown',
          expired: 'the refresh token has expired: log in again',
          revoked: 'the refresh token was revoked: log in again',
          client_mismatch: 'the refresh token was issued to another client_id',
        }[result.reason]
        throw new RefreshTokenInvalid(why)
      }
    }
  }

  #verify(): Verifier {
    const issuer = this.#d.issuer()
    if (this.#verifier?.issuer !== issuer) {
      const verify = createVerifier({
        key: (header: Record<string, unknown>) => this.#d.keys.publicKey(header.kid),
        algorithms: ['ES256', 'EdDSA'],
        issuer,
        audience: this.#d.policy.audience,
        typ: 'at+jwt',
        requiredClaims: ['sub', 'exp', 'iat', 'jti', 'client_id', 'sid'],
        clockTolerance: this.#d.policy.clockSkew,
        clock: this.#d.clock,
        maxTokenLength: 8192,
      })
      this.#verifier = { issuer, verify }
    }
    return this.#verifier.verify
  }

  /**
   * Verifies an access token here, at the issuer: signature and claims, and (unlike a resource server
   * verifying alone) that its refresh family is still alive, so a revoked session is refused at once.
   */
  async verifyAccessToken(token: string): Promise<{ claims: AccessClaims; family: RefreshFamily }> {
    let claims: AccessClaims
    try {
      claims = this.#verify()(token).payload as AccessClaims
    } catch (error) {
      const code = (error as { code?: string }).code
      const message =
        code === 'ERR_JWT_EXPIRED' ? 'the access token has expired' : 'the access token is not valid'
      throw new AccessTokenInvalid(message, { cause: error })
    }
    const family = await this.#d.store.findRefreshFamily(claims.sid)
    if (!family || family.revokedAt !== null)
      throw new AccessTokenInvalid('the session of this access token was ended')
    return { claims, family }
  }

  /** RFC 7662 §2.2. Anything not active, for any reason, is just `{ active: false }`. */
  async introspect(token: string, hint?: string): Promise<IntrospectionResult> {
    const asRefresh = async (): Promise<IntrospectionResult | undefined> => {
      if (!looksLikeRefreshToken(token)) return undefined
      const found = await this.#d.store.findRefreshToken(hashRefreshToken(token))
      const now = this.#d.clock()
      if (!found) return undefined
      const { token: t, family } = found
      if (
        t.state !== 'active' ||
        family.revokedAt !== null ||
        now >= t.idleExpiresAt ||
        now >= family.absoluteExpiresAt
      ) {
        return { active: false }
      }
      const user = await this.#d.store.findUserById(family.userId)
      return {
        active: true,
        token_type: 'refresh_token',
        scope: family.scope,
        client_id: family.clientId,
        ...(user ? { username: user.username } : {}),
        sub: family.userId,
        iss: this.#d.issuer(),
        exp: Math.floor(Math.min(t.idleExpiresAt, family.absoluteExpiresAt) / 1000),
        iat: Math.floor(t.createdAt / 1000),
        sid: family.id,
      }
    }
    const asAccess = async (): Promise<IntrospectionResult | undefined> => {
      if (token.split('.').length !== 3) return undefined
      try {
        const { claims } = await this.verifyAccessToken(token)
        const user = await this.#d.store.findUserById(claims.sub)
        return {
          active: true,
          token_type: 'access_token',
          scope: claims.scope,
          client_id: claims.client_id,
          ...(user ? { username: user.username } : {}),
          sub: claims.sub,
          aud: claims.aud,
          iss: claims.iss,
          exp: claims.exp,
          iat: claims.iat,
          jti: claims.jti,
          sid: claims.sid,
        }
      } catch {
        return { active: false }
      }
    }
    // token_type_hint is only a hint (RFC 7662 §2.1): try the other kind when the first says nothing.
    const order = hint === 'refresh_token' ? [asRefresh, asAccess] : [asAccess, asRefresh]
    for (const attempt of order) {
      const result = await attempt()
      if (result) return result
    }
    return { active: false }
  }

  /**
   * RFC 7009: revokes the family behind a refresh token or an access token (its `sid`). Unknown or
   * invalid tokens are not an error (§2.2). A `clientId` that does not own the token changes nothing.
   */
  async revoke(token: string, clientId?: string): Promise<void> {
    const now = this.#d.clock()
    const family = await this.#familyOf(token)
    if (!family || (clientId !== undefined && family.clientId !== clientId)) return
    if (await this.#d.store.revokeRefreshFamily(family.id, 'revoked', now)) {
      await this.#d.store.appendAudit({
        at: now,
        type: 'token.revoked',
        userId: family.userId,
        familyId: family.id,
      })
    }
  }

  /** Ends a family (logout). Returns whether one was found. */
  async endFamily(familyId: string, reason = 'logout'): Promise<boolean> {
    const now = this.#d.clock()
    const family = await this.#d.store.findRefreshFamily(familyId)
    if (!family) return false
    if (await this.#d.store.revokeRefreshFamily(family.id, reason, now)) {
      await this.#d.store.appendAudit({ at: now, type: reason, userId: family.userId, familyId: family.id })
    }
    return true
  }

  async familyOfRefreshToken(token: string): Promise<RefreshFamily | undefined> {
    if (!looksLikeRefreshToken(token)) return undefined
    return (await this.#d.store.findRefreshToken(hashRefreshToken(token)))?.family
  }

  async #familyOf(token: string): Promise<RefreshFamily | undefined> {
    const byRefresh = await this.familyOfRefreshToken(token)
    if (byRefresh) return byRefresh
    if (token.split('.').length !== 3) return undefined
    try {
      const claims = this.#verify()(token).payload as AccessClaims
      return await this.#d.store.findRefreshFamily(claims.sid)
    } catch {
      return undefined
    }
  }
}
