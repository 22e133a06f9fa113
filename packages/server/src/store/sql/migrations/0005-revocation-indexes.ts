/**
 * @module Migration 5: two indexes for queries that scanned their table. The revocation reconcile asks
 * for every family revoked since a moment (`refresh_families.revoked_at`), and logging a user out
 * everywhere or disabling them lists the clients of each of the user's provider sessions
 * (`session_clients.user_id`) to send back-channel logout tokens.
 */
import type { Kysely } from 'kysely'

export async function revocationIndexes(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('refresh_families_revoked_at')
    .on('refresh_families')
    .column('revoked_at')
    .execute()
  await db.schema.createIndex('session_clients_user').on('session_clients').column('user_id').execute()
}
