/**
 * @module Authorization codes in SQL, stored by hash. Redemption is one compare-and-set
 * (`consumed_at` NULL → now, `RETURNING` the row), so of any number of instances redeeming one code at
 * once exactly one wins; the others read the row back as a replay.
 */
import type { AuthorizationCodeRecord, AuthorizationCodeRepository, CodeConsumeResult } from '../../types.js'
import type { SqlDialect } from '../dialect/dialect.js'
import { prepare } from '../prepared.js'
import { toCode } from '../rows.js'

type CodeRow = Omit<AuthorizationCodeRecord, 'amr'> & { amr: string }

export class SqlCodes implements AuthorizationCodeRepository {
  readonly #d: SqlDialect
  readonly #insert
  readonly #consume
  readonly #byHash
  readonly #setFamily

  constructor(dialect: SqlDialect) {
    const db = dialect.db
    this.#d = dialect
    this.#insert = prepare((p: CodeRow) =>
      db.insertInto('authorization_codes').values({
        hash: p.hash,
        client_id: p.clientId,
        user_id: p.userId,
        sid: p.sid,
        redirect_uri: p.redirectUri,
        scope: p.scope,
        nonce: p.nonce,
        code_challenge: p.codeChallenge,
        auth_time: p.authTime,
        amr: p.amr,
        resource: p.resource,
        dpop_jkt: p.dpopJkt,
        created_at: p.createdAt,
        expires_at: p.expiresAt,
        consumed_at: p.consumedAt,
        family_id: p.familyId,
      }),
    )
    this.#consume = prepare((p: { hash: string; now: number }) =>
      db
        .updateTable('authorization_codes')
        .set({ consumed_at: p.now })
        .where('hash', '=', p.hash)
        .where('consumed_at', 'is', null)
        .returningAll(),
    )
    this.#byHash = prepare((p: { hash: string }) =>
      db.selectFrom('authorization_codes').selectAll().where('hash', '=', p.hash),
    )
    this.#setFamily = prepare((p: { hash: string; familyId: string }) =>
      db.updateTable('authorization_codes').set({ family_id: p.familyId }).where('hash', '=', p.hash),
    )
  }

  async create(code: AuthorizationCodeRecord): Promise<void> {
    await this.#insert.run(this.#d.run, { ...code, amr: JSON.stringify(code.amr) })
  }

  async consume(hash: string, now: number): Promise<CodeConsumeResult> {
    const won = await this.#consume.first(this.#d.run, { hash, now })
    if (won) return { outcome: 'consumed', code: toCode(won) }
    const row = await this.#byHash.first(this.#d.run, { hash })
    return row ? { outcome: 'replayed', code: toCode(row) } : { outcome: 'unknown' }
  }

  async setFamily(hash: string, familyId: string): Promise<void> {
    await this.#setFamily.run(this.#d.run, { hash, familyId })
  }
}
