/**
 * @module Migration 2: at most one live token per refresh family, enforced by the database itself on
 * both dialects (the first release had this index on PostgreSQL only, where it is adopted as it is).
 */
import { type Kysely, sql } from 'kysely'

export async function oneActiveToken(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('refresh_tokens_one_active')
    .ifNotExists()
    .unique()
    .on('refresh_tokens')
    .column('family_id')
    .where(sql.ref('state'), '=', sql.lit('active'))
    .execute()
}
