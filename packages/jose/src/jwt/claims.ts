/**
 * @module JWT claim checks (RFC 7519 §4.1), compiled once into a policy and applied per token.
 */
import { JOSEOptionInvalid, JWTClaimInvalid, JWTExpired, JWTInvalid } from '../errors.js'
import { utf8Decode } from '../util/bytes.js'
import { currentSeconds, parseSpanSeconds } from '../util/duration.js'
import { isJsonObject } from '../util/json.js'
import { quote, quoteList } from '../util/quote.js'
import { checkRegisteredClaimTypes } from './registered-claims.js'
import type { ClaimOptions, JWTPayload } from './types.js'

export interface ClaimPolicy {
  issuers: readonly string[] | undefined
  audiences: readonly string[] | undefined
  subject: string | undefined
  typ: string | undefined
  tolerance: number
  maxTokenAge: number | undefined
  required: readonly string[]
  currentDate: Date | undefined
}

function stringList(value: unknown, option: string): readonly string[] | undefined {
  if (value === undefined) return undefined
  const list = typeof value === 'string' ? [value] : value
  if (
    !Array.isArray(list) ||
    list.length === 0 ||
    list.some((item) => typeof item !== 'string' || item === '')
  ) {
    throw new JOSEOptionInvalid(`${option} must be a non-empty string or a non-empty array of them`)
  }
  // A private copy, not frozen: the policy never leaves this module's callers, and freezing a fresh array
  // on every verifyJWT call was ≈ 2 % of an async HS256 verify (measured).
  return typeof value === 'string' ? list : [...list]
}

/** Normalized `typ`: lowercase, "application/" removed (RFC 7515 §4.1.9). */
export function normalizeTyp(value: string): string {
  const lower = value.toLowerCase()
  return lower.startsWith('application/') ? lower.slice(12) : lower
}

export function compileClaimPolicy(options: ClaimOptions): ClaimPolicy {
  if (options.subject !== undefined && typeof options.subject !== 'string') {
    throw new JOSEOptionInvalid('subject must be a string')
  }
  if (options.typ !== undefined && (typeof options.typ !== 'string' || options.typ === '')) {
    throw new JOSEOptionInvalid('typ must be a non-empty string')
  }
  if (options.requiredClaims !== undefined && !Array.isArray(options.requiredClaims)) {
    throw new JOSEOptionInvalid('requiredClaims must be an array of claim names')
  }
  const maxTokenAge =
    options.maxTokenAge === undefined ? undefined : parseSpanSeconds(options.maxTokenAge, 'maxTokenAge')
  // Built without a Set unless the caller lists claims: the four names below are distinct, and this runs
  // on every verifyJWT call (the Set and its spread were ≈ half of this function, measured).
  const required: string[] = options.requiredClaims === undefined ? [] : [...options.requiredClaims]
  if (options.issuer !== undefined) required.push('iss')
  if (options.audience !== undefined) required.push('aud')
  if (options.subject !== undefined) required.push('sub')
  if (maxTokenAge !== undefined) required.push('iat')
  if (options.currentDate !== undefined) currentSeconds(options.currentDate)
  return {
    issuers: stringList(options.issuer, 'issuer'),
    audiences: stringList(options.audience, 'audience'),
    subject: options.subject,
    typ: options.typ === undefined ? undefined : normalizeTyp(options.typ),
    tolerance:
      options.clockTolerance === undefined ? 0 : parseSpanSeconds(options.clockTolerance, 'clockTolerance'),
    maxTokenAge,
    required: options.requiredClaims === undefined ? required : [...new Set(required)],
    currentDate: options.currentDate,
  }
}

/** Decodes a JWS payload as a JWT claims set: UTF-8 JSON object. */
export function decodeClaims(payload: Uint8Array): JWTPayload {
  const text = utf8Decode(payload)
  if (text === undefined) throw new JWTInvalid('the JWT claims set is not valid UTF-8')
  let claims: unknown
  try {
    claims = JSON.parse(text)
  } catch {
    throw new JWTInvalid('the JWT claims set is not valid JSON')
  }
  if (!isJsonObject(claims)) throw new JWTInvalid('the JWT claims set must be a JSON object')
  return claims as JWTPayload
}

