/**
 * @module The server configuration the admin commands (`users …`, `keys …`) act on: the `--database`
 * flag plus the same `TESSERA_*` environment `tessera serve` reads, so both see one store and one secret.
 */
import { parseServeArgs, type ServerConfig } from '@tessera/server'
import type { Flag } from './args.js'
import { type ParsedArgs, stringFlag } from './args.js'

export const DATABASE_FLAG: Flag = {
  type: 'string',
  value: 'URL',
  description:
    'the server’s store: sqlite:PATH or a .db path (default: $TESSERA_DATABASE or sqlite:./data/tessera.db)',
}

/** `./data/x.db` → `sqlite:./data/x.db`; URLs pass through. */
export function databaseUrl(value: string): string {
  return /^[a-z]+:/i.test(value) && !/^[a-z]:[\\/]/i.test(value) ? value : `sqlite:${value}`
}

export function adminConfig(args: ParsedArgs): ServerConfig {
  const database = stringFlag(args, 'database')
  return parseServeArgs(database ? ['--database', databaseUrl(database)] : [], process.env)
}
