/**
 * @module `tessera jwt decrypt`: a compact JWE back to its claims (checked like `jwt verify`), or to the
 * signed JWT inside it, which `--verify-key` verifies in the same step. Exit 0 ok, 1 invalid, 2 usage.
 */
import { compactDecrypt, decodeProtectedHeader, decryptAndVerifyJWT, decryptJWT } from '@tessera/jose'
import { CONTENT_ENCRYPTIONS, decryptionAlgsFor } from '../alg-defaults.js'
import { algorithmListFlag } from '../alg-flags.js'
import { booleanFlag, type Command, type ParsedArgs, requiredFlag, stringFlag } from '../args.js'
import { CLAIM_CHECK_FLAGS, claimChecks } from '../claim-flags.js'
import { CliUsageError } from '../errors.js'
import { readToken } from '../input.js'
import { loadKey, singleKey } from '../key-files.js'
import { errorJson, note, print, printJson, reportError } from '../output.js'

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/

async function run(args: ParsedArgs): Promise<number> {
  const keySpec = requiredFlag(
    args,
    'key',
    'jwt decrypt',
    'your private JWK or PEM, or the shared secret JWK',
  )
  const algs = algorithmListFlag(args, 'alg', 'keyManagement')
  const loaded = await loadKey(keySpec, {
    purpose: 'decrypt',
    algorithms: algs,
    kid: stringFlag(args, 'kid'),
  })
  const key = singleKey(loaded)
  const keyManagementAlgorithms = algs ?? decryptionAlgsFor({ kty: key.kty, crv: key.crv, alg: key.alg })
  if (!keyManagementAlgorithms) {
    throw new CliUsageError(
      `the ${loaded.description} does not say which key management it is for: pass --alg (e.g. A256KW, dir)`,
    )
  }
  const decryptOptions = {
    keyManagementAlgorithms,
    contentEncryptionAlgorithms: algorithmListFlag(args, 'enc', 'contentEncryption') ?? CONTENT_ENCRYPTIONS,
  }
  const checks = claimChecks(args)
  const verifySpec = stringFlag(args, 'verify-key')
  const verifyAlgs = algorithmListFlag(args, 'verify-alg', 'jws')
  const verifying = verifySpec
    ? await loadKey(verifySpec, { purpose: 'verify', algorithms: verifyAlgs })
    : undefined
  const algorithms = verifyAlgs ?? verifying?.algorithms
  if (verifying && !algorithms) {
    throw new CliUsageError(
      `the ${verifying.description} does not say which algorithm it is for: pass --verify-alg`,
    )
  }
  const token = await readToken(args.positionals[0], 'jwt decrypt')
  const json = booleanFlag(args, 'json')
  try {
    if (verifying) {
      const result = await decryptAndVerifyJWT(token, {
        ...decryptOptions,
        ...checks,
        decryptionKey: key,
        verificationKey: verifying.key,
        algorithms: algorithms!,
      })
      if (json)
        printJson({
          valid: true,
          nested: true,
          encryptionHeader: result.encryptionHeader,
          header: result.protectedHeader,
          payload: result.payload,
        })
      else
        print(
          `valid: decrypted, and the inner ${result.protectedHeader.alg} signature checked\n${JSON.stringify(result.payload, null, 2)}`,
        )
      return 0
    }
    const header = decodeProtectedHeader(token)
    const looksNested =
      typeof header.cty === 'string' && header.cty.toUpperCase().replace(/^APPLICATION\//, '') === 'JWT'
    const { plaintext, protectedHeader } = await compactDecrypt(token, key, decryptOptions)
    const text = new TextDecoder().decode(plaintext)
    if (looksNested || COMPACT_JWS.test(text.trim())) {
      if (json)
        printJson({ valid: true, nested: true, verified: false, header: protectedHeader, token: text.trim() })
      else print(text.trim())
      note(
        'decrypted: the inner token is NOT verified; pass --verify-key, or pipe it to "tessera jwt verify"',
      )
      return 0
    }
    const { payload } = await decryptJWT(token, key, { ...decryptOptions, ...checks })
    if (json) printJson({ valid: true, nested: false, header: protectedHeader, payload })
    else
      print(
        `valid: decrypted (${protectedHeader.alg}, ${protectedHeader.enc})\n${JSON.stringify(payload, null, 2)}`,
      )
    return 0
  } catch (error) {
    if (json) printJson({ valid: false, error: errorJson(error) })
    return reportError(error)
  }
}

export const command: Command = {
  name: 'jwt decrypt',
  summary: 'decrypt a JWE (and verify the JWT inside with --verify-key)',
  usage: 'jwt decrypt --key FILE [--alg ALG,…] [--verify-key FILE|URL] [--iss …] [--json] [TOKEN | -]',
  maxPositionals: 1,
  flags: {
    key: {
      type: 'string',
      value: 'FILE',
      description: 'private JWK/PEM (ECDH-ES, RSA-OAEP) or the secret JWK (A*KW, dir)',
    },
    alg: {
      type: 'string',
      value: 'ALG,…',
      description: 'accepted key management; default: what the key implies (never RSA1_5)',
    },
    enc: {
      type: 'string',
      value: 'ENC,…',
      description: 'accepted content encryption (default: all AES-GCM and AES-CBC-HMAC)',
    },
    kid: { type: 'string', value: 'KID', description: 'pick this key of a set' },
    'verify-key': {
      type: 'string',
      value: 'FILE|URL',
      description: 'verify the inner signed JWT with this key or JWKS URL',
    },
    'verify-alg': {
      type: 'string',
      value: 'ALG,…',
      description: 'accepted signature algorithms for --verify-key',
    },
    ...CLAIM_CHECK_FLAGS,
    json: {
      type: 'boolean',
      description: 'print { valid, header, payload | token } or { valid: false, error } as JSON',
    },
  },
  details:
    'Without --verify-key a nested (signed) JWT is printed as is, with a note that it is unverified.\n' +
    'Exit status: 0 decrypted (and valid); 1 invalid, e.g. ERR_JWE_DECRYPTION_FAILED, ERR_JWT_EXPIRED; 2 usage.',
  examples: [
    'tessera jwt decrypt --key enc.json "$JWE"',
    'tessera jwt decrypt --key enc.json --verify-key pub.json --iss https://auth.example "$JWE"',
    'tessera jwt decrypt --key enc.json "$JWE" | tessera jwt verify --key pub.json',
  ],
  run,
}
