/**
 * @module `tessera users update`: changes a user's profile (`--name`, `--email`), what OpenID Connect
 * clients read with the `profile` and `email` scopes. An empty value clears the field.
 */
import { updateUser } from '@tessera/server'
import { booleanFlag, type Command, type ParsedArgs } from '../args.js'
import { CliUsageError } from '../errors.js'
import { print, printJson } from '../output.js'
import { profileFlags, profileOf } from '../profile-flags.js'
import { adminConfig, DATABASE_FLAG } from '../server-config.js'

async function run(args: ParsedArgs): Promise<number> {
  const username = args.positionals[0]
  if (!username)
    throw new CliUsageError('give the username: tessera users update alice --name "Alice Liddell"')
  const profile = profileOf(args)
  if (Object.keys(profile).length === 0)
    throw new CliUsageError('nothing to change: give --name, --email, --email-verified or --email-unverified')
  const user = await updateUser(adminConfig(args), username, profile)
  if (booleanFlag(args, 'json')) printJson(user)
  else print(`updated ${user.username}: name ${user.name ?? '(none)'}, email ${user.email ?? '(none)'}`)
  return 0
}

export const command: Command = {
  name: 'users update',
  summary: 'change a user’s name or email',
  usage: 'users update USERNAME [--name NAME] [--email ADDRESS] [--email-verified] [--database URL] [--json]',
  maxPositionals: 1,
  flags: {
    ...profileFlags,
    database: DATABASE_FLAG,
    json: { type: 'boolean', description: 'print the user as JSON' },
  },
  details:
    'A new --email is unverified unless --email-verified is given. An empty value ("") clears the field.\n' +
    'Exit status: 0 updated; 1 ERR_USER_NOT_FOUND; 2 usage (ERR_REQUEST_INVALID: a malformed value).',
  examples: [
    'tessera users update alice --name "Alice Liddell" --email alice@example.com',
    'tessera users update alice --email ""',
  ],
  run,
}
