/** @module `tessera clients list`: the registered clients (never a secret or its hash). */
import { listClients } from '@tessera/server'
import { booleanFlag, type Command, type ParsedArgs } from '../args.js'
import { print, printJson } from '../output.js'
import { adminConfig, DATABASE_FLAG } from '../server-config.js'
import { table } from '../table.js'

async function run(args: ParsedArgs): Promise<number> {
  const clients = await listClients(adminConfig(args))
  if (booleanFlag(args, 'json')) printJson(clients)
  else if (clients.length === 0)
    print('no clients yet: add one with "tessera clients add NAME --redirect-uri URI"')
  else {
    print(
      table(
        ['CLIENT_ID', 'NAME', 'TYPE', 'AUTH', 'DPOP', 'REDIRECT URIS'],
        clients.map((c) => [
          c.client_id,
          c.client_name,
          c.first_party ? `${c.type}, first-party` : c.type,
          c.token_endpoint_auth_method,
          c.dpop,
          c.redirect_uris.join(' '),
        ]),
      ),
    )
  }
  return 0
}

export const command: Command = {
  name: 'clients list',
  summary: 'list the registered clients',
  usage: 'clients list [--database URL] [--json]',
  flags: { database: DATABASE_FLAG, json: { type: 'boolean', description: 'print a JSON array' } },
  examples: ['tessera clients list', 'tessera clients list --json'],
  run,
}