/** The accepted values, for a message: `"a"` or `one of "a", "b"`. */
function accepted(values: readonly string[]): string {
  return values.length === 1 ? quote(values[0]!) : `one of ${quoteList(values)}`
}

/** Applies the policy; throws JWTExpired / JWTClaimInvalid naming the claim. */
export function checkClaims(
  policy: ClaimPolicy,
  payload: JWTPayload,
  typ: unknown,
  now: number = policy.currentDate ? currentSeconds(policy.currentDate) : Math.floor(Date.now() / 1000),
): void {
  if (policy.typ !== undefined && (typeof typ !== 'string' || normalizeTyp(typ) !== policy.typ)) {
    const got = typeof typ === 'string' ? `is ${quote(typ)}` : 'is missing'
    throw new JWTClaimInvalid(
      `the "typ" header must be ${quote(policy.typ)} (case-insensitive, "application/" optional); this one ${got}`,
      payload,
      'typ',
      'check_failed',
    )
  }
  for (const claim of policy.required) {
    if (payload[claim] === undefined) {
      throw new JWTClaimInvalid(
        `the token has no "${claim}" claim, which is required`,
        payload,
        claim,
        'missing',
      )
    }
  }
  // Whenever present, whatever the options ask: a consumer that reads `sub` or `exp` without asking for a
  // check never gets a number or an object (the signers run the same check, so they never make such a token).
  checkRegisteredClaimTypes(payload)
  if (policy.issuers !== undefined && !policy.issuers.includes(payload.iss as string)) {
    throw new JWTClaimInvalid(
      `the "iss" claim is ${quote(payload.iss as string)}; the accepted issuer is ${accepted(policy.issuers)}`,
      payload,
      'iss',
      'check_failed',
    )
  }
  if (policy.subject !== undefined && payload.sub !== policy.subject) {
    throw new JWTClaimInvalid('the "sub" claim does not match', payload, 'sub', 'check_failed')
  }
  if (policy.audiences !== undefined) {
    const aud = payload.aud as string | string[]
    const values = typeof aud === 'string' ? [aud] : aud
    if (!values.some((value) => policy.audiences!.includes(value))) {
      throw new JWTClaimInvalid(
        `the "aud" claim is ${typeof aud === 'string' ? quote(aud) : `[${quoteList(aud)}]`}; the accepted audience is ${accepted(policy.audiences)}`,
        payload,
        'aud',
        'check_failed',
      )
    }
  }
  checkTimeClaims(policy, payload, now)
}

/**
 * The checks of `checkClaims` that depend on the time: `nbf`, `exp`, a future `iat`, `maxTokenAge`. The
 * rest depend only on the policy and the (frozen) claims, so a verifier's token cache, whose entries all
 * passed `checkClaims` under the same policy, runs these alone on a hit.
 */
export function checkTimeClaims(policy: ClaimPolicy, payload: JWTPayload, now: number): void {
  const tolerance = policy.tolerance
  const nbf = payload.nbf
  if (nbf !== undefined && nbf > now + tolerance) {
    throw new JWTClaimInvalid(
      'the token is not valid yet ("nbf" is in the future)',
      payload,
      'nbf',
      'check_failed',
    )
  }
  const exp = payload.exp
  // RFC 7519 §4.1.4: the current time MUST be before exp.
  if (exp !== undefined && exp <= now - tolerance) {
    throw new JWTExpired('the token has expired ("exp" has passed)', payload, 'exp', 'check_failed')
  }
  const iat = payload.iat
  // A token issued after now comes from a clock far off or a forger who wants it to live longer than its
  // issuer meant (an `exp` counted from a future `iat`); refused with or without maxTokenAge.
  if (iat !== undefined && iat > now + tolerance) {
    throw new JWTClaimInvalid(
      'the token was issued in the future ("iat" is later than now plus clockTolerance)',
      payload,
      'iat',
      'check_failed',
    )
  }
  if (policy.maxTokenAge !== undefined && now - iat! - tolerance > policy.maxTokenAge) {
    throw new JWTExpired(
      'the token is older than maxTokenAge ("iat" too far in the past)',
      payload,
      'iat',
      'check_failed',
    )
  }
}
