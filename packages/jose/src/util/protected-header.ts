/**
 * @module The two protected-header rules JWS and JWE share: decoding the protected header segment
 * (canonical base64url → strict UTF-8 → JSON object with unique names) and `crit` (RFC 7515 §4.1.11,
 * adopted by RFC 7516 §4.1.13). Each caller passes its own error class, so a JWS fails as ERR_JWS_INVALID
 * and a JWE as ERR_JWE_INVALID.
 */
import { JOSECritUnsupported, type JOSEError } from '../errors.js'
import { decodeBase64url } from './base64url.js'
import { utf8Decode } from './bytes.js'
import { type JsonObject, parseHeaderObject } from './json.js'

type InvalidError = new (message: string) => JOSEError

/** Header names registered by RFC 7515/7516/7518: never legal in `crit`. */
const REGISTERED = new Set([
  'alg',
  'jku',
  'jwk',
  'kid',
  'x5u',
  'x5c',
  'x5t',
  'x5t#S256',
  'typ',
  'cty',
  'crit',
  'enc',
  'zip',
  'epk',
  'apu',
  'apv',
  'iv',
  'tag',
  'p2s',
  'p2c',
])

export function decodeHeaderSegment(segment: string, Invalid: InvalidError): JsonObject {
  const bytes = decodeBase64url(segment)
  if (!bytes) throw new Invalid('the protected header is not canonical base64url')
  const text = utf8Decode(bytes)
  if (text === undefined) throw new Invalid('the protected header is not valid UTF-8')
  const header = parseHeaderObject(text)
  if (typeof header === 'string') throw new Invalid(`the protected header ${header}`)
  return header
}

/**
 * Checks `crit` in the protected header and returns the names it lists. Each must be a non-registered
 * name, present in the protected header, and understood: built in (`builtIn`) or named by the caller.
 */
export function checkCrit(
  protectedHeader: JsonObject | undefined,
  builtIn: Readonly<Record<string, boolean>>,
  understood: Readonly<Record<string, boolean>> | undefined,
  Invalid: InvalidError,
  role: 'verifier' | 'decrypter',
): Set<string> {
  const names = new Set<string>()
  const crit = protectedHeader?.crit
  if (crit === undefined) return names
  if (
    !Array.isArray(crit) ||
    crit.length === 0 ||
    crit.some((name) => typeof name !== 'string' || name === '')
  ) {
    throw new Invalid('"crit" must be a non-empty array of header parameter names')
  }
  for (const name of crit as string[]) {
    if (names.has(name)) throw new Invalid(`"crit" lists "${name.slice(0, 32)}" twice`)
    names.add(name)
    if (REGISTERED.has(name)) throw new Invalid(`"crit" must not list the registered parameter "${name}"`)
    if (!Object.hasOwn(protectedHeader!, name)) {
      throw new Invalid(`"crit" lists "${name.slice(0, 32)}" but the protected header does not have it`)
    }
    if (builtIn[name] !== true && understood?.[name] !== true) {
      throw new JOSECritUnsupported(
        `the token requires the extension "${name.slice(0, 32)}" (listed in "crit"), which this ${role} does not understand`,
      )
    }
  }
  return names
}
