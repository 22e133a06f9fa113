/**
 * @module The claims a signer adds (`iat`, `exp`, `nbf`, `iss`, `aud`, `sub`, `jti`), from options checked once.
 */
import { JOSEOptionInvalid, JWTInvalid } from '../errors.js'
import { encodeBase64url } from '../util/base64url.js'
import { currentSeconds, parseSpanSeconds } from '../util/duration.js'
import { isJsonObject } from '../util/json.js'
import { checkRegisteredClaimTypes } from './registered-claims.js'
import type { JWTPayload, JWTSignOptions } from './types.js'

export interface ClaimTemplate {
  expiresIn: number | undefined
  expiresAt: number | undefined
  notBefore: number | undefined
  issuer: string | undefined
  audience: string | string[] | undefined
  subject: string | undefined
  jti: boolean | string
  iat: boolean | number
}

function optionalString(value: unknown, option: string): string | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'string' || value === '')
    throw new JOSEOptionInvalid(`${option} must be a non-empty string`)
  return value
}

export function compileClaimTemplate(options: JWTSignOptions): ClaimTemplate {
  const audience = options.audience
  if (
    audience !== undefined &&
    typeof audience !== 'string' &&
    !(Array.isArray(audience) && audience.length > 0 && audience.every((value) => typeof value === 'string'))
  ) {
    throw new JOSEOptionInvalid('audience must be a string or a non-empty array of strings')
  }
  let expiresAt: number | undefined
  if (options.expiresAt !== undefined) {
    expiresAt = options.expiresAt instanceof Date ? currentSeconds(options.expiresAt) : options.expiresAt
    if (typeof expiresAt !== 'number' || !Number.isFinite(expiresAt)) {
      throw new JOSEOptionInvalid('expiresAt must be a Date or a NumericDate')
    }
  }
  const jti = options.jti ?? false
  if (typeof jti !== 'boolean' && (typeof jti !== 'string' || jti === '')) {
    throw new JOSEOptionInvalid('jti must be true, false or a non-empty string')
  }
  const iat = options.iat ?? true
  if (typeof iat !== 'boolean' && !(typeof iat === 'number' && Number.isFinite(iat))) {
    throw new JOSEOptionInvalid('iat must be true, false or a NumericDate')
  }
  return {
    expiresIn: options.expiresIn === undefined ? undefined : parseSpanSeconds(options.expiresIn, 'expiresIn'),
    expiresAt,
    notBefore: options.notBefore === undefined ? undefined : parseSpanSeconds(options.notBefore, 'notBefore'),
    issuer: optionalString(options.issuer, 'issuer'),
    audience: Array.isArray(audience) ? [...audience] : audience,
    subject: optionalString(options.subject, 'subject'),
    jti,
    iat,
  }
}

/**
 * The claims to sign: the caller's, then the template's (which wins), with the registered claims' types checked
 * (JWTClaimInvalid, as verifying would throw). `random` gives jti bytes.
 */
export function applyClaimTemplate(
  claims: unknown,
  template: ClaimTemplate,
  now: number,
  random: (length: number) => Uint8Array,
): JWTPayload {
  if (!isJsonObject(claims)) throw new JWTInvalid('the JWT claims must be a plain object')
  // Not `{ ...claims }`: on V8 (Node 20) a spread copy of an ordinary object that then gains properties
  // falls off the fast path — measured 4.6–6.5 µs against 0.8–1.3 µs for Object.assign, more than the
  // HMAC itself. Object.assign would run the `__proto__` setter, so a claims object that owns a
  // "__proto__" member (JSON.parse makes those) keeps the spread, which defines it as a plain property.
  const payload: JWTPayload = Object.hasOwn(claims, '__proto__') ? { ...claims } : Object.assign({}, claims)
  if (template.iat === true) payload.iat = now
  else if (typeof template.iat === 'number') payload.iat = template.iat
  if (template.expiresIn !== undefined) payload.exp = now + template.expiresIn
  if (template.expiresAt !== undefined) payload.exp = template.expiresAt
  if (template.notBefore !== undefined) payload.nbf = now + template.notBefore
  if (template.issuer !== undefined) payload.iss = template.issuer
  if (template.audience !== undefined) payload.aud = template.audience
  if (template.subject !== undefined) payload.sub = template.subject
  if (template.jti === true) payload.jti = encodeBase64url(random(16))
  else if (typeof template.jti === 'string') payload.jti = template.jti
  // What verifyJWT would refuse as a claim type is refused here, with the same error, before anything is signed.
  checkRegisteredClaimTypes(payload)
  return payload
}

/** The protected header a JWT signer uses. */
export function jwtHeader(options: JWTSignOptions): Record<string, unknown> {
  if (!isJsonObject(options))
    throw new JOSEOptionInvalid('signing options must be an object with at least "alg"')
  if (options.header !== undefined && !isJsonObject(options.header))
    throw new JOSEOptionInvalid('header must be an object')
  if (options.header?.b64 !== undefined) throw new JOSEOptionInvalid('a JWT cannot use "b64" (RFC 7797 §7)')
  const header: Record<string, unknown> = { ...options.header, alg: options.alg }
  if (options.kid !== undefined) header.kid = optionalString(options.kid, 'kid')
  if (options.typ !== undefined) header.typ = optionalString(options.typ, 'typ')
  if (options.cty !== undefined) header.cty = optionalString(options.cty, 'cty')
  return header
}
