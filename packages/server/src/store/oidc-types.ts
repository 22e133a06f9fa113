/**
 * @module The storage contract's OpenID Connect part — clients, authorization codes, consents, the
 * clients of a provider session, back-channel logout deliveries, single-use ids — and the revocation
 * snapshot every instance's in-memory set is loaded from. `types.ts` re-exports all of it.
 */

export type ClientType = 'confidential' | 'public'
export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt' | 'none'
/** RFC 9449 per client: proofs `required` at /token, `allowed` (Bearer without one), or `off` (ignored). */
export type ClientDPoPSetting = 'required' | 'allowed' | 'off'
export type IdTokenAlg = 'RS256' | 'ES256' | 'EdDSA'

/** A registered OAuth/OpenID Connect client (relying party). */
export interface OAuthClientRecord {
  /** client_id */
  id: string
  name: string
  type: ClientType
  /** Keyed hash of the secret (HMAC-SHA-256 with a key derived from TESSERA_SECRET), never the secret. */
  secretHash: string | null
  redirectUris: string[]
  postLogoutRedirectUris: string[]
  backchannelLogoutUri: string | null
  /** Skips consent. */
  firstParty: boolean
  /** The scopes it may ask for, space-separated (e.g. "openid profile email offline_access"). */
  scope: string
  /** Subset of authorization_code, refresh_token, client_credentials. */
  grantTypes: string[]
  tokenEndpointAuthMethod: ClientAuthMethod
  idTokenSignedResponseAlg: IdTokenAlg
  jwksUri: string | null
  /** JSON text of a JWKS (private_key_jwt). */
  jwks: string | null
  /** DPoP at /token; `allowed` when absent. */
  dpop?: ClientDPoPSetting
  createdAt: number
  updatedAt: number
}

export interface ClientRepository {
  /** Throws ClientExists on a taken id. */
  create(client: OAuthClientRecord): Promise<void>
  find(id: string): Promise<OAuthClientRecord | undefined>
  list(): Promise<OAuthClientRecord[]>
  update(
    id: string,
    changes: Partial<Omit<OAuthClientRecord, 'id' | 'createdAt'>>,
    now: number,
  ): Promise<boolean>
  remove(id: string): Promise<boolean>
}

export interface AuthorizationCodeRecord {
  /** SHA-256 hex of the code; the code itself is never stored. */
  hash: string
  clientId: string
  userId: string
  /** The provider session's public id. */
  sid: string
  redirectUri: string
  scope: string
  nonce: string | null
  /** S256 only. */
  codeChallenge: string
  /** ms */
  authTime: number
  amr: string[]
  resource: string | null
  dpopJkt: string | null
  createdAt: number
  /** ≤ 60 s after createdAt. */
  expiresAt: number
  consumedAt: number | null
  /** The refresh family (or grant id) its redemption issued, so a replay revokes it. */
  familyId: string | null
}

export type CodeConsumeResult =
  | { outcome: 'consumed'; code: AuthorizationCodeRecord }
  /** Already consumed: the caller revokes code.familyId. */
  | { outcome: 'replayed'; code: AuthorizationCodeRecord }
  | { outcome: 'unknown' }

export interface AuthorizationCodeRepository {
  create(code: AuthorizationCodeRecord): Promise<void>
  /** Atomic compare-and-set consumedAt NULL → now (one winner across instances). */
  consume(hash: string, now: number): Promise<CodeConsumeResult>
  setFamily(hash: string, familyId: string): Promise<void>
}

export interface ConsentRepository {
  find(userId: string, clientId: string): Promise<{ scope: string; grantedAt: number } | undefined>
  /** Remembers the union of what was granted before and `scope`. */
  grant(userId: string, clientId: string, scope: string, now: number): Promise<void>
  revoke(userId: string, clientId: string): Promise<boolean>
}

/** Which clients a provider session has signed in to (for back-channel logout). */
export interface SessionClientRepository {
  add(sid: string, clientId: string, userId: string, now: number): Promise<void>
  listForSession(sid: string): Promise<{ clientId: string; userId: string }[]>
  /** Every provider session of the user that signed in to a client (logout everywhere, disable). */
  listForUser(userId: string): Promise<{ sid: string; clientId: string }[]>
  removeSession(sid: string): Promise<void>
}

export interface BackchannelLogoutRecord {
  id: string
  clientId: string
  uri: string
  sid: string
  sub: string
  createdAt: number
  attempts: number
  nextAttemptAt: number
  deliveredAt: number | null
  lastError: string | null
}

export interface BackchannelLogoutRepository {
  enqueue(record: BackchannelLogoutRecord): Promise<void>
  /** Claims up to `limit` due deliveries (so two instances never send the same one at once). */
  claimDue(now: number, limit: number, leaseMs: number): Promise<BackchannelLogoutRecord[]>
  markDelivered(id: string, now: number): Promise<void>
  reschedule(id: string, attempts: number, nextAttemptAt: number, lastError: string): Promise<void>
}

/** Single-use ids (private_key_jwt `jti`, later DPoP proofs): true the first time, false after. */
export interface ReplayRepository {
  firstUse(id: string, expiresAt: number, now: number): Promise<boolean>
}

// ---- Revocation set ------------------------------------------------------------------------------

/** Families revoked and users disabled since a moment: what an instance's revocation set holds. */
export interface RevocationSnapshot {
  families: { id: string; userId: string; revokedAt: number }[]
  disabledUsers: { id: string; disabledAt: number }[]
}

export interface RevocationRepository {
  /** Every family revoked at or after `since`, and every user disabled (still) since then. */
  since(since: number): Promise<RevocationSnapshot>
  /** One cheap statement; throws StoreUnavailable when the database does not answer. */
  ping(): Promise<void>
}
