/**
 * @module Row mappers, written once for both dialects: each turns a row as either driver returns it
 * (int8 strings or numbers, booleans or 0/1) into the record type of store/types.ts.
 */
import type { Selectable } from 'kysely'
import type {
  AuditEvent,
  RefreshFamily,
  RefreshTokenRecord,
  SessionRecord,
  SigningKeyRecord,
  ThrottleRecord,
  UserRecord,
} from '../types.js'
import type {
  AuditEventsTable,
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

export const toUser = (r: Selectable<UsersTable>): UserRecord => ({
  id: r.id,
  username: r.username,
  passwordHash: r.password_hash,
  disabled: flag(r.disabled),
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

/** The audit row to insert for an event. */
export const auditRow = (e: AuditEvent) => ({
  at: e.at,
  type: e.type,
  user_id: e.userId ?? null,
  family_id: e.familyId ?? null,
  ip: e.ip ?? null,
  detail: e.detail ? JSON.stringify(e.detail) : null,
})
