/**
 * @module Opens the Store a `--database` URL names: `sqlite:<path>` now; `postgres://…` when it lands.
 */
import { ConfigInvalid } from '../errors.js'
import { SqliteStore } from './sqlite/sqlite-store.js'
import type { Store } from './types.js'

export async function openStore(database: string, options: { busyTimeoutMs?: number } = {}): Promise<Store> {
  if (database.startsWith('sqlite:')) return new SqliteStore(database.slice('sqlite:'.length), options)
  throw new ConfigInvalid('--database', 'only sqlite:<path> is supported in this version')
}

/** The SQLite file path of a `sqlite:` URL (undefined for other stores or `:memory:`). */
export function sqlitePath(database: string): string | undefined {
  if (!database.startsWith('sqlite:')) return undefined
  const path = database.slice('sqlite:'.length)
  return path === ':memory:' ? undefined : path
}
