/**
 * @module Row mappers, written once for both dialects: each turns a row as either driver returns it
 * (int8 strings or numbers, booleans or 0/1) into the record type of store/types.ts.
 */
import type { Selectable } from 'kysely'
import type {
  AuditEvent,
  AuthorizationCodeRecord,
  BackchannelLogoutRecord,
  OAuthClientRecord,
  RefreshFamily,
  RefreshTokenRecord,
  SessionRecord,
  SigningKeyRecord,
  ThrottleRecord,
  UserRecord,
} from '../types.js'
import type {
  AuditEventsTable,
  AuthorizationCodesTable,
  BackchannelLogoutsTable,
  OAuthClientsTable,
  RefreshFamiliesTable,
  RefreshTokensTable,
  SessionsTable,
  SigningKeysTable,
  ThrottleTable,
  UsersTable,
} from './schema.js'

const num = (v: number | string): number => Number(v)
const numOrNull = (v: number | string | null): number | null => (v === null ? null : Number(v))
const flag = (v: boolean | number): boolean => v === true || v === 1
/** A JSON array of strings stored as text. */
const strings = (v: string): string[] => {
  const parsed: unknown = JSON.parse(v)
  return Array.isArray(parsed) ? parsed.map(String) : []
}

export const toUser = (r: Selectable<UsersTable>): UserRecord => ({
  id: r.id,
  username: r.username,
  passwordHash: r.password_hash,
  disabled: flag(r.disabled),
  name: r.name,
  email: r.email,
  emailVerified: flag(r.email_verified),
  createdAt: num(r.created_at),
  updatedAt: num(r.updated_at),
})

export const toFamily = (r: Selectable<RefreshFamiliesTable>): RefreshFamily => ({
  id: r.id,
  userId: r.user_id,
  clientId: r.client_id,
  scope: r.scope,
  cookieBound: flag(r.cookie_bound),
  createdAt: num(r.created_at),
  absoluteExpiresAt: num(r.absolute_expires_at),
  revokedAt: numOrNull(r.revoked_at),
  revokedReason: r.revoked_reason,
  sid: r.sid ?? null,
  authTime: numOrNull(r.auth_time ?? null),
  dpopJkt: r.dpop_jkt ?? null,
})

export const toToken = (r: Selectable<RefreshTokensTable>): RefreshTokenRecord => ({
  hash: r.hash,
  familyId: r.family_id,
  generation: num(r.generation),
  state: r.state,
  createdAt: num(r.created_at),
  idleExpiresAt: num(r.idle_expires_at),
  rotatedAt: numOrNull(r.rotated_at),
  successorHash: r.successor_hash,
})

export const toSession = (r: Selectable<SessionsTable>): SessionRecord => ({
  hash: r.hash,
  userId: r.user_id,
  createdAt: num(r.created_at),
  lastSeenAt: num(r.last_seen_at),
  idleExpiresAt: num(r.idle_expires_at),
  absoluteExpiresAt: num(r.absolute_expires_at),
  csrfToken: r.csrf_token,
  sid: r.sid,
  authTime: num(r.auth_time),
  amr: strings(r.amr),
})

export const toSigningKey = (r: Selectable<SigningKeysTable>): SigningKeyRecord => ({
  kid: r.kid,
  alg: r.alg,
  publicJwk: r.public_jwk,
  encryptedPrivateJwk: r.encrypted_private_jwk,
  createdAt: num(r.created_at),
  activatesAt: num(r.activates_at),
  retiresAt: numOrNull(r.retires_at),
  removeAt: numOrNull(r.remove_at),
})

export const toAuditEvent = (r: Selectable<AuditEventsTable>): AuditEvent => ({
  at: num(r.at),
  type: r.type,
  userId: r.user_id,
  familyId: r.family_id,
  ip: r.ip,
  ...(r.detail ? { detail: JSON.parse(r.detail) as Record<string, unknown> } : {}),
})

export const toThrottle = (r: Selectable<ThrottleTable>): ThrottleRecord => ({
  key: r.key,
  count: num(r.count),
  firstAt: num(r.first_at),
  lastAt: num(r.last_at),
})

export const toClient = (r: Selectable<OAuthClientsTable>): OAuthClientRecord => ({
  id: r.id,
  name: r.name,
  type: r.type,
  secretHash: r.secret_hash,
  redirectUris: strings(r.redirect_uris),
  postLogoutRedirectUris: strings(r.post_logout_redirect_uris),
  backchannelLogoutUri: r.backchannel_logout_uri,
  firstParty: flag(r.first_party),
  scope: r.scope,
  grantTypes: strings(r.grant_types),
  tokenEndpointAuthMethod: r.token_endpoint_auth_method,
  idTokenSignedResponseAlg: r.id_token_signed_response_alg,
  jwksUri: r.jwks_uri,
  jwks: r.jwks,
  dpop: r.dpop,
  createdAt: num(r.created_at),
  updatedAt: num(r.updated_at),
})

/** The row to write for a client (flags as 0/1, lists as JSON text). */
export const clientRow = (c: OAuthClientRecord) => ({
  id: c.id,
  name: c.name,
  type: c.type,
  secret_hash: c.secretHash,
  redirect_uris: JSON.stringify(c.redirectUris),
  post_logout_redirect_uris: JSON.stringify(c.postLogoutRedirectUris),
  backchannel_logout_uri: c.backchannelLogoutUri,
  first_party: c.firstParty ? 1 : 0,
  scope: c.scope,
  grant_types: JSON.stringify(c.grantTypes),
  token_endpoint_auth_method: c.tokenEndpointAuthMethod,
  id_token_signed_response_alg: c.idTokenSignedResponseAlg,
  jwks_uri: c.jwksUri,
  jwks: c.jwks,
  dpop: c.dpop ?? 'allowed',
  created_at: c.createdAt,
  updated_at: c.updatedAt,
})

export const toCode = (r: Selectable<AuthorizationCodesTable>): AuthorizationCodeRecord => ({
  hash: r.hash,
  clientId: r.client_id,
  userId: r.user_id,
  sid: r.sid,
  redirectUri: r.redirect_uri,
  scope: r.scope,
  nonce: r.nonce,
  codeChallenge: r.code_challenge,
  authTime: num(r.auth_time),
  amr: strings(r.amr),
  resource: r.resource,
  dpopJkt: r.dpop_jkt,
  createdAt: num(r.created_at),
  expiresAt: num(r.expires_at),
  consumedAt: numOrNull(r.consumed_at),
  familyId: r.family_id,
})

export const toBackchannelLogout = (r: Selectable<BackchannelLogoutsTable>): BackchannelLogoutRecord => ({
  id: r.id,
  clientId: r.client_id,
  uri: r.uri,
  sid: r.sid,
  sub: r.sub,
  createdAt: num(r.created_at),
  attempts: num(r.attempts),
  nextAttemptAt: num(r.next_attempt_at),
  deliveredAt: numOrNull(r.delivered_at),
  lastError: r.last_error,
})

/** The audit row to insert for an event. */
export const auditRow = (e: AuditEvent) => ({
  at: e.at,
  type: e.type,
  user_id: e.userId ?? null,
  family_id: e.familyId ?? null,
  ip: e.ip ?? null,
  detail: e.detail ? JSON.stringify(e.detail) : null,
})
