/**
 * @module The types of the registered claims (RFC 7519 §4.1): one definition, applied by every signer to
 * the claims it is about to sign and by every verifier to the claims it has just read, so the library
 * never signs a token it would then refuse.
 */
import { JWTClaimInvalid } from '../errors.js'
import type { JWTPayload } from './types.js'

function notString(value: unknown): boolean {
  return value !== undefined && typeof value !== 'string'
}

function notNumericDate(value: unknown): boolean {
  return value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))
}

/** RFC 7519 §4.1.3: a single StringOrURI, or an array of them (an empty list names no audience at all). */
function notAudience(value: unknown): boolean {
  if (value === undefined || typeof value === 'string') return false
  if (!Array.isArray(value) || value.length === 0) return true
  for (const item of value) if (typeof item !== 'string') return true
  return false
}

function numericDateMessage(claim: string): string {
  return `the "${claim}" claim must be a number of seconds since the epoch (NumericDate, RFC 7519 §2)`
}

function invalid(payload: JWTPayload, claim: string, message: string): never {
  throw new JWTClaimInvalid(message, payload, claim, 'invalid')
}

/**
 * Throws JWTClaimInvalid (reason "invalid", `claim` set) for the first registered claim of the wrong type:
 * `iss`, `sub`, `jti` strings; `aud` a string or a non-empty array of strings; `exp`, `nbf`, `iat` finite
 * numbers (NumericDate, §2). Only `typeof` tests on seven members, because every sign and verify runs it.
 */
export function checkRegisteredClaimTypes(payload: JWTPayload): void {
  if (notString(payload.iss)) invalid(payload, 'iss', 'the "iss" claim must be a string (RFC 7519 §4.1.1)')
  if (notString(payload.sub)) invalid(payload, 'sub', 'the "sub" claim must be a string (RFC 7519 §4.1.2)')
  if (notAudience(payload.aud)) {
    invalid(
      payload,
      'aud',
      'the "aud" claim must be a string or a non-empty array of strings (RFC 7519 §4.1.3)',
    )
  }
  if (notNumericDate(payload.exp)) invalid(payload, 'exp', numericDateMessage('exp'))
  if (notNumericDate(payload.nbf)) invalid(payload, 'nbf', numericDateMessage('nbf'))
  if (notNumericDate(payload.iat)) invalid(payload, 'iat', numericDateMessage('iat'))
  if (notString(payload.jti)) invalid(payload, 'jti', 'the "jti" claim must be a string (RFC 7519 §4.1.7)')
}
