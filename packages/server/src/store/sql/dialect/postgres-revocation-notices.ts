/**
 * @module Revocation notices on PostgreSQL: NOTIFY on one channel, LISTEN on a dedicated connection that
 * is watched (a heartbeat every few seconds, since a silently dropped socket sends no error) and
 * re-established after a loss. The channel reports up only once LISTEN is active, and down the moment
 * the connection errs, ends or misses a heartbeat, so the revocation set knows when it may be stale.
 */
import pg from 'pg'
import type { ChannelHandlers, RevocationChannel } from '../../../revocation/channel.js'
import { decodeNotice, encodeNotice, type RevocationEvent } from '../../../revocation/events.js'

export const REVOCATIONS_CHANNEL = 'tessera_revocations'

/** A LISTEN connection that does not answer a trivial query within this long is treated as lost. */
const HEARTBEAT_MS = 2000
const RETRY_MS = 500

export function postgresRevocationChannel(connectionString: string, schema: string): RevocationChannel {
  let handlers: ChannelHandlers | undefined
  let client: pg.Client | undefined
  let backendPid: number | undefined
  let retry: NodeJS.Timeout | undefined
  let heartbeat: NodeJS.Timeout | undefined
  let closed = false

  const lost = (current: pg.Client, reason: string) => {
    if (client !== current) return
    client = undefined
    backendPid = undefined
    if (heartbeat) clearInterval(heartbeat)
    current.end().catch(() => {})
    handlers?.down(reason)
    if (!closed && !retry) {
      retry = setTimeout(() => void listen(), RETRY_MS)
      retry.unref()
    }
  }

  const listen = async (): Promise<void> => {
    retry = undefined
    if (closed) return
    const candidate = new pg.Client({
      connectionString,
      connectionTimeoutMillis: 3000,
      query_timeout: HEARTBEAT_MS,
      keepAlive: true,
      // Per schema, so an operator (or a fault test) can find this tenant's listener in pg_stat_activity.
      application_name: `tessera-revocations ${schema}`.slice(0, 63),
    })
    candidate.on('error', (error) => lost(candidate, `the LISTEN connection failed: ${error.message}`))
    candidate.on('end', () => lost(candidate, 'the LISTEN connection ended'))
    candidate.on('notification', (message) => {
      if (message.channel !== REVOCATIONS_CHANNEL || !message.payload) return
      const event = decodeNotice(schema, message.payload)
      if (event) handlers?.event(event)
    })
    try {
      await candidate.connect()
      const row = await candidate.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')
      await candidate.query(`LISTEN ${REVOCATIONS_CHANNEL}`)
      if (closed) {
        await candidate.end().catch(() => {})
        return
      }
      client = candidate
      backendPid = row.rows[0]?.pid
      ;(
        candidate as unknown as { connection?: { stream?: { unref?: () => void } } }
      ).connection?.stream?.unref?.()
      heartbeat = setInterval(() => {
        candidate.query('SELECT 1').catch(() => lost(candidate, 'the LISTEN connection stopped answering'))
      }, HEARTBEAT_MS)
      heartbeat.unref()
      handlers?.up()
    } catch {
      candidate.removeAllListeners('end')
      candidate.end().catch(() => {})
      if (!closed && !retry) {
        retry = setTimeout(() => void listen(), RETRY_MS)
        retry.unref()
      }
    }
  }

  return {
    kind: 'postgres',
    async publish(event: RevocationEvent) {
      if (!client) throw new Error('the revocation channel is not connected')
      await client.query('SELECT pg_notify($1, $2)', [REVOCATIONS_CHANNEL, encodeNotice(schema, event)])
    },
    subscribe(h) {
      handlers = h
      void listen()
    },
    detail: () => ({ backendPid }),
    async close() {
      closed = true
      handlers = undefined
      if (retry) clearTimeout(retry)
      if (heartbeat) clearInterval(heartbeat)
      const current = client
      client = undefined
      await current?.end().catch(() => {})
    },
  }
}
