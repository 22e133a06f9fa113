/**
 * @module `tessera jwt sign`: claims (argument or stdin) in, a signed compact JWT out.
 */
import { signJWT } from '@tessera/jose'
import { signingAlgFor } from '../alg-defaults.js'
import { algorithmFlag } from '../alg-flags.js'
import { booleanFlag, type Command, type ParsedArgs, requiredFlag, stringFlag } from '../args.js'
import { CLAIM_TEMPLATE_FLAGS, claimTemplate } from '../claim-flags.js'
import { CliUsageError } from '../errors.js'
import { argumentOrStdin, parseJsonObject } from '../input.js'
import { loadKey, singleKey } from '../key-files.js'
import { print, printJson } from '../output.js'

async function run(args: ParsedArgs): Promise<number> {
  const keySpec = requiredFlag(
    args,
    'key',
    'jwt sign',
    'a private JWK or PEM file, e.g. from "tessera keys generate"',
  )
  const alg = algorithmFlag(args, 'alg', 'jws')
  const loaded = await loadKey(keySpec, {
    purpose: 'sign',
    algorithms: alg ? [alg] : undefined,
    kid: stringFlag(args, 'kid'),
  })
  const key = singleKey(loaded)
  const signingAlg = alg ?? signingAlgFor({ kty: key.kty, crv: key.crv, alg: key.alg })
  if (!signingAlg) {
    throw new CliUsageError(
      `the ${loaded.description} does not say which algorithm it is for: pass --alg (e.g. HS256, RS256)`,
    )
  }
  const claims = parseJsonObject(
    await argumentOrStdin(args.positionals[0], 'claims', 'jwt sign', '{}'),
    'claims',
  )
  const kid = stringFlag(args, 'kid') ?? loaded.kid
  const typ = stringFlag(args, 'typ')
  const token = await signJWT(claims, key, {
    alg: signingAlg,
    ...(kid ? { kid } : {}),
    ...(typ ? { typ } : {}),
    ...claimTemplate(args, claims),
  })
  if (booleanFlag(args, 'json')) {
    const [header, payload] = token
      .split('.')
      .slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()))
    printJson({ token, header, payload })
  } else {
    print(token)
  }
  return 0
}

export const command: Command = {
  name: 'jwt sign',
  summary: 'sign a JWT with a private JWK, PEM or HMAC secret',
  usage: 'jwt sign --key FILE [--alg ALG] [--exp 15m] [--iss URL] [--aud A] [--sub S] [\'{"claim":…}\' | -]',
  maxPositionals: 1,
  flags: {
    key: {
      type: 'string',
      value: 'FILE',
      description: 'private JWK, JWK Set (with --kid), PKCS#8 PEM, or env:NAME (HMAC secret)',
    },
    alg: {
      type: 'string',
      value: 'ALG',
      description: 'algorithm; default: the key’s "alg", or its curve (ES256, EdDSA)',
    },
    kid: {
      type: 'string',
      value: 'KID',
      description: 'header "kid" (default: the JWK’s kid); picks the key in a set',
    },
    typ: { type: 'string', value: 'TYP', description: 'header "typ", e.g. at+jwt' },
    ...CLAIM_TEMPLATE_FLAGS,
    json: { type: 'boolean', description: 'print { token, header, payload } as JSON' },
  },
  details:
    'Claims are a JSON object given as the argument or piped on stdin (none: an empty object).\n' +
    'Exit status: 0 signed, 1 the key cannot sign (e.g. a public key), 2 usage or unreadable input.',
  examples: [
    'tessera keys generate --alg ES256 --out key.json',
    'tessera jwt sign --key key.json --exp 15m --iss https://auth.example \'{"sub":"u1"}\'',
    'echo \'{"sub":"u1","scope":"read"}\' | tessera jwt sign --key key.json --exp 1h',
    'JWT_SECRET=… tessera jwt sign --key env:JWT_SECRET --alg HS256 --exp 5m \'{"sub":"u1"}\'',
  ],
  run,
}
