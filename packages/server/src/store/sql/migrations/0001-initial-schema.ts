/**
 * @module Migration 1: the tables of the first release. Every statement is `IF NOT EXISTS`, so a
 * database that release created (its own `schema_migrations` says version 1) is adopted as it is.
 */
import { type Kysely, sql } from 'kysely'
import type { MigrationColumns } from '../dialect/dialect.js'

export async function initialSchema(db: Kysely<unknown>, c: MigrationColumns): Promise<void> {
  await db.schema
    .createTable('users')
    .ifNotExists()
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('username', 'text', (col) => col.notNull().unique())
    .addColumn('password_hash', 'text', (col) => col.notNull())
    .addColumn('disabled', c.flag, (col) => col.notNull().defaultTo(c.flagFalse))
    .addColumn('created_at', c.millis, (col) => col.notNull())
    .addColumn('updated_at', c.millis, (col) => col.notNull())
    .execute()

  await db.schema
    .createTable('refresh_families')
    .ifNotExists()
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('client_id', 'text', (col) => col.notNull())
    .addColumn('scope', 'text', (col) => col.notNull())
    .addColumn('cookie_bound', c.flag, (col) => col.notNull())
    .addColumn('created_at', c.millis, (col) => col.notNull())
    .addColumn('absolute_expires_at', c.millis, (col) => col.notNull())
    .addColumn('revoked_at', c.millis)
    .addColumn('revoked_reason', 'text')
    .execute()
  await db.schema
    .createIndex('refresh_families_user')
    .ifNotExists()
    .on('refresh_families')
    .column('user_id')
    .execute()

  await db.schema
    .createTable('refresh_tokens')
    .ifNotExists()
    .addColumn('hash', 'text', (col) => col.primaryKey())
    .addColumn('family_id', 'text', (col) =>
      col.notNull().references('refresh_families.id').onDelete('cascade'),
    )
    .addColumn('generation', 'integer', (col) => col.notNull())
    .addColumn('state', 'text', (col) => col.notNull().check(sql`state IN ('active', 'rotated', 'revoked')`))
    .addColumn('created_at', c.millis, (col) => col.notNull())
    .addColumn('idle_expires_at', c.millis, (col) => col.notNull())
    .addColumn('rotated_at', c.millis)
    .addColumn('successor_hash', 'text')
    // A second guard under the compare-and-set: one token per generation, so a family can never hold
    // two successors of the same token.
    .addUniqueConstraint('refresh_tokens_family_id_generation_key', ['family_id', 'generation'])
    .execute()

  await db.schema
    .createTable('sessions')
    .ifNotExists()
    .addColumn('hash', 'text', (col) => col.primaryKey())
    .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', c.millis, (col) => col.notNull())
    .addColumn('last_seen_at', c.millis, (col) => col.notNull())
    .addColumn('idle_expires_at', c.millis, (col) => col.notNull())
    .addColumn('absolute_expires_at', c.millis, (col) => col.notNull())
    .addColumn('csrf_token', 'text')
    .execute()
  await db.schema.createIndex('sessions_user').ifNotExists().on('sessions').column('user_id').execute()

  await db.schema
    .createTable('signing_keys')
    .ifNotExists()
    .addColumn('kid', 'text', (col) => col.primaryKey())
    .addColumn('alg', 'text', (col) => col.notNull())
    .addColumn('public_jwk', 'text', (col) => col.notNull())
    .addColumn('encrypted_private_jwk', 'text', (col) => col.notNull())
    .addColumn('created_at', c.millis, (col) => col.notNull())
    .addColumn('activates_at', c.millis, (col) => col.notNull())
    .addColumn('retires_at', c.millis)
    .addColumn('remove_at', c.millis)
    .execute()

  await db.schema
    .createTable('audit_events')
    .ifNotExists()
    .addColumn('id', c.serialId.type, c.serialId.build)
    .addColumn('at', c.millis, (col) => col.notNull())
    .addColumn('type', 'text', (col) => col.notNull())
    .addColumn('user_id', 'text')
    .addColumn('family_id', 'text')
    .addColumn('ip', 'text')
    .addColumn('detail', 'text')
    .execute()
  await db.schema
    .createIndex('audit_events_user')
    .ifNotExists()
    .on('audit_events')
    .columns(['user_id', 'id'])
    .execute()

  await db.schema
    .createTable('throttle')
    .ifNotExists()
    .addColumn('key', 'text', (col) => col.primaryKey())
    .addColumn('count', 'integer', (col) => col.notNull())
    .addColumn('first_at', c.millis, (col) => col.notNull())
    .addColumn('last_at', c.millis, (col) => col.notNull())
    .execute()
}
