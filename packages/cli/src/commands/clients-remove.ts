/**
 * @module `tessera clients remove`: unregisters a client (with the consents given to it); every
 * instance refuses it from its next request on.
 */
import { removeClient } from '@tessera/server'
import { booleanFlag, type Command, type ParsedArgs } from '../args.js'
import { CliUsageError } from '../errors.js'
import { print, printJson } from '../output.js'
import { adminConfig, DATABASE_FLAG } from '../server-config.js'

async function run(args: ParsedArgs): Promise<number> {
  const id = args.positionals[0]
  if (!id) throw new CliUsageError('give the client_id: tessera clients remove CLIENT_ID')
  await removeClient(adminConfig(args), id)
  if (booleanFlag(args, 'json')) printJson({ client_id: id, removed: true })
  else print(`removed ${id}`)
  return 0
}

export const command: Command = {
  name: 'clients remove',
  summary: 'unregister a client',
  usage: 'clients remove CLIENT_ID [--database URL] [--json]',
  maxPositionals: 1,
  flags: { database: DATABASE_FLAG, json: { type: 'boolean', description: 'print the result as JSON' } },
  details:
    'Tokens already issued to it stay valid until they expire or are revoked.\n' +
    'Exit status: 0 removed; 1 ERR_CLIENT_NOT_FOUND; 2 usage.',
  examples: ['tessera clients remove 3f1c0a9e5b7d4c2a8e6f0b1d3c5a7e9f'],
  run,
}
