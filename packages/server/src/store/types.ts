/**
 * @module The storage contract: repositories per record kind, implemented once in SQL (SQLite and
 * PostgreSQL) with Redis repositories composed in for sessions, counters and revoked sessions.
 *
 * All times are milliseconds since the epoch, passed in by the caller (the store never reads a clock),
 * so tests move time. Every method that changes more than one row does it atomically. Refresh-token
 * rotation is one operation, `refresh.rotate`: the store locks the family, reads what the policy needs,
 * and applies the policy's decision (a compare-and-set on the presented token plus the successor insert,
 * or a revocation) in the same transaction, so two servers can never both rotate one token (cf.
 * better-auth TODO(invalidate-family-race), oidc-provider's `consume`). The policy itself lives in
 * `tokens/`, never here.
 */
import type {
  AuthorizationCodeRepository,
  BackchannelLogoutRepository,
  ClientRepository,
  ConsentRepository,
  ReplayRepository,
  RevocationRepository,
  SessionClientRepository,
} from './oidc-types.js'

export type * from './oidc-types.js'

export interface UserRecord {
  id: string
  username: string
  passwordHash: string
  disabled: boolean
  /** Display name (OIDC `name`), optional. */
  name: string | null
  /** OIDC `email`, optional. */
  email: string | null
  emailVerified: boolean
  createdAt: number
  updatedAt: number
}

