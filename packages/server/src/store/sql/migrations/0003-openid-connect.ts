/**
 * @module Migration 3: what the OpenID Connect provider keeps — registered clients, authorization
 * codes, consents, which clients each provider session signed in to, back-channel logout deliveries,
 * single-use ids — plus users' profile, the provider-session fields of sessions and the session a
 * refresh family came from.
 *
 * Sessions of the earlier release are kept: each gets a fresh random `sid` (a public id, so it is never
 * derived from the cookie's hash), `auth_time` = its creation, `amr` ["pwd"] (passwords were the only way in).
 */
import { randomBytes } from 'node:crypto'
import { type Kysely, sql } from 'kysely'
import type { MigrationColumns } from '../dialect/dialect.js'

export async function openIdConnect(db: Kysely<unknown>, c: MigrationColumns): Promise<void> {
  // One column per ALTER: SQLite adds one at a time.
  await db.schema.alterTable('users').addColumn('name', 'text').execute()
  await db.schema.alterTable('users').addColumn('email', 'text').execute()
  await db.schema
    .alterTable('users')
    .addColumn('email_verified', c.flag, (col) => col.notNull().defaultTo(c.flagFalse))
    .execute()

  await db.schema.alterTable('refresh_families').addColumn('sid', 'text').execute()
  await db.schema.alterTable('refresh_families').addColumn('auth_time', c.millis).execute()
  await db.schema.createIndex('refresh_families_sid').on('refresh_families').column('sid').execute()

  await db.schema
    .alterTable('sessions')
    .addColumn('sid', 'text', (col) => col.notNull().defaultTo(''))
    .execute()
  await db.schema
    .alterTable('sessions')
    .addColumn('auth_time', c.millis, (col) => col.notNull().defaultTo(0))
    .execute()
  await db.schema
    .alterTable('sessions')
    .addColumn('amr', 'text', (col) => col.notNull().defaultTo('["pwd"]'))
    .execute()
  await sql`UPDATE sessions SET auth_time = created_at`.execute(db)
  const old = await sql<{ hash: string }>`SELECT hash FROM sessions`.execute(db)
  for (const { hash } of old.rows)
    await sql`UPDATE sessions SET sid = ${randomBytes(16).toString('base64url')} WHERE hash = ${hash}`.execute(
      db,
    )
  await db.schema.createIndex('sessions_sid').unique().on('sessions').column('sid').execute()

  await db.schema
    .createTable('oauth_clients')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('type', 'text', (col) => col.notNull().check(sql`type IN ('confidential', 'public')`))
    .addColumn('secret_hash', 'text')
    .addColumn('redirect_uris', 'text', (col) => col.notNull())
    .addColumn('post_logout_redirect_uris', 'text', (col) => col.notNull())
    .addColumn('backchannel_logout_uri', 'text')
    .addColumn('first_party', c.flag, (col) => col.notNull())
    .addColumn('scope', 'text', (col) => col.notNull())
    .addColumn('grant_types', 'text', (col) => col.notNull())
    .addColumn('token_endpoint_auth_method', 'text', (col) =>
      col
        .notNull()
        .check(
          sql`token_endpoint_auth_method IN ('client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none')`,
        ),
    )
    .addColumn('id_token_signed_response_alg', 'text', (col) =>
      col.notNull().check(sql`id_token_signed_response_alg IN ('RS256', 'ES256', 'EdDSA')`),
    )
    .addColumn('jwks_uri', 'text')
    .addColumn('jwks', 'text')
    .addColumn('created_at', c.millis, (col) => col.notNull())
    .addColumn('updated_at', c.millis, (col) => col.notNull())
    .execute()

  await db.schema
    .createTable('authorization_codes')
    .addColumn('hash', 'text', (col) => col.primaryKey())
    .addColumn('client_id', 'text', (col) => col.notNull())
    .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('sid', 'text', (col) => col.notNull())
    .addColumn('redirect_uri', 'text', (col) => col.notNull())
    .addColumn('scope', 'text', (col) => col.notNull())
    .addColumn('nonce', 'text')
    .addColumn('code_challenge', 'text', (col) => col.notNull())
    .addColumn('auth_time', c.millis, (col) => col.notNull())
    .addColumn('amr', 'text', (col) => col.notNull())
    .addColumn('resource', 'text')
    .addColumn('dpop_jkt', 'text')
    .addColumn('created_at', c.millis, (col) => col.notNull())
    .addColumn('expires_at', c.millis, (col) => col.notNull())
    .addColumn('consumed_at', c.millis)
    .addColumn('family_id', 'text')
    .execute()
  await db.schema
    .createIndex('authorization_codes_expires')
    .on('authorization_codes')
    .column('expires_at')
    .execute()

  await db.schema
    .createTable('consents')
    .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('client_id', 'text', (col) => col.notNull())
    .addColumn('scope', 'text', (col) => col.notNull())
    .addColumn('granted_at', c.millis, (col) => col.notNull())
    .addPrimaryKeyConstraint('consents_pkey', ['user_id', 'client_id'])
    .execute()

  await db.schema
    .createTable('session_clients')
    .addColumn('sid', 'text', (col) => col.notNull())
    .addColumn('client_id', 'text', (col) => col.notNull())
    .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', c.millis, (col) => col.notNull())
    .addPrimaryKeyConstraint('session_clients_pkey', ['sid', 'client_id'])
    .execute()

  await db.schema
    .createTable('backchannel_logouts')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('client_id', 'text', (col) => col.notNull())
    .addColumn('uri', 'text', (col) => col.notNull())
    .addColumn('sid', 'text', (col) => col.notNull())
    .addColumn('sub', 'text', (col) => col.notNull())
    .addColumn('created_at', c.millis, (col) => col.notNull())
    .addColumn('attempts', 'integer', (col) => col.notNull())
    .addColumn('next_attempt_at', c.millis, (col) => col.notNull())
    .addColumn('delivered_at', c.millis)
    .addColumn('last_error', 'text')
    .execute()
  await db.schema
    .createIndex('backchannel_logouts_due')
    .on('backchannel_logouts')
    .columns(['delivered_at', 'next_attempt_at'])
    .execute()

  await db.schema
    .createTable('replay_ids')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('expires_at', c.millis, (col) => col.notNull())
    .execute()
  await db.schema.createIndex('replay_ids_expires').on('replay_ids').column('expires_at').execute()
}
