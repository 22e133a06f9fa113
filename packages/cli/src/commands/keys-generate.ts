/**
 * @module `tessera keys generate`: a new private JWK (or PEM) with `alg`, `use` and `kid` (its RFC 7638
 * thumbprint), to stdout or a 0600 file. Local only: no server involved.
 */
import { randomBytes } from 'node:crypto'
import {
  calculateJwkThumbprint,
  exportJWK,
  exportPEM,
  generateKeyPair,
  generateSecret,
  getPublicKey,
  JWE_ALGORITHMS,
  type JWK,
  JWS_ALGORITHMS,
} from '@tessera/jose'
import { isJwsAlg } from '../alg-defaults.js'
import { checkAlgorithm } from '../alg-flags.js'
import { booleanFlag, type Command, integerFlag, type ParsedArgs, requiredFlag, stringFlag } from '../args.js'
import { CliUsageError } from '../errors.js'
import { errorCode, errorMessage, note, print, printJson } from '../output.js'
import { writeSecretFile } from '../write-file.js'

const SYMMETRIC = /^(HS\d+|A\d+KW|A\d+GCMKW|A\d+GCM|A\d+CBC-HS\d+|dir)$/

/** Every algorithm a key can be made for: the library's tables, less those that take no generated key. */
const GENERATED = [
  ...JWS_ALGORITHMS,
  ...JWE_ALGORITHMS.alg.filter((alg) => alg !== 'dir' && !alg.startsWith('PBES2-')),
  ...JWE_ALGORITHMS.enc,
]

/** Whether --crv picks something for this algorithm (the others imply their curve or have none). */
const TAKES_CURVE = (alg: string) => alg === 'EdDSA' || alg.startsWith('ECDH-ES')
const TAKES_BITS = (alg: string) => /^(RS|PS)\d+$|^RSA/.test(alg)

/** The algorithm named by --alg, or a usage error that says what --alg accepts. */
function generatedAlg(alg: string): string {
  if (alg === 'dir')
    throw new CliUsageError('"dir" uses the content key itself: generate it with --alg A256GCM')
  if (alg.startsWith('PBES2-')) {
    throw new CliUsageError(`--alg ${alg} encrypts with a password, not a generated key`)
  }
  checkAlgorithm('alg', alg, GENERATED, 'key algorithm')
  return alg
}

