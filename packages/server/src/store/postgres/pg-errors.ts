/**
 * @module Which PostgreSQL failures mean "the database is not there right now" (→ StoreUnavailable,
 * 503 + Retry-After) and which mean "run the transaction again" (serialization failure, deadlock).
 *
 * A stopped or restarting server shows up as a refused/reset socket, `57P01` (admin shutdown) on the
 * connections it had, `57P03` while it starts, or pg's own "Connection terminated" / connect timeout,
 * which carry no SQLSTATE: all of them are transient, and the pool reconnects by itself afterwards.
 */
import { StoreUnavailable } from '../../errors.js'

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
])

/** SQLSTATE 40001 (serialization_failure) and 40P01 (deadlock_detected): safe to retry from the top. */
export function isRetryable(error: unknown): boolean {
  const code = (error as { code?: string }).code
  return code === '40001' || code === '40P01'
}

export function isUnavailable(error: unknown): boolean {
  const e = error as { code?: string; message?: string }
  const code = e.code ?? ''
  if (NETWORK_CODES.has(code)) return true
  // Class 08: connection exception; 57P01-57P05: admin/crash shutdown, cannot connect now, idle
  // session timeout; 53300: too many connections; 3D000: the database does not exist (yet).
  if (/^08/.test(code) || /^57P0[1-5]$/.test(code) || code === '53300' || code === '3D000') return true
  const message = e.message ?? ''
  return (
    !code &&
    /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection closed|not queryable/i.test(
      message,
    )
  )
}

/** Rethrows a transient failure as StoreUnavailable; anything else unchanged. */
export function mapPgError(error: unknown): unknown {
  if (error instanceof StoreUnavailable) return error
  if (isUnavailable(error)) {
    const code = (error as { code?: string }).code
    return new StoreUnavailable(
      `the PostgreSQL database is unreachable${code ? ` (${code})` : ''}; retry shortly`,
      { cause: error },
    )
  }
  return error
}
