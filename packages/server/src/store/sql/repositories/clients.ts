/** @module Registered OAuth / OpenID Connect clients in SQL: one row per client, lists as JSON text. */
import { ClientExists } from '../../../errors.js'
import type { ClientRepository, OAuthClientRecord } from '../../types.js'
import type { SqlDialect } from '../dialect/dialect.js'
import { prepare } from '../prepared.js'
import { clientRow, toClient } from '../rows.js'

type ClientRow = ReturnType<typeof clientRow>

/** The columns an update may change: all but the id and the creation time, written once for both statements. */
const settable = (p: ClientRow) => ({
  name: p.name,
  type: p.type,
  secret_hash: p.secret_hash,
  redirect_uris: p.redirect_uris,
  post_logout_redirect_uris: p.post_logout_redirect_uris,
  backchannel_logout_uri: p.backchannel_logout_uri,
  first_party: p.first_party,
  scope: p.scope,
  grant_types: p.grant_types,
  token_endpoint_auth_method: p.token_endpoint_auth_method,
  id_token_signed_response_alg: p.id_token_signed_response_alg,
  jwks_uri: p.jwks_uri,
  jwks: p.jwks,
  dpop: p.dpop,
  updated_at: p.updated_at,
})

export class SqlClients implements ClientRepository {
  readonly #d: SqlDialect
  readonly #insert
  readonly #byId
  readonly #all
  readonly #update
  readonly #delete
  readonly #deleteConsents
  readonly #deleteSessions

  constructor(dialect: SqlDialect) {
    const db = dialect.db
    this.#d = dialect
    this.#insert = prepare((p: ClientRow) =>
      db.insertInto('oauth_clients').values({ id: p.id, ...settable(p), created_at: p.created_at }),
    )
    this.#byId = prepare((p: { id: string }) =>
      db.selectFrom('oauth_clients').selectAll().where('id', '=', p.id),
    )
    this.#all = prepare((_: object) =>
      db.selectFrom('oauth_clients').selectAll().orderBy('name').orderBy('id'),
    )
    this.#update = prepare((p: ClientRow) =>
      db.updateTable('oauth_clients').set(settable(p)).where('id', '=', p.id),
    )
    this.#delete = prepare((p: { id: string }) => db.deleteFrom('oauth_clients').where('id', '=', p.id))
    this.#deleteConsents = prepare((p: { id: string }) =>
      db.deleteFrom('consents').where('client_id', '=', p.id),
    )
    this.#deleteSessions = prepare((p: { id: string }) =>
      db.deleteFrom('session_clients').where('client_id', '=', p.id),
    )
  }

  async create(client: OAuthClientRecord): Promise<void> {
    try {
      await this.#insert.run(this.#d.run, clientRow(client))
    } catch (error) {
      if (this.#d.isUniqueViolation(error))
        throw new ClientExists(`a client with the id "${client.id}" is registered already; choose another`)
      throw error
    }
  }

  async find(id: string): Promise<OAuthClientRecord | undefined> {
    const row = await this.#byId.first(this.#d.run, { id })
    return row ? toClient(row) : undefined
  }

  async list(): Promise<OAuthClientRecord[]> {
    return (await this.#all.rows(this.#d.run, {})).map(toClient)
  }

  update(
    id: string,
    changes: Partial<Omit<OAuthClientRecord, 'id' | 'createdAt'>>,
    now: number,
  ): Promise<boolean> {
    return this.#d.transaction(async (trx) => {
      const row = await this.#byId.first(trx, { id })
      if (!row) return false
      const next: OAuthClientRecord = { ...toClient(row), ...changes, id, updatedAt: now }
      return (await this.#update.changed(trx, clientRow(next))) === 1
    })
  }

  /** The client and what was remembered for it (consents, its sign-ins) go together. */
  remove(id: string): Promise<boolean> {
    return this.#d.transaction(async (trx) => {
      await this.#deleteConsents.run(trx, { id })
      await this.#deleteSessions.run(trx, { id })
      return (await this.#delete.changed(trx, { id })) === 1
    })
  }
}
