/**
 * @module `tessera users disable`: blocks a user's logins and ends their refresh-token families and
 * sessions at once (their access tokens still verify locally until they expire; introspection says no).
 */
import { disableUser } from '@tessera/server'
import { booleanFlag, type Command, type ParsedArgs } from '../args.js'
import { CliUsageError } from '../errors.js'
import { print, printJson } from '../output.js'
import { adminConfig, DATABASE_FLAG } from '../server-config.js'

async function run(args: ParsedArgs): Promise<number> {
  const username = args.positionals[0]
  if (!username) throw new CliUsageError('give the username: tessera users disable alice')
  const user = await disableUser(adminConfig(args), username)
  if (booleanFlag(args, 'json')) printJson(user)
  else print(`disabled ${user.username}: logins refused, refresh tokens and sessions ended`)
  return 0
}

export const command: Command = {
  name: 'users disable',
  summary: 'disable a user and end their sessions',
  usage: 'users disable USERNAME [--database URL] [--json]',
  maxPositionals: 1,
  flags: { database: DATABASE_FLAG, json: { type: 'boolean', description: 'print the user as JSON' } },
  details:
    'Access tokens already issued stay valid for resource servers that verify locally until they expire\n' +
    '(--access-ttl, 15 min by default); introspection and the auth server refuse them at once.\n' +
    'Exit status: 0 disabled; 1 ERR_USER_NOT_FOUND; 2 usage.',
  examples: ['tessera users disable alice', 'tessera users enable alice'],
  run,
}
