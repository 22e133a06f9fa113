/**
 * @module `tessera users add`: creates a user in the server's store (password policy applies).
 */
import { addUser } from '@tessera/server'
import { booleanFlag, type Command, type ParsedArgs, stringFlag } from '../args.js'
import { CliUsageError } from '../errors.js'
import { note, print, printJson } from '../output.js'
import { readNewPassword } from '../password-input.js'
import { profileFlags, profileOf } from '../profile-flags.js'
import { adminConfig, DATABASE_FLAG } from '../server-config.js'

async function run(args: ParsedArgs): Promise<number> {
  const username = args.positionals[0]
  if (!username) throw new CliUsageError('give the username: tessera users add alice')
  const config = adminConfig(args)
  const profile = profileOf(args)
  const password = await readNewPassword(stringFlag(args, 'password-env'))
  const user = await addUser(config, username, password, profile)
  if (booleanFlag(args, 'json')) printJson(user)
  else print(`added ${user.username} (id ${user.id})`)
  note(`database: ${config.database}`)
  return 0
}

export const command: Command = {
  name: 'users add',
  summary: 'add a user to a server’s store',
  usage: 'users add USERNAME [--name NAME] [--email ADDRESS] [--database URL] [--password-env NAME] [--json]',
  maxPositionals: 1,
  flags: {
    ...profileFlags,
    database: DATABASE_FLAG,
    'password-env': {
      type: 'string',
      value: 'NAME',
      description: 'read the password from this environment variable',
    },
    json: { type: 'boolean', description: 'print the new user as JSON' },
  },
  details:
    'The password comes from the first line of stdin when piped, from --password-env, or from a hidden\n' +
    'prompt; never from argv. The server’s policy applies (length, common passwords).\n' +
    'Exit status: 0 added; 1 refused (ERR_USER_EXISTS, ERR_PASSWORD_REJECTED); 2 usage.',
  examples: [
    'tessera users add alice',
    'printf "%s\\n" "$PASS" | tessera users add bob --database sqlite:./data/tessera.db',
    'ADMIN_PW=… tessera users add admin --password-env ADMIN_PW --json',
    'tessera users add alice --name "Alice Liddell" --email alice@example.com',
  ],
  run,
}
