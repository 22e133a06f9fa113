/**
 * @module `tessera keys export-jwks`: the public JWK Set a server publishes, for verifiers that cannot
 * fetch /.well-known/jwks.json (air-gapped services, pinned configuration).
 */

import { writeFile } from 'node:fs/promises'
import { exportJwks } from '@tessera/server'
import { type Command, type ParsedArgs, stringFlag } from '../args.js'
import { CliInputError } from '../errors.js'
import { note, printJson } from '../output.js'
import { adminConfig, DATABASE_FLAG } from '../server-config.js'

async function run(args: ParsedArgs): Promise<number> {
  const jwks = await exportJwks(adminConfig(args))
  const out = stringFlag(args, 'out')
  if (!out) {
    printJson(jwks)
    return 0
  }
  try {
    await writeFile(out, `${JSON.stringify(jwks, null, 2)}\n`)
  } catch (error) {
    throw new CliInputError(
      `cannot write "${out}" (${(error as NodeJS.ErrnoException).code ?? 'write error'})`,
    )
  }
  note(`wrote ${jwks.keys.length} public key${jwks.keys.length === 1 ? '' : 's'} to ${out}`)
  return 0
}

export const command: Command = {
  name: 'keys export-jwks',
  summary: 'print a server’s public JWK Set',
  usage: 'keys export-jwks [--database URL] [--out FILE]',
  flags: {
    database: DATABASE_FLAG,
    out: { type: 'string', value: 'FILE', description: 'write it to this file instead of stdout' },
  },
  details: 'Only public keys are exported (the same set GET /.well-known/jwks.json serves).',
  examples: ['tessera keys export-jwks > jwks.json', 'tessera jwt verify --key jwks.json "$ACCESS_TOKEN"'],
  run,
}
