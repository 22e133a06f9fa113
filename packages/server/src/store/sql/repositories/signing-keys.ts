/**
 * @module Signing keys in SQL. Adding or retiring a key tells the other instances (PostgreSQL NOTIFY
 * at commit, and the Redis notice when one is composed in) so every key ring reloads at once.
 */
import type { SigningKeyRecord, SigningKeyRepository } from '../../types.js'
import type { SqlDialect } from '../dialect/dialect.js'
import { prepare } from '../prepared.js'
import { toSigningKey } from '../rows.js'

export class SqlSigningKeys implements SigningKeyRepository {
  readonly #d: SqlDialect
  readonly #changed: ((kid: string) => Promise<void>) | undefined
  readonly #insert
  readonly #all
  readonly #retire
  readonly #deleteRemoved
  readonly #signingAt

  constructor(dialect: SqlDialect, changed?: (kid: string) => Promise<void>) {
    const db = dialect.db
    this.#d = dialect
    this.#changed = changed
    this.#insert = prepare((p: SigningKeyRecord) =>
      db.insertInto('signing_keys').values({
        kid: p.kid,
        alg: p.alg,
        public_jwk: p.publicJwk,
        encrypted_private_jwk: p.encryptedPrivateJwk,
        created_at: p.createdAt,
        activates_at: p.activatesAt,
        retires_at: p.retiresAt,
        remove_at: p.removeAt,
      }),
    )
    this.#all = prepare((_: object) =>
      db.selectFrom('signing_keys').selectAll().orderBy('activates_at').orderBy('created_at'),
    )
    this.#retire = prepare((p: { kid: string; retiresAt: number; removeAt: number }) =>
      db
        .updateTable('signing_keys')
        .set({ retires_at: p.retiresAt, remove_at: p.removeAt })
        .where('kid', '=', p.kid),
    )
    this.#signingAt = prepare((p: { now: number; alg: string }) =>
      db
        .selectFrom('signing_keys')
        .select('kid')
        .where('alg', '=', p.alg)
        .where('activates_at', '<=', p.now)
        .where((eb) => eb.or([eb('retires_at', 'is', null), eb('retires_at', '>', p.now)]))
        .limit(1),
    )
    this.#deleteRemoved = prepare((p: { now: number }) =>
      db.deleteFrom('signing_keys').where('remove_at', 'is not', null).where('remove_at', '<=', p.now),
    )
  }

  async insert(key: SigningKeyRecord): Promise<void> {
    await this.#d.transaction(async (trx) => {
      await this.#insert.run(trx, key)
      await this.#d.signingKeysChanged(trx)
    })
    await this.#changed?.(key.kid)
  }

  async insertFirst(key: SigningKeyRecord, now: number): Promise<boolean> {
    const inserted = await this.#d.transaction(async (trx) => {
      await this.#d.serialize(trx, `first-signing-key:${key.alg}`)
      if (await this.#signingAt.first(trx, { now, alg: key.alg })) return false
      await this.#insert.run(trx, key)
      await this.#d.signingKeysChanged(trx)
      return true
    })
    if (inserted) await this.#changed?.(key.kid)
    return inserted
  }

  async list(): Promise<SigningKeyRecord[]> {
    return (await this.#all.rows(this.#d.run, {})).map(toSigningKey)
  }

  async retire(kid: string, retiresAt: number, removeAt: number): Promise<void> {
    await this.#d.transaction(async (trx) => {
      await this.#retire.run(trx, { kid, retiresAt, removeAt })
      await this.#d.signingKeysChanged(trx)
    })
    await this.#changed?.(kid)
  }

  deleteRemovedBefore(now: number): Promise<number> {
    return this.#deleteRemoved.changed(this.#d.run, { now })
  }
}