/** The profile fields `UserRepository.setProfile` changes; an absent field is left as it is. */
export interface UserProfileChanges {
  name?: string | null
  email?: string | null
  emailVerified?: boolean
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
  /** Fixed at creation: no rotated token outlives the first. */
  absoluteExpiresAt: number
  revokedAt: number | null
  revokedReason: string | null
  /** The provider session it came from (back-channel logout revokes those families); null otherwise. */
  sid: string | null
  /** When the user authenticated for the session it came from (ID tokens' `auth_time` on refresh). */
  authTime: number | null
  /**
   * RFC 9449 §5: the thumbprint of the DPoP key this family's refresh tokens are bound to (issued under
   * DPoP to a public or first-party client); null for a family refreshed without proofs.
   */
  dpopJkt: string | null
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

/** A server-side session (session mode). The id is stored only as a hash. */
export interface SessionRecord {
  hash: string
  userId: string
  createdAt: number
  lastSeenAt: number
  idleExpiresAt: number
  absoluteExpiresAt: number
  csrfToken: string | null
  /** Random public id of this provider session (the ID token's `sid`); never the cookie value. */
  sid: string
  /** When the user last authenticated with a password (ms); `prompt=login` / `max_age` move it. */
  authTime: number
  /** Authentication methods (OIDC `amr`), e.g. ['pwd']. */
  amr: string[]
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
  readonly kind: 'sqlite' | 'postgres'
  readonly users: UserRepository
  readonly refresh: RefreshRepository
  readonly sessions: SessionRepository
  readonly signingKeys: SigningKeyRepository
  readonly audit: AuditRepository
  readonly throttle: ThrottleRepository
  readonly clients: ClientRepository
  readonly codes: AuthorizationCodeRepository
  readonly consents: ConsentRepository
  readonly sessionClients: SessionClientRepository
  readonly backchannelLogouts: BackchannelLogoutRepository
  readonly replay: ReplayRepository
  /**
   * Present when Redis is composed in: the shared list of revoked sessions (refresh families) that
   * `refresh.findFamily` consults before SQL, so the per-request "is this session still alive" check is
   * one Redis round trip.
   */
  readonly revokedSessions?: RevokedSessionRepository
  /** What the in-memory revocation set of every instance is loaded from (src/revocation/). */
  readonly revocations?: RevocationRepository
  /** Deletes what can no longer be used: expired families, tokens, sessions, stale counters. */
  purgeExpired(now: number): Promise<void>
  close(): Promise<void>
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

export interface UserRepository {
  /** Throws UserExists on a taken username. */
  create(user: NewUser): Promise<UserRecord>
  findByUsername(username: string): Promise<UserRecord | undefined>
  findById(id: string): Promise<UserRecord | undefined>
  list(): Promise<UserRecord[]>
  setPasswordHash(userId: string, passwordHash: string, now: number): Promise<void>
  setDisabled(userId: string, disabled: boolean, now: number): Promise<boolean>
  /** Changes name / email / emailVerified (only the fields given); false when the user is unknown. */
  setProfile(userId: string, changes: UserProfileChanges, now: number): Promise<boolean>
}

export interface RefreshRepository {
  /** Family + first token (+ the audit row when given) in one transaction. */
  createFamily(
    family: Omit<RefreshFamily, 'revokedAt' | 'revokedReason' | 'sid' | 'authTime' | 'dpopJkt'> &
      Partial<Pick<RefreshFamily, 'sid' | 'authTime' | 'dpopJkt'>>,
    first: NewRefreshToken,
    audit?: AuditEvent,
  ): Promise<void>
  findToken(hash: string): Promise<{ token: RefreshTokenRecord; family: RefreshFamily } | undefined>
  findFamily(id: string): Promise<RefreshFamily | undefined>
  /**
   * The one rotation operation. In ONE transaction: find the presented token by hash and lock its family
   * (PostgreSQL `SELECT … FOR UPDATE`; SQLite `BEGIN IMMEDIATE`), read the token, its family, the successor row
   * (token.successorHash) and the family's user; call `decide` (synchronous, pure: the policy lives in tokens/,
   * never in the store) with that read, or with undefined when the hash is unknown; apply what it returns:
   *   { kind: 'rotate', successor } → compare-and-set presented token active→rotated (rotated_at = now,
   *                                   successor_hash) and insert the successor as 'active';
   *   { kind: 'revoke', reason }    → family revoked_at/revoked_reason, all its active tokens 'revoked';
   *   { kind: 'none' }              → nothing;
   * plus the `audit` row when given; commit; return `result`.
   */
  rotate<R>(
    hash: string,
    now: number,
    decide: (read: RotationRead | undefined) => RotationStep<R>,
  ): Promise<R>
  /** False when unknown or already revoked. The audit row (when given) in the same transaction. */
  revokeFamily(id: string, reason: string, now: number, audit?: AuditEvent): Promise<boolean>
  revokeUserFamilies(userId: string, reason: string, now: number): Promise<number>
  /** Revokes every live family that came from the provider session `sid`; returns how many. */
  revokeSessionFamilies(sid: string, reason: string, now: number): Promise<number>
  /** Families with at least one active token, for admin listing. */
  countActiveFamilies(userId: string, now: number): Promise<number>
}

/** What `rotate` reads under the family lock and hands to the policy. */
export interface RotationRead {
  token: RefreshTokenRecord
  family: RefreshFamily
  successor: RefreshTokenRecord | undefined
  user: UserRecord | undefined
}

export type RotationWrite =
  | { kind: 'rotate'; successor: NewRefreshToken }
  | { kind: 'revoke'; reason: string }
  | { kind: 'none' }

export interface RotationStep<R> {
  write: RotationWrite
  audit?: AuditEvent
  result: R
}

export interface SessionRepository {
  create(session: SessionRecord): Promise<void>
  find(hash: string): Promise<SessionRecord | undefined>
  touch(hash: string, lastSeenAt: number, idleExpiresAt: number): Promise<void>
  delete(hash: string): Promise<boolean>
  deleteForUser(userId: string): Promise<number>
  /** The session whose public id is `sid`. */
  findBySid(sid: string): Promise<SessionRecord | undefined>
  /** Deletes the session whose public id is `sid`; false when there was none. */
  deleteBySid(sid: string): Promise<boolean>
  /** Moves `authTime` forward and replaces `amr` (re-authentication); false when unknown. */
  reauthenticate(hash: string, authTime: number, amr: string[]): Promise<boolean>
}

export interface SigningKeyRepository {
  insert(key: SigningKeyRecord): Promise<void>
  /**
   * Inserts `key` only when no key of its algorithm signs at `now` (checked and written under one lock),
   * so instances starting together on an empty database create one first key per algorithm between
   * them. False when another won.
   */
  insertFirst(key: SigningKeyRecord, now: number): Promise<boolean>
  list(): Promise<SigningKeyRecord[]>
  /** Schedules a retirement: the key stops signing at `retiresAt` and leaves the JWKS at `removeAt`. */
  retire(kid: string, retiresAt: number, removeAt: number): Promise<void>
  deleteRemovedBefore(now: number): Promise<number>
}

export interface AuditRepository {
  append(event: AuditEvent): Promise<void>
  list(options: { limit: number; userId?: string }): Promise<AuditEvent[]>
}

export interface ThrottleRepository {
  /** Adds one event to the counter `key`; a counter older than `windowMs` starts again at 1. */
  hit(key: string, now: number, windowMs: number): Promise<ThrottleRecord>
  get(key: string): Promise<ThrottleRecord | undefined>
  clear(key: string): Promise<void>
}

/**
 * Revoked-session markers in front of a short cache of live families. Marks are kept for one
 * access-token lifetime; a failure to reach the list falls back to SQL, never to "alive".
 */
export interface RevokedSessionRepository {
  /** The live family as cached, or undefined when not cached, revoked since, or unreachable. */
  cachedFamily(id: string): Promise<RefreshFamily | undefined>
  cacheFamily(family: RefreshFamily): Promise<void>
  markFamilyRevoked(id: string): Promise<void>
  /** Every family of the user created up to `at` is revoked. */
  markUserRevoked(userId: string, at: number): Promise<void>
}
