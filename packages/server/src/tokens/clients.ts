/**
 * @module The clients a token may be issued to, and the check that a presented `client_id` is one of them.
 *
 * Today the clients are the configured first-party public clients (`--clients`); the rotation policy and
 * the services see a `ClientRecord`, never the config, so a stored client list slots in behind `Clients`.
 */
import { ClientUnknown } from '../errors.js'

export interface ClientRecord {
  id: string
}

export interface Clients {
  /** The client a request without `client_id` speaks for. */
  readonly defaultClient: ClientRecord
  find(id: string): ClientRecord | undefined
}

/** The configured list: the first entry is the default client. */
export function configuredClients(ids: readonly string[]): Clients {
  const first = ids[0]
  if (first === undefined) throw new TypeError('at least one client_id must be configured')
  const records = new Map(ids.map((id) => [id, { id }]))
  return {
    defaultClient: records.get(first)!,
    find: (id) => records.get(id),
  }
}

/** The client a request speaks for: its `client_id`, else the default one. Throws ClientUnknown. */
export function checkClient(clients: Clients, clientId: string | undefined): ClientRecord {
  if (clientId === undefined) return clients.defaultClient
  const client = clients.find(clientId)
  if (!client) throw new ClientUnknown(`client_id "${clientId.slice(0, 64)}" is not a client of this server`)
  return client
}
