/**
 * @module Reads a `postgres://` URL into pg settings plus Tessera's own query parameters, which pg
 * would otherwise pass to the server: `schema` (tables live there; created on first start, so tests
 * and tenants can share one database) and `pool_max` (connections per instance).
 */
import { ConfigInvalid } from '../../errors.js'

export interface PostgresUrl {
  /** The URL without Tessera's parameters, for pg. */
  connectionString: string
  schema: string
  poolMax: number
}

const SCHEMA = /^[a-z_][a-z0-9_]{0,62}$/

export function parsePostgresUrl(url: string): PostgresUrl {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new ConfigInvalid('--database', 'is not a valid postgres:// URL')
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:')
    throw new ConfigInvalid('--database', 'must start with postgres:// or postgresql://')
  const schema = parsed.searchParams.get('schema') ?? 'public'
  if (!SCHEMA.test(schema))
    throw new ConfigInvalid('--database', 'schema= must be a lower-case SQL identifier (a-z, 0-9, _)')
  const rawMax = parsed.searchParams.get('pool_max') ?? '10'
  if (!/^\d+$/.test(rawMax) || Number(rawMax) < 1 || Number(rawMax) > 200)
    throw new ConfigInvalid('--database', 'pool_max= must be a whole number from 1 to 200')
  parsed.searchParams.delete('schema')
  parsed.searchParams.delete('pool_max')
  return { connectionString: parsed.toString(), schema, poolMax: Number(rawMax) }
}

/** The URL with any password masked, for logs. */
export function maskDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password) parsed.password = '********'
    return parsed.toString()
  } catch {
    return url.startsWith('sqlite:') ? url : '(unparseable URL)'
  }
}
