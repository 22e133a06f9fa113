/** @module Users in SQL: one row per account, the username unique. */
import { UserExists } from '../../../errors.js'
import type { NewUser, UserProfileChanges, UserRecord, UserRepository } from '../../types.js'
import type { SqlDialect } from '../dialect/dialect.js'
import { prepare } from '../prepared.js'
import { toUser } from '../rows.js'

export class SqlUsers implements UserRepository {
  readonly #d: SqlDialect
  readonly #byId
  readonly #byUsername
  readonly #insert
  readonly #all
  readonly #setHash
  readonly #setDisabled
  readonly #setProfile

  constructor(dialect: SqlDialect) {
    const db = dialect.db
    this.#d = dialect
    this.#byId = prepare((p: { id: string }) => db.selectFrom('users').selectAll().where('id', '=', p.id))
    this.#byUsername = prepare((p: { username: string }) =>
      db.selectFrom('users').selectAll().where('username', '=', p.username),
    )
    this.#insert = prepare((p: NewUser) =>
      db.insertInto('users').values({
        id: p.id,
        username: p.username,
        password_hash: p.passwordHash,
        disabled: 0,
        email_verified: 0,
        created_at: p.createdAt,
        updated_at: p.createdAt,
      }),
    )
    this.#all = prepare((_: object) => db.selectFrom('users').selectAll().orderBy('username'))
    this.#setHash = prepare((p: { id: string; hash: string; now: number }) =>
      db.updateTable('users').set({ password_hash: p.hash, updated_at: p.now }).where('id', '=', p.id),
    )
    this.#setDisabled = prepare((p: { id: string; disabled: number; now: number }) =>
      db.updateTable('users').set({ disabled: p.disabled, updated_at: p.now }).where('id', '=', p.id),
    )
    this.#setProfile = prepare(
      (p: { id: string; name: string | null; email: string | null; verified: number; now: number }) =>
        db
          .updateTable('users')
          .set({ name: p.name, email: p.email, email_verified: p.verified, updated_at: p.now })
          .where('id', '=', p.id),
    )
  }

  async create(user: NewUser): Promise<UserRecord> {
    try {
      await this.#insert.run(this.#d.run, user)
    } catch (error) {
      if (this.#d.isUniqueViolation(error))
        throw new UserExists(`the username "${user.username}" is taken; choose another`)
      throw error
    }
    return {
      ...user,
      disabled: false,
      name: null,
      email: null,
      emailVerified: false,
      updatedAt: user.createdAt,
    }
  }

  async findByUsername(username: string): Promise<UserRecord | undefined> {
    const row = await this.#byUsername.first(this.#d.run, { username })
    return row ? toUser(row) : undefined
  }

  async findById(id: string): Promise<UserRecord | undefined> {
    const row = await this.#byId.first(this.#d.run, { id })
    return row ? toUser(row) : undefined
  }

  async list(): Promise<UserRecord[]> {
    return (await this.#all.rows(this.#d.run, {})).map(toUser)
  }

  async setPasswordHash(userId: string, passwordHash: string, now: number): Promise<void> {
    await this.#setHash.run(this.#d.run, { id: userId, hash: passwordHash, now })
  }

  async setDisabled(userId: string, disabled: boolean, now: number): Promise<boolean> {
    return (
      (await this.#setDisabled.changed(this.#d.run, { id: userId, disabled: disabled ? 1 : 0, now })) === 1
    )
  }

  async setProfile(userId: string, changes: UserProfileChanges, now: number): Promise<boolean> {
    return this.#d.transaction(async (trx) => {
      const row = await this.#byId.first(trx, { id: userId })
      if (!row) return false
      const user = toUser(row)
      const email = changes.email === undefined ? user.email : changes.email
      // A changed address is no longer the one that was verified, unless the caller says it is.
      const verified = changes.emailVerified ?? (email === user.email ? user.emailVerified : false)
      const name = changes.name === undefined ? user.name : changes.name
      await this.#setProfile.run(trx, { id: userId, name, email, verified: verified ? 1 : 0, now })
      return true
    })
  }
}
