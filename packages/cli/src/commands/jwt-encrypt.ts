/**
 * @module `tessera jwt encrypt`: claims, or an already signed JWT (nested, `cty: "JWT"`), into a compact
 * JWE for the holder of the key; `--sign-key` signs the claims first (sign-then-encrypt, RFC 7519 §11.2).
 */
import { compactEncrypt, encryptJWT, signAndEncryptJWT } from '@tessera/jose'
import { encryptionAlgFor, signingAlgFor } from '../alg-defaults.js'
import { algorithmFlag } from '../alg-flags.js'
import { booleanFlag, type Command, type ParsedArgs, requiredFlag, stringFlag } from '../args.js'
import { CLAIM_TEMPLATE_FLAGS, claimTemplate } from '../claim-flags.js'
import { CliUsageError } from '../errors.js'
import { argumentOrStdin, parseJsonObject } from '../input.js'
import { loadKey, singleKey } from '../key-files.js'
import { print, printJson } from '../output.js'

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/

async function run(args: ParsedArgs): Promise<number> {
  const keySpec = requiredFlag(
    args,
    'key',
    'jwt encrypt',
    'the recipient’s public JWK or PEM, or a shared A*KW secret',
  )
  const alg = algorithmFlag(args, 'alg', 'keyManagement')
  const enc = algorithmFlag(args, 'enc', 'contentEncryption') ?? 'A256GCM'
  const loaded = await loadKey(keySpec, {
    purpose: 'encrypt',
    algorithms: alg ? [alg] : undefined,
    kid: stringFlag(args, 'kid'),
  })
  const key = singleKey(loaded)
  const keyAlg = alg ?? encryptionAlgFor({ kty: key.kty, crv: key.crv, alg: key.alg, bits: key.bits })
  if (!keyAlg) {
    throw new CliUsageError(
      `the ${loaded.description} does not say how to encrypt to it: pass --alg (e.g. ECDH-ES+A256KW, RSA-OAEP-256, A256KW, dir)`,
    )
  }
  const kid = stringFlag(args, 'kid') ?? loaded.kid
  const encryption = { alg: keyAlg, enc, ...(kid ? { kid } : {}) }
  const input = await argumentOrStdin(args.positionals[0], 'claims or signed token', 'jwt encrypt')
  let token: string
  let nested = false
  if (COMPACT_JWS.test(input.trim())) {
    // An already signed JWT: encrypt it as is; cty "JWT" tells the recipient to verify what is inside.
    nested = true
    token = await compactEncrypt(new TextEncoder().encode(input.trim()), key, { ...encryption, cty: 'JWT' })
  } else {
    const claims = parseJsonObject(input, 'claims')
    const template = claimTemplate(args, claims)
    const signSpec = stringFlag(args, 'sign-key')
    if (signSpec) {
      nested = true
      const signAlgFlag = algorithmFlag(args, 'sign-alg', 'jws')
      const signing = await loadKey(signSpec, {
        purpose: 'sign',
        algorithms: signAlgFlag ? [signAlgFlag] : undefined,
      })
      const signingKey = singleKey(signing)
      const signAlg =
        signAlgFlag ?? signingAlgFor({ kty: signingKey.kty, crv: signingKey.crv, alg: signingKey.alg })
      if (!signAlg)
        throw new CliUsageError(
          `the ${signing.description} does not say which algorithm it is for: pass --sign-alg`,
        )
      token = await signAndEncryptJWT(claims, {
        signingKey,
        sign: { alg: signAlg, ...(signing.kid ? { kid: signing.kid } : {}), ...template },
        encryptionKey: key,
        encrypt: encryption,
      })
    } else {
      token = await encryptJWT(claims, key, { ...encryption, ...template })
    }
  }
  if (booleanFlag(args, 'json')) {
    printJson({
      token,
      header: JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()),
      nested,
    })
  } else {
    print(token)
  }
  return 0
}

export const command: Command = {
  name: 'jwt encrypt',
  summary: 'encrypt claims (or a signed JWT) into a JWE',
  usage:
    'jwt encrypt --key FILE [--alg ALG] [--enc ENC] [--sign-key FILE] [--exp 15m] [\'{"claim":…}\' | TOKEN | -]',
  maxPositionals: 1,
  flags: {
    key: {
      type: 'string',
      value: 'FILE',
      description: 'recipient key: public JWK/PEM (ECDH-ES, RSA-OAEP) or a secret JWK (A*KW, dir)',
    },
    alg: {
      type: 'string',
      value: 'ALG',
      description: 'key management; default: the key’s alg, ECDH-ES+A256KW (EC/X25519), RSA-OAEP-256, A*KW',
    },
    enc: { type: 'string', value: 'ENC', description: 'content encryption (default A256GCM)' },
    kid: {
      type: 'string',
      value: 'KID',
      description: 'header "kid" (default: the JWK’s kid); picks the key in a set',
    },
    'sign-key': {
      type: 'string',
      value: 'FILE',
      description: 'sign the claims with this private key first (nested JWT)',
    },
    'sign-alg': {
      type: 'string',
      value: 'ALG',
      description: 'algorithm for --sign-key (default: what the key implies)',
    },
    ...CLAIM_TEMPLATE_FLAGS,
    json: { type: 'boolean', description: 'print { token, header, nested } as JSON' },
  },
  details:
    'Input: a claims JSON object, or a signed compact JWT to wrap (then cty is "JWT"), as the argument\n' +
    'or on stdin. Encryption alone hides claims but does not prove who made them: sign too (--sign-key)\n' +
    'when the recipient must know. Exit status: 0 encrypted, 1 the key cannot encrypt, 2 usage.',
  examples: [
    'tessera keys generate --alg ECDH-ES+A256KW --out enc.json --public > enc.pub.json',
    'tessera jwt encrypt --key enc.pub.json --exp 15m \'{"sub":"u1","email":"a@example.com"}\'',
    'tessera jwt encrypt --key enc.pub.json --sign-key key.json --exp 15m \'{"sub":"u1"}\'',
    'tessera jwt sign --key key.json --exp 5m \'{"sub":"u1"}\' | tessera jwt encrypt --key enc.pub.json',
  ],
  run,
}
