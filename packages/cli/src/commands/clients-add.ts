/**
 * @module `tessera clients add`: registers an OpenID Connect client in the server's store and prints its
 * client_id and, for a confidential client, its client_secret — once: only a keyed hash is stored.
 */
import { addClient, type ClientRegistration } from '@tessera/server'
import { booleanFlag, type Command, type ParsedArgs, stringFlag } from '../args.js'
import { CliUsageError } from '../errors.js'
import { note, print, printJson } from '../output.js'
import { adminConfig, DATABASE_FLAG } from '../server-config.js'

const list = (args: ParsedArgs, name: string): string[] => {
  const value = args.values[name]
  return Array.isArray(value) ? value : typeof value === 'string' ? [value] : []
}

function registration(args: ParsedArgs, name: string): ClientRegistration {
  const type = stringFlag(args, 'type') ?? 'confidential'
  if (type !== 'confidential' && type !== 'public')
    throw new CliUsageError('--type must be confidential or public')
  const alg = stringFlag(args, 'id-token-alg')
  if (alg !== undefined && alg !== 'RS256' && alg !== 'ES256' && alg !== 'EdDSA')
    throw new CliUsageError('--id-token-alg must be RS256, ES256 or EdDSA')
  const jwksUri = stringFlag(args, 'jwks-uri')
  const backchannel = stringFlag(args, 'backchannel-logout-uri')
  const scope = stringFlag(args, 'scope')
  const grants = list(args, 'grant')
  const dpop = stringFlag(args, 'dpop')
  if (dpop !== undefined && dpop !== 'required' && dpop !== 'allowed' && dpop !== 'off')
    throw new CliUsageError('--dpop must be required, allowed or off')
  return {
    name,
    type,
    redirectUris: list(args, 'redirect-uri'),
    postLogoutRedirectUris: list(args, 'post-logout-redirect-uri'),
    firstParty: booleanFlag(args, 'first-party'),
    ...(backchannel !== undefined ? { backchannelLogoutUri: backchannel } : {}),
    ...(scope !== undefined ? { scope } : {}),
    ...(alg !== undefined ? { idTokenSignedResponseAlg: alg } : {}),
    ...(grants.length > 0 ? { grantTypes: grants } : {}),
    ...(dpop !== undefined ? { dpop } : {}),
    // A client with its own keys authenticates with them (RFC 7523), not a secret.
    ...(jwksUri !== undefined ? { jwksUri, tokenEndpointAuthMethod: 'private_key_jwt' as const } : {}),
  }
}

async function run(args: ParsedArgs): Promise<number> {
  const name = args.positionals[0]
  if (!name) throw new CliUsageError('give the client’s name: tessera clients add Notes --redirect-uri URI')
  const config = adminConfig(args)
  const { client, secret } = await addClient(config, registration(args, name))
  if (booleanFlag(args, 'json')) {
    printJson({ client_id: client.client_id, client_secret: secret ?? null })
  } else {
    print(`client_id: ${client.client_id}`)
    if (secret !== undefined) print(`client_secret: ${secret}`)
    note(
      secret !== undefined
        ? `added ${client.client_name} (${client.type}, ${client.token_endpoint_auth_method}); the secret is shown only now`
        : `added ${client.client_name} (${client.type}, ${client.token_endpoint_auth_method})`,
    )
  }
  note(`database: ${config.database}`)
  return 0
}

export const command: Command = {
  name: 'clients add',
  summary: 'register an OpenID Connect client',
  usage:
    'clients add NAME --redirect-uri URI [--redirect-uri URI …] [--type confidential|public]\n' +
    '       [--post-logout-redirect-uri URI] [--backchannel-logout-uri URI] [--first-party] [--scope "…"]\n' +
    '       [--id-token-alg RS256] [--jwks-uri URL] [--grant GRANT …] [--dpop required|allowed|off]\n' +
    '       [--database URL] [--json]',
  maxPositionals: 1,
  flags: {
    'redirect-uri': {
      type: 'string',
      value: 'URI',
      multiple: true,
      description: 'where authorization responses go (repeat for more); matched exactly',
    },
    type: {
      type: 'string',
      value: 'TYPE',
      description: 'confidential (default: has a secret) or public (none)',
    },
    'post-logout-redirect-uri': {
      type: 'string',
      value: 'URI',
      multiple: true,
      description: 'where /logout may send the user afterwards (repeat for more)',
    },
    'backchannel-logout-uri': {
      type: 'string',
      value: 'URI',
      description: 'receives a logout token when the user’s session ends',
    },
    'first-party': { type: 'boolean', description: 'skip the consent page for this client' },
    scope: {
      type: 'string',
      value: 'SCOPES',
      description: 'scopes it may ask for (default "openid profile email offline_access")',
    },
    'id-token-alg': { type: 'string', value: 'ALG', description: 'RS256 (default), ES256 or EdDSA' },
    'jwks-uri': {
      type: 'string',
      value: 'URL',
      description: 'the client’s public keys: it authenticates with private_key_jwt, no secret',
    },
    grant: {
      type: 'string',
      value: 'GRANT',
      multiple: true,
      description: 'authorization_code, refresh_token, client_credentials (default the first two)',
    },
    dpop: {
      type: 'string',
      value: 'SETTING',
      description:
        'DPoP proofs at /token: required (refused without), allowed (default: DPoP-bound with one, Bearer without), off (ignored)',
    },
    database: DATABASE_FLAG,
    json: { type: 'boolean', description: 'print {"client_id", "client_secret"} as JSON' },
  },
  details:
    'A confidential client gets a random 256-bit client_secret, printed once on stdout; the store keeps\n' +
    'only an HMAC of it. Redirect URIs must be https, except on loopback hosts or in development; loopback\n' +
    'IP redirect URIs (http://127.0.0.1/…, http://[::1]/…) match on any port (RFC 8252). Running servers\n' +
    'accept the client at once.\n' +
    'Exit status: 0 added; 1 refused (ERR_CLIENT_EXISTS); 2 usage (ERR_CLIENT_INVALID names the field).',
  examples: [
    'tessera clients add Notes --redirect-uri https://notes.example.com/callback',
    'tessera clients add Photos --type public --redirect-uri http://localhost:8082/callback --json',
    'tessera clients add Mobile --type public --dpop required --redirect-uri https://app.example.com/cb',
    'tessera clients add Wiki --redirect-uri https://wiki.example.com/cb \\\n' +
      '    --backchannel-logout-uri https://wiki.example.com/bcl --post-logout-redirect-uri https://wiki.example.com/',
  ],
  run,
}
