/**
 * @module `tessera users list`: the users in a server's store (no password hashes, ever).
 */
import { listUsers } from '@tessera/server'
import { booleanFlag, type Command, type ParsedArgs } from '../args.js'
import { print, printJson } from '../output.js'
import { adminConfig, DATABASE_FLAG } from '../server-config.js'
import { table } from '../table.js'

async function run(args: ParsedArgs): Promise<number> {
  const users = await listUsers(adminConfig(args))
  if (booleanFlag(args, 'json')) printJson(users)
  else if (users.length === 0) print('no users yet: add one with "tessera users add NAME"')
  else {
    print(
      table(
        ['USERNAME', 'STATUS', 'CREATED', 'ID'],
        users.map((u) => [u.username, u.disabled ? 'disabled' : 'active', u.createdAt, u.id]),
      ),
    )
  }
  return 0
}

export const command: Command = {
  name: 'users list',
  summary: 'list a server’s users',
  usage: 'users list [--database URL] [--json]',
  flags: { database: DATABASE_FLAG, json: { type: 'boolean', description: 'print a JSON array' } },
  examples: ['tessera users list', 'tessera users list --database sqlite:/var/lib/tessera/tessera.db --json'],
  run,
}