async function run(args: ParsedArgs): Promise<number> {
  const alg = generatedAlg(
    requiredFlag(
      args,
      'alg',
      'keys generate',
      'e.g. --alg ES256, EdDSA, RS256, HS256, ECDH-ES, RSA-OAEP-256',
    ),
  )
  const out = stringFlag(args, 'out')
  const wantPublic = booleanFlag(args, 'public')
  const format = stringFlag(args, 'format') ?? 'jwk'
  if (format !== 'jwk' && format !== 'pem') throw new CliUsageError('--format is "jwk" (default) or "pem"')
  if (wantPublic && !out) {
    throw new CliUsageError('--public without --out would throw the private key away; add --out key.json')
  }
  const symmetric = SYMMETRIC.test(alg)
  if (symmetric && (wantPublic || format === 'pem')) {
    throw new CliUsageError(`${alg} keys are shared secrets: they have no public half and no PEM form`)
  }
  const crv = stringFlag(args, 'crv')
  if (crv !== undefined && !TAKES_CURVE(alg)) {
    throw new CliUsageError(`--crv applies to EdDSA and ECDH-ES keys only; ${alg} implies its key`)
  }
  const bits = integerFlag(args, 'bits', 'a multiple of 8 from 2048 to 16384')
  if (bits !== undefined && !TAKES_BITS(alg)) {
    throw new CliUsageError(`--bits applies to RSA keys only (RS*, PS*, RSA-OAEP*); ${alg} has a fixed size`)
  }
  const use = isJwsAlg(alg) ? 'sig' : 'enc'

  let privateKey: Parameters<typeof exportJWK>[0]
  let publicKey: Parameters<typeof exportJWK>[0] | undefined
  if (symmetric) {
    privateKey = await generateSecret(alg, { extractable: true })
  } else {
    const pair = await generateKeyPair(alg, {
      extractable: true,
      ...(crv ? { crv } : {}),
      ...(bits ? { modulusLength: bits } : {}),
    }).catch((error: unknown) => {
      // Only --crv and --bits reach the library unchecked: its refusal of them is a usage error.
      if (crv === undefined && bits === undefined) throw error
      throw new CliUsageError(`${errorMessage(error)} (${errorCode(error)})`, { cause: error })
    })
    privateKey = pair.privateKey
    publicKey = await getPublicKey(pair.privateKey)
  }
  const privateJwk: JWK = await exportJWK(privateKey)
  // The kid of an asymmetric key is its public thumbprint (stable, derivable by anyone holding the public
  // key); a secret's kid is random so that nothing derived from the secret is ever published.
  const kid =
    stringFlag(args, 'kid') ??
    (publicKey
      ? await calculateJwkThumbprint(await exportJWK(publicKey))
      : randomBytes(12).toString('base64url'))
  const decorate = (jwk: JWK): JWK => ({ ...jwk, kid, alg, use })
  const privateText =
    format === 'pem' ? await exportPEM(privateKey) : JSON.stringify(decorate(privateJwk), null, 2)
  const publicText = publicKey
    ? format === 'pem'
      ? await exportPEM(publicKey)
      : JSON.stringify(decorate(await exportJWK(publicKey)), null, 2)
    : undefined

  if (out) {
    await writeSecretFile(out, privateText, booleanFlag(args, 'force'))
    note(`wrote the private ${alg} key (kid ${kid}) to ${out} (mode 0600); keep it secret`)
  }
  const shown = out ? (wantPublic ? publicText : undefined) : privateText
  if (shown === undefined) {
    if (booleanFlag(args, 'json')) printJson({ kid, alg, use, out })
    return 0
  }
  if (booleanFlag(args, 'json') && format === 'pem') printJson({ kid, alg, use, pem: shown })
  else print(shown)
  return 0
}

export const command: Command = {
  name: 'keys generate',
  summary: 'make a new private key (JWK with kid, or PEM), locally',
  usage: 'keys generate --alg ALG [--out FILE [--public]] [--format jwk|pem] [--kid KID]',
  flags: {
    alg: {
      type: 'string',
      value: 'ALG',
      description: 'ES256, ES384, ES512, EdDSA, RS256, PS256, HS256, ECDH-ES, RSA-OAEP-256, A256KW…',
    },
    out: {
      type: 'string',
      value: 'FILE',
      description: 'write the private key here (mode 0600) instead of stdout',
    },
    public: { type: 'boolean', description: 'with --out: print the public half to stdout (for verifiers)' },
    format: {
      type: 'string',
      value: 'jwk|pem',
      description: 'jwk (default) or pem (PKCS#8 private, SPKI public)',
    },
    kid: {
      type: 'string',
      value: 'KID',
      description: 'key id (default: RFC 7638 thumbprint; random for secrets)',
    },
    crv: {
      type: 'string',
      value: 'CRV',
      description: 'curve for EdDSA (Ed25519, Ed448) or ECDH-ES (P-256, X25519…)',
    },
    bits: { type: 'string', value: 'N', description: 'RSA modulus length (default 2048)' },
    force: { type: 'boolean', description: 'overwrite --out if it exists' },
    json: { type: 'boolean', description: 'with PEM output, wrap it as { kid, alg, use, pem }' },
  },
  details: 'The key never leaves this machine. Private keys are printed only when there is no --out.',
  examples: [
    'tessera keys generate --alg ES256 --out key.json --public > pub.json',
    'tessera keys generate --alg EdDSA > ed25519.json',
    'tessera keys generate --alg HS256 --out secret.json',
    'tessera keys generate --alg RS256 --format pem --out key.pem --public > pub.pem',
  ],
  run,
}
