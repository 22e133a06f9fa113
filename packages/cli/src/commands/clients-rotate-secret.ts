/**
 * @module `tessera clients rotate-secret`: gives a confidential client a new client_secret, printed once;
 * the old one stops working at once on every instance.
 */
import { rotateClientSecret } from '@tessera/server'
import { booleanFlag, type Command, type ParsedArgs } from '../args.js'
import { CliUsageError } from '../errors.js'
import { note, print, printJson } from '../output.js'
import { adminConfig, DATABASE_FLAG } from '../server-config.js'

async function run(args: ParsedArgs): Promise<number> {
  const id = args.positionals[0]
  if (!id) throw new CliUsageError('give the client_id: tessera clients rotate-secret CLIENT_ID')
  const { client, secret } = await rotateClientSecret(adminConfig(args), id)
  if (booleanFlag(args, 'json')) printJson({ client_id: client.client_id, client_secret: secret })
  else {
    print(`client_id: ${client.client_id}`)
    print(`client_secret: ${secret}`)
    note('the old secret no longer works; the new one is shown only now')
  }
  return 0
}

export const command: Command = {
  name: 'clients rotate-secret',
  summary: 'give a client a new secret',
  usage: 'clients rotate-secret CLIENT_ID [--database URL] [--json]',
  maxPositionals: 1,
  flags: {
    database: DATABASE_FLAG,
    json: { type: 'boolean', description: 'print {"client_id", "client_secret"} as JSON' },
  },
  details:
    'Exit status: 0 rotated; 1 ERR_CLIENT_NOT_FOUND; 2 usage (ERR_CLIENT_INVALID: the client uses no secret).',
  examples: ['tessera clients rotate-secret 3f1c0a9e5b7d4c2a8e6f0b1d3c5a7e9f --json'],
  run,
}
