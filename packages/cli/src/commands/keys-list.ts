/**
 * @module `tessera keys list`: a server's signing keys with their schedule (pending, signing, retired).
 */
import { listKeys } from '@tessera/server'
import { booleanFlag, type Command, type ParsedArgs } from '../args.js'
import { print, printJson } from '../output.js'
import { adminConfig, DATABASE_FLAG } from '../server-config.js'
import { table } from '../table.js'

async function run(args: ParsedArgs): Promise<number> {
  const keys = await listKeys(adminConfig(args))
  if (booleanFlag(args, 'json')) printJson(keys)
  else {
    print(
      table(
        ['KID', 'ALG', 'STATUS', 'SIGNS FROM', 'STOPS SIGNING', 'UNPUBLISHED AT'],
        keys.map((k) => [k.kid, k.alg, k.status, k.activatesAt, k.retiresAt ?? '-', k.removeAt ?? '-']),
      ),
    )
  }
  return 0
}

export const command: Command = {
  name: 'keys list',
  summary: 'list a server’s signing keys and their schedule',
  usage: 'keys list [--database URL] [--json]',
  flags: { database: DATABASE_FLAG, json: { type: 'boolean', description: 'print a JSON array' } },
  examples: [
    'tessera keys list',
    'tessera keys list --json | jq -r ".[] | select(.status == \\"signing\\") | .kid"',
  ],
  run,
}
