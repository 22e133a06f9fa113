/**
 * @module `tessera keys rotate`: adds a signing key to a server's ring. It is published at once and signs
 * after one JWKS cache lifetime (so every verifier has it first); `--immediate` is for a leaked key.
 */
import { rotateKeys } from '@tessera/server'
import { booleanFlag, type Command, type ParsedArgs } from '../args.js'
import { print, printJson } from '../output.js'
import { adminConfig, DATABASE_FLAG } from '../server-config.js'

async function run(args: ParsedArgs): Promise<number> {
  const info = await rotateKeys(adminConfig(args), { immediate: booleanFlag(args, 'immediate') })
  if (booleanFlag(args, 'json')) printJson(info)
  else
    print(`new ${info.alg} key ${info.kid}: published now, signs from ${info.activatesAt} (${info.status})`)
  return 0
}

export const command: Command = {
  name: 'keys rotate',
  summary: 'rotate a server’s signing keys (with overlap)',
  usage: 'keys rotate [--database URL] [--immediate] [--json]',
  flags: {
    database: DATABASE_FLAG,
    immediate: {
      type: 'boolean',
      description: 'sign with the new key now (a leaked key); caches may miss it for one JWKS max-age',
    },
    json: { type: 'boolean', description: 'print the new key’s info as JSON' },
  },
  details:
    'The new key is published now and signs after --jwks-max-age; the old one stops signing then and\n' +
    'stays published for --access-ttl plus --clock-skew, so no valid token ever fails to verify.\n' +
    'A running server on the same store picks the change up within 30 s. Needs the same TESSERA_SECRET\n' +
    '(or development secret file next to the database) as the server.',
  examples: [
    'tessera keys rotate',
    'TESSERA_SECRET=… tessera keys rotate --database sqlite:/var/lib/tessera/tessera.db --immediate',
  ],
  run,
}
