/**
 * @module Library messages reworded for the command line: where @tessera/jose names one of its own
 * functions or options (`compactVerify`, `allowHttp: true`, `clockTolerance`), the CLI names its own
 * command or flag instead. The error's `code` is kept as it is, so scripts branch on the same codes.
 */

/** [what the library says, what the CLI says instead]; applied in order to every message shown. */
const REWORDINGS: ReadonlyArray<readonly [RegExp, string]> = [
  [/decrypt it with compactDecrypt \/ decryptJWT/, 'decrypt it with "tessera jwt decrypt --key FILE"'],
  [/verify it with compactVerify \/ verifyJWT/, 'verify it with "tessera jwt verify --key FILE"'],
  [
    /unsecured JWTs can only be read with decodeUnsecuredJWT/,
    '"tessera jwt decode" shows such a token without checking anything',
  ],
  [/read an encrypted-only JWT with decryptJWT/, 'decrypt an encrypted-only JWT without --verify-key'],
  [/refused unless listed in keyManagementAlgorithms/, 'refused unless named with --alg RSA1_5'],
  [
    /is not in keyManagementAlgorithms \(([^)]*)\)/,
    'is not among the key management algorithms accepted ($1); name it with --alg to accept it',
  ],
  [
    /is not in contentEncryptionAlgorithms \(([^)]*)\)/,
    'is not among the content encryptions accepted ($1); name it with --enc to accept it',
  ],
  [/later than now plus clockTolerance/, 'later than now plus --leeway'],
  [/older than maxTokenAge/, 'older than --max-age'],
  [
    /\(plain http: is accepted only for loopback hosts, or with allowHttp: true\)/,
    '(plain http: is accepted only for a loopback host such as 127.0.0.1 or localhost)',
  ],
  [/took longer than timeoutDuration \((\d+) ms\)/, 'took longer than $1 ms'],
  [/; maxResponseSize is (\d+)/, '; the limit is $1 bytes'],
  [/larger than maxResponseSize \((\d+) bytes\)/, 'larger than the limit of $1 bytes'],
  [/^modulusLength must be/, '--bits must be'],
  [/^(EdDSA|ECDH-ES) keys use crv /, 'with $1, --crv is '],
  [/export it with exportPEM/, 'make it with --format pem'],
  [/export them with exportJWK/, 'keep them as JWK (--format jwk)'],
]

/** The message as the CLI shows it: library names of functions and options replaced by CLI wording. */
export function cliWording(message: string): string {
  let text = message
  for (const [library, cli] of REWORDINGS) text = text.replace(library, cli)
  return text
}

/**
 * Library names that must never reach a CLI user's screen: the functions and options of @tessera/jose
 * the CLI calls on their behalf. Tests check stderr against this list.
 */
export const LIBRARY_NAMES: readonly string[] = [
  'compactVerify',
  'compactDecrypt',
  'verifyJWT',
  'decryptJWT',
  'decodeUnsecuredJWT',
  'generateKeyPair',
  'generateSecret',
  'exportJWK',
  'exportPEM',
  'importJWK',
  'importPEM',
  'createLocalJWKSet',
  'createRemoteJWKSet',
  'allowHttp',
  'allowPrivate',
  'keyManagementAlgorithms',
  'contentEncryptionAlgorithms',
  'clockTolerance',
  'maxTokenAge',
  'expiresIn',
  'notBefore',
  'modulusLength',
  'timeoutDuration',
  'maxResponseSize',
  'currentDate',
  'requiredClaims',
]
