/**
 * @module The storage contract every backend implements (SQLite now; PostgreSQL and Redis next).
 *
 * All times are milliseconds since the epoch, passed in by the caller (the store never reads a clock),
 * so tests move time. Every method that changes more than one row does it atomically. Refresh-token
 * rotation is one operation, `consumeRefreshToken`: a compare-and-set on the presented token's row
 * (`active` → `rotated`) with reuse detection and the grace window decided in the same transaction,
 * so two servers can never both rotate one token (cf. better-auth TODO(invalidate-family-race),
 * oidc-provider's `consume`).
 */

export interface UserRecord {
  id: string
  username: string
  passwordHash: string
  disabled: boolean
  createdAt: number
  updatedAt: number
}

export interface NewUser {
  id: string
  username: string
  passwordHash: string
  createdAt: number
}

/** A refresh-token family: one login's chain of rotations. Its id is the `sid` in access tokens. */
export interface RefreshFamily {
  id: string
  userId: string
  clientId: string
  scope: string
  /** Tokens of this family are accepted only from the refresh cookie. */
  cookieBound: boolean
  createdAt: number
  /** Fixed at creation: no rotated token outlives the first (issue 6). */
  absoluteExpiresAt: number
  revokedAt: number | null
  revokedReason: string | null
}

export type RefreshTokenState = 'active' | 'rotated' | 'revoked'

export interface RefreshTokenRecord {
  /** SHA-256 of the token, hex. The token itself is never stored. */
  hash: string
  familyId: string
  generation: number
  state: RefreshTokenState
  createdAt: number
  idleExpiresAt: number
  rotatedAt: number | null
  successorHash: string | null
}

export interface NewRefreshToken {
  hash: string
  generation: number
  createdAt: number
  idleExpiresAt: number
}

export interface ConsumeRefreshInput {
  hash: string
  /** The successor this rotation would create (the caller derives it from family and generation). */
  successor: NewRefreshToken
  now: number
  /** Milliseconds after a rotation during which a replay of the previous token is not theft. */
  graceMs: number
  clientId: string
}

/**
 * - `rotated`: this call won the compare-and-set; `successor` is now the family's active token.
 * - `grace`: the token was rotated moments ago by the same client and its successor is still the active
 *   one: answer with that same successor (idempotent; no new token exists).
 * - `reused`: an old token came back: the family and all its tokens are now revoked.
 * - `invalid`: unknown, expired, revoked, or another client's token.
 */
export type ConsumeRefreshResult =
  | { outcome: 'rotated'; family: RefreshFamily; token: RefreshTokenRecord }
  | { outcome: 'grace'; family: RefreshFamily; token: RefreshTokenRecord }
  | { outcome: 'reused'; family: RefreshFamily }
  | { outcome: 'invalid'; reason: 'unknown' | 'expired' | 'revoked' | 'client_mismatch' }

/** A server-side session (session mode, issue 7). The id is stored only as a hash. */
export interface SessionRecord {
  hash: string
  userId: string
  createdAt: number
  lastSeenAt: number
  idleExpiresAt: number
  absoluteExpiresAt: number
  csrfToken: string | null
}

export interface SigningKeyRecord {
  kid: string
  alg: string
  /** Public JWK, JSON text. */
  publicJwk: string
  /** Private JWK encrypted with AES-256-GCM: base64url(iv ‖ ciphertext ‖ tag), `kid` as AAD. */
  encryptedPrivateJwk: string
  createdAt: number
  /** When it starts signing (published before, so caches have it). */
  activatesAt: number
  /** When it stops signing (null while current). */
  retiresAt: number | null
  /** When it leaves the JWKS (null while current). */
  removeAt: number | null
}

export interface AuditEvent {
  at: number
  type: string
  userId?: string | null
  familyId?: string | null
  ip?: string | null
  detail?: Record<string, unknown>
}

export interface ThrottleRecord {
  key: string
  count: number
  firstAt: number
  lastAt: number
}

export interface Store {
  readonly kind: 'sqlite' | 'postgres' | 'memory'
  close(): Promise<void>

  createUser(user: NewUser): Promise<UserRecord>
  findUserByUsername(username: string): Promise<UserRecord | undefined>
  findUserById(id: string): Promise<UserRecord | undefined>
  listUsers(): Promise<UserRecord[]>
  setPasswordHash(userId: string, passwordHash: string, now: number): Promise<void>
  setUserDisabled(userId: string, disabled: boolean, now: number): Promise<boolean>

  /** Creates a family and its first token in one transaction. */
  createRefreshFamily(
    family: Omit<RefreshFamily, 'revokedAt' | 'revokedReason'>,
    first: NewRefreshToken,
  ): Promise<void>
  findRefreshToken(hash: string): Promise<{ token: RefreshTokenRecord; family: RefreshFamily } | undefined>
  findRefreshFamily(id: string): Promise<RefreshFamily | undefined>
  consumeRefreshToken(input: ConsumeRefreshInput): Promise<ConsumeRefreshResult>
  /** Revokes the family and every token in it. False when it was unknown or already revoked. */
  revokeRefreshFamily(id: string, reason: string, now: number): Promise<boolean>
  revokeUserFamilies(userId: string, reason: string, now: number): Promise<number>
  /** Families with at least one active token, for admin listing. */
  countActiveFamilies(userId: string, now: number): Promise<number>

  createSession(session: SessionRecord): Promise<void>
  findSession(hash: string): Promise<SessionRecord | undefined>
  touchSession(hash: string, lastSeenAt: number, idleExpiresAt: number): Promise<void>
  deleteSession(hash: string): Promise<boolean>
  deleteUserSessions(userId: string): Promise<number>

  insertSigningKey(key: SigningKeyRecord): Promise<void>
  listSigningKeys(): Promise<SigningKeyRecord[]>
  /** Schedules a retirement: the key stops signing at `retiresAt` and leaves the JWKS at `removeAt`. */
  retireSigningKey(kid: string, retiresAt: number, removeAt: number): Promise<void>
  deleteSigningKeysRemovedBefore(now: number): Promise<number>

  appendAudit(event: AuditEvent): Promise<void>
  listAudit(options: { limit: number; userId?: string }): Promise<AuditEvent[]>

  /** Adds one event to the counter `key`; a counter older than `windowMs` starts again at 1. */
  hitThrottle(key: string, now: number, windowMs: number): Promise<ThrottleRecord>
  getThrottle(key: string): Promise<ThrottleRecord | undefined>
  clearThrottle(key: string): Promise<void>

  /** Deletes what can no longer be used: expired families, tokens, sessions, stale counters. */
  purgeExpired(now: number): Promise<void>

  /**
   * Optional (stores shared by several instances): calls `listener` soon after any instance adds or
   * retires a signing key (PostgreSQL NOTIFY, Redis pub/sub), so every key ring reloads at once instead
   * of at its next 30 s tick. Returns the unsubscribe function.
   */
  watchSigningKeys?(listener: () => void): () => void

  /**
   * Optional (shared stores): runs `work` while holding a lock no other instance can take at the same
   * time (PostgreSQL advisory lock); resolves undefined without running it when the lock is taken.
   */
  exclusive?<T>(name: string, work: () => Promise<T>): Promise<T | undefined>
}
