/**
 * @module The throwaway user `tessera compare` measures as: made in the server's store, used for one run,
 * and disabled when the run ends, whether it succeeded or failed, so no usable account is left behind.
 */
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { addUser, disableUser, type ServerConfig } from '@tessera/server'
import { CliUsageError } from './errors.js'
import { note } from './output.js'

export interface Account {
  username: string
  password: string
}

/** The file of a `sqlite:PATH` store, or undefined for other stores (and in-memory SQLite). */
function sqliteFile(database: string): string | undefined {
  const path = /^sqlite:(.+)$/.exec(database)?.[1]
  return path && path !== ':memory:' ? path : undefined
}

/**
 * Runs `measure` as a fresh user of the store `config` names, then disables that user (which also ends
 * its refresh-token families and sessions). A store that does not exist yet is refused rather than
 * created: it cannot be the one a running server uses.
 */
export async function withThrowawayUser<T>(
  config: ServerConfig,
  measure: (account: Account) => Promise<T>,
): Promise<T> {
  const file = sqliteFile(config.database)
  if (file !== undefined && !existsSync(file)) {
    throw new CliUsageError(
      `there is no store at ${file}: pass --database with the store of the server you measure, ` +
        'or --username to measure as an existing user',
    )
  }
  // 24 random base64url characters fit any length policy and are never shown.
  const account = {
    username: `compare-${randomBytes(6).toString('hex')}`,
    password: randomBytes(18).toString('base64url'),
  }
  await addUser(config, account.username, account.password)
  try {
    return await measure(account)
  } finally {
    await disableUser(config, account.username).catch((error: unknown) => {
      note(
        `warning: the throwaway user "${account.username}" could not be disabled (${(error as Error).message}); ` +
          `run "tessera users disable ${account.username}"`,
      )
    })
  }
}
