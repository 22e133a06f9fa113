/**
 * @module `tessera jwt verify`: checks a token's signature and claims; exit 0 valid, 1 invalid (the
 * reason on stderr as `code: message`), 2 usage. Scripts can branch on the status alone.
 */
import { verifyJWT } from '@tessera/jose'
import { algorithmListFlag } from '../alg-flags.js'
import { booleanFlag, type Command, type ParsedArgs, requiredFlag, stringFlag } from '../args.js'
import { CLAIM_CHECK_FLAGS, claimChecks } from '../claim-flags.js'
import { CliUsageError } from '../errors.js'
import { readToken } from '../input.js'
import { loadKey } from '../key-files.js'
import { errorJson, print, printJson, reportError } from '../output.js'

async function run(args: ParsedArgs): Promise<number> {
  const keySpec = requiredFlag(args, 'key', 'jwt verify', 'a public JWK, JWK Set, PEM file or JWKS URL')
  const algs = algorithmListFlag(args, 'alg', 'jws')
  const loaded = await loadKey(keySpec, { purpose: 'verify', algorithms: algs, kid: stringFlag(args, 'kid') })
  const algorithms = algs ?? loaded.algorithms
  if (!algorithms) {
    throw new CliUsageError(
      `the ${loaded.description} does not say which algorithm it is for: pass --alg (e.g. --alg RS256); ` +
        'the verifier, not the token, must choose the algorithm',
    )
  }
  const checks = claimChecks(args)
  const token = await readToken(args.positionals[0], 'jwt verify')
  const json = booleanFlag(args, 'json')
  try {
    const { payload, protectedHeader } = await verifyJWT(token, loaded.key, { algorithms, ...checks })
    if (json) printJson({ valid: true, header: protectedHeader, payload })
    else
      print(
        `valid: ${protectedHeader.alg} signature checked with the ${loaded.description}\n${JSON.stringify(payload, null, 2)}`,
      )
    return 0
  } catch (error) {
    // The token is invalid: a result, not a crash. The reason goes to stderr either way.
    if (json) printJson({ valid: false, error: errorJson(error) })
    return reportError(error)
  }
}

export const command: Command = {
  name: 'jwt verify',
  summary: 'check a JWT’s signature and claims (exit 0 valid, 1 invalid)',
  usage: 'jwt verify --key FILE|URL [--alg ALG,…] [--iss ISSUER] [--aud AUD] [--json] [TOKEN | -]',
  maxPositionals: 1,
  flags: {
    key: {
      type: 'string',
      value: 'FILE|URL',
      description: 'public JWK, JWK Set, PEM (SPKI/cert), JWKS URL, or env:NAME (HMAC)',
    },
    alg: {
      type: 'string',
      value: 'ALG,…',
      description: 'accepted algorithms; default: what the key implies (its alg or curve)',
    },
    kid: { type: 'string', value: 'KID', description: 'use only this key of a set' },
    ...CLAIM_CHECK_FLAGS,
    json: {
      type: 'boolean',
      description: 'print { valid, header, payload } or { valid: false, error } as JSON',
    },
  },
  details:
    'Exit status: 0 valid; 1 invalid, with "code: message" on stderr (e.g. ERR_JWT_EXPIRED,\n' +
    'ERR_JWS_SIGNATURE_INVALID, ERR_JOSE_ALG_NOT_ALLOWED); 2 usage or an unreadable key.\n' +
    'RSA and HMAC keys need --alg unless the JWK carries "alg": the verifier picks the algorithm.\n' +
    'A JWKS URL (https, or http on loopback) accepts any asymmetric algorithm its keys fit unless --alg\n' +
    'narrows it; HMAC is never accepted with a public key.',
  examples: [
    'tessera jwt verify --key pub.json "$TOKEN"',
    'tessera jwt verify --key http://127.0.0.1:8080/.well-known/jwks.json --iss http://127.0.0.1:8080 "$TOKEN"',
    'echo "$TOKEN" | tessera jwt verify --key pub.pem --alg ES256 --json',
    'tessera jwt verify --key env:JWT_SECRET --alg HS256 "$TOKEN" && echo ok',
  ],
  run,
}
