/**
 * @module `tessera users enable`: lets a disabled user log in again (ended sessions stay ended).
 */
import { enableUser } from '@tessera/server'
import { booleanFlag, type Command, type ParsedArgs } from '../args.js'
import { CliUsageError } from '../errors.js'
import { print, printJson } from '../output.js'
import { adminConfig, DATABASE_FLAG } from '../server-config.js'

async function run(args: ParsedArgs): Promise<number> {
  const username = args.positionals[0]
  if (!username) throw new CliUsageError('give the username: tessera users enable alice')
  const user = await enableUser(adminConfig(args), username)
  if (booleanFlag(args, 'json')) printJson(user)
  else print(`enabled ${user.username}`)
  return 0
}

export const command: Command = {
  name: 'users enable',
  summary: 'let a disabled user log in again',
  usage: 'users enable USERNAME [--database URL] [--json]',
  maxPositionals: 1,
  flags: { database: DATABASE_FLAG, json: { type: 'boolean', description: 'print the user as JSON' } },
  examples: ['tessera users enable alice'],
  run,
}
