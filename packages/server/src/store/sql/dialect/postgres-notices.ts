/**
 * @module Signing-key notices on PostgreSQL: LISTEN on a dedicated connection (re-established after an
 * outage), calling every listener when any instance on the same schema commits a key change, and once
 * each time the LISTEN becomes active — a key written before that had no one to notify.
 */
import pg from 'pg'

export const KEYS_CHANNEL = 'tessera_signing_keys'

export class KeyNotices {
  readonly #connectionString: string
  readonly #schema: string
  readonly #listeners = new Set<() => void>()
  #client: pg.Client | undefined
  #retry: NodeJS.Timeout | undefined
  #closed = false

  constructor(connectionString: string, schema: string) {
    this.#connectionString = connectionString
    this.#schema = schema
  }

  watch(listener: () => void): () => void {
    this.#listeners.add(listener)
    if (!this.#client && !this.#retry) void this.#listen()
    return () => this.#listeners.delete(listener)
  }

  async close(): Promise<void> {
    this.#closed = true
    if (this.#retry) clearTimeout(this.#retry)
    this.#listeners.clear()
    await this.#client?.end().catch(() => {})
  }

  async #listen(): Promise<void> {
    this.#retry = undefined
    if (this.#closed) return
    const client = new pg.Client({
      connectionString: this.#connectionString,
      connectionTimeoutMillis: 3000,
      application_name: 'tessera-listen',
    })
    const retry = () => {
      if (this.#client === client) this.#client = undefined
      client.end().catch(() => {})
      if (!this.#closed && !this.#retry) {
        this.#retry = setTimeout(() => void this.#listen(), 1000)
        this.#retry.unref()
      }
    }
    client.on('error', retry)
    client.on('end', retry)
    client.on('notification', (message) => {
      if (message.channel === KEYS_CHANNEL && message.payload === this.#schema) this.#emit()
    })
    try {
      await client.connect()
      await client.query(`LISTEN ${KEYS_CHANNEL}`)
      if (this.#closed) {
        await client.end().catch(() => {})
        return
      }
      this.#client = client
      // The connection's socket must not keep a finished process alive.
      ;(
        client as unknown as { connection?: { stream?: { unref?: () => void } } }
      ).connection?.stream?.unref?.()
      this.#emit()
    } catch {
      retry()
    }
  }

  #emit(): void {
    for (const listener of this.#listeners) listener()
  }
}
