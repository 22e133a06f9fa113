/**
 * @module Cookie sessions in SQL (when no Redis is configured): one row per session, by id hash, also
 * found by its public `sid` (the provider session's id in ID tokens and logout).
 */
import type { SessionRecord, SessionRepository } from '../../types.js'
import type { SqlDialect } from '../dialect/dialect.js'
import { prepare } from '../prepared.js'
import { toSession } from '../rows.js'

export class SqlSessions implements SessionRepository {
  readonly #d: SqlDialect
  readonly #insert
  readonly #byHash
  readonly #touch
  readonly #delete
  readonly #deleteForUser
  readonly #bySid
  readonly #deleteBySid
  readonly #reauthenticate

  constructor(dialect: SqlDialect) {
    const db = dialect.db
    this.#d = dialect
    this.#insert = prepare((p: Omit<SessionRecord, 'amr'> & { amr: string }) =>
      db.insertInto('sessions').values({
        hash: p.hash,
        user_id: p.userId,
        created_at: p.createdAt,
        last_seen_at: p.lastSeenAt,
        idle_expires_at: p.idleExpiresAt,
        absolute_expires_at: p.absoluteExpiresAt,
        csrf_token: p.csrfToken,
        sid: p.sid,
        auth_time: p.authTime,
        amr: p.amr,
      }),
    )
    this.#byHash = prepare((p: { hash: string }) =>
      db.selectFrom('sessions').selectAll().where('hash', '=', p.hash),
    )
    this.#touch = prepare((p: { hash: string; lastSeenAt: number; idleExpiresAt: number }) =>
      db
        .updateTable('sessions')
        .set({ last_seen_at: p.lastSeenAt, idle_expires_at: p.idleExpiresAt })
        .where('hash', '=', p.hash),
    )
    this.#delete = prepare((p: { hash: string }) => db.deleteFrom('sessions').where('hash', '=', p.hash))
    this.#deleteForUser = prepare((p: { userId: string }) =>
      db.deleteFrom('sessions').where('user_id', '=', p.userId),
    )
    this.#bySid = prepare((p: { sid: string }) =>
      db.selectFrom('sessions').selectAll().where('sid', '=', p.sid),
    )
    this.#deleteBySid = prepare((p: { sid: string }) => db.deleteFrom('sessions').where('sid', '=', p.sid))
    this.#reauthenticate = prepare((p: { hash: string; authTime: number; amr: string }) =>
      db.updateTable('sessions').set({ auth_time: p.authTime, amr: p.amr }).where('hash', '=', p.hash),
    )
  }

  async create(session: SessionRecord): Promise<void> {
    await this.#insert.run(this.#d.run, { ...session, amr: JSON.stringify(session.amr) })
  }

  async find(hash: string): Promise<SessionRecord | undefined> {
    const row = await this.#byHash.first(this.#d.run, { hash })
    return row ? toSession(row) : undefined
  }

  async touch(hash: string, lastSeenAt: number, idleExpiresAt: number): Promise<void> {
    await this.#touch.run(this.#d.run, { hash, lastSeenAt, idleExpiresAt })
  }

  async delete(hash: string): Promise<boolean> {
    return (await this.#delete.changed(this.#d.run, { hash })) === 1
  }

  deleteForUser(userId: string): Promise<number> {
    return this.#deleteForUser.changed(this.#d.run, { userId })
  }

  async findBySid(sid: string): Promise<SessionRecord | undefined> {
    const row = await this.#bySid.first(this.#d.run, { sid })
    return row ? toSession(row) : undefined
  }

  async deleteBySid(sid: string): Promise<boolean> {
    return (await this.#deleteBySid.changed(this.#d.run, { sid })) === 1
  }

  async reauthenticate(hash: string, authTime: number, amr: string[]): Promise<boolean> {
    const changed = await this.#reauthenticate.changed(this.#d.run, {
      hash,
      authTime,
      amr: JSON.stringify(amr),
    })
    return changed === 1
  }
}
