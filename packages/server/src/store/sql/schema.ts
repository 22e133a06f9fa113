/**
 * @module The one typed schema of Tessera's SQL tables, as Kysely sees them: what a query reads back
 * from either dialect, and what it may write.
 *
 * Times are BIGINT on PostgreSQL (pg hands int8 back as a string) and INTEGER on SQLite (a number);
 * flags are BOOLEAN on PostgreSQL and 0/1 on SQLite. Writes always send numbers — PostgreSQL reads `1`
 * and `0` as boolean input — and the row mappers in rows.ts turn either read form into the record's.
 */
import type { ColumnType, Generated } from 'kysely'

/** Milliseconds since the epoch: a number or an int8 string on read, a number on write. */
export type Millis = ColumnType<number | string, number, number>
export type NullableMillis = ColumnType<number | string | null, number | null, number | null>
/** A flag: boolean (PostgreSQL) or 0/1 (SQLite) on read, 0/1 on write. */
export type Flag = ColumnType<boolean | number, number, number>

export interface UsersTable {
  id: string
  username: string
  password_hash: string
  disabled: Flag
  name: string | null
  email: string | null
  email_verified: Flag
  created_at: Millis
  updated_at: Millis
}

export interface RefreshFamiliesTable {
  id: string
  user_id: string
  client_id: string
  scope: string
  cookie_bound: Flag
  created_at: Millis
  absolute_expires_at: Millis
  revoked_at: NullableMillis
  revoked_reason: string | null
  sid: string | null
  auth_time: NullableMillis
  dpop_jkt: string | null
}

export interface RefreshTokensTable {
  hash: string
  family_id: string
  generation: number
  state: 'active' | 'rotated' | 'revoked'
  created_at: Millis
  idle_expires_at: Millis
  rotated_at: NullableMillis
  successor_hash: string | null
}

export interface SessionsTable {
  hash: string
  user_id: string
  created_at: Millis
  last_seen_at: Millis
  idle_expires_at: Millis
  absolute_expires_at: Millis
  csrf_token: string | null
  sid: string
  auth_time: Millis
  /** JSON array text. */
  amr: string
}

export interface SigningKeysTable {
  kid: string
  alg: string
  public_jwk: string
  encrypted_private_jwk: string
  created_at: Millis
  activates_at: Millis
  retires_at: NullableMillis
  remove_at: NullableMillis
}

export interface AuditEventsTable {
  id: Generated<number | string>
  at: Millis
  type: string
  user_id: string | null
  family_id: string | null
  ip: string | null
  /** JSON text. */
  detail: string | null
}

export interface ThrottleTable {
  key: string
  count: number
  first_at: Millis
  last_at: Millis
}

export interface OAuthClientsTable {
  id: string
  name: string
  type: 'confidential' | 'public'
  secret_hash: string | null
  /** JSON array text (this and the other `_uris` / `grant_types`). */
  redirect_uris: string
  post_logout_redirect_uris: string
  backchannel_logout_uri: string | null
  first_party: Flag
  scope: string
  grant_types: string
  token_endpoint_auth_method: 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt' | 'none'
  id_token_signed_response_alg: 'RS256' | 'ES256' | 'EdDSA'
  jwks_uri: string | null
  jwks: string | null
  dpop: 'required' | 'allowed' | 'off'
  created_at: Millis
  updated_at: Millis
}

export interface AuthorizationCodesTable {
  hash: string
  client_id: string
  user_id: string
  sid: string
  redirect_uri: string
  scope: string
  nonce: string | null
  code_challenge: string
  auth_time: Millis
  /** JSON array text. */
  amr: string
  resource: string | null
  dpop_jkt: string | null
  created_at: Millis
  expires_at: Millis
  consumed_at: NullableMillis
  family_id: string | null
}

export interface ConsentsTable {
  user_id: string
  client_id: string
  scope: string
  granted_at: Millis
}

export interface SessionClientsTable {
  sid: string
  client_id: string
  user_id: string
  created_at: Millis
}

export interface BackchannelLogoutsTable {
  id: string
  client_id: string
  uri: string
  sid: string
  sub: string
  created_at: Millis
  attempts: number
  next_attempt_at: Millis
  delivered_at: NullableMillis
  last_error: string | null
}

export interface ReplayIdsTable {
  id: string
  expires_at: Millis
}

export interface Database {
  users: UsersTable
  refresh_families: RefreshFamiliesTable
  refresh_tokens: RefreshTokensTable
  sessions: SessionsTable
  signing_keys: SigningKeysTable
  audit_events: AuditEventsTable
  throttle: ThrottleTable
  oauth_clients: OAuthClientsTable
  authorization_codes: AuthorizationCodesTable
  consents: ConsentsTable
  session_clients: SessionClientsTable
  backchannel_logouts: BackchannelLogoutsTable
  replay_ids: ReplayIdsTable
}
