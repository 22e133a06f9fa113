/**
 * @module Migration 4: DPoP (RFC 9449) — the key a refresh family is bound to, and each registered
 * client's DPoP setting (`allowed` for every client registered before it, as they were treated).
 */
import { type Kysely, sql } from 'kysely'

export async function dpop(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('refresh_families').addColumn('dpop_jkt', 'text').execute()
  await db.schema
    .alterTable('oauth_clients')
    .addColumn('dpop', 'text', (col) =>
      col.notNull().defaultTo('allowed').check(sql`dpop IN ('required', 'allowed', 'off')`),
    )
    .execute()
}
