/**
 * @module Unsecured JWTs (`alg: "none"`, RFC 7519 §6): only through these two separately named calls,
 * never through `verifyJWT`. They carry no proof of origin; use them for tests and trusted channels only.
 */
import { JWTInvalid } from '../errors.js'
import { decodeProtectedSegment } from '../jws/segments.js'
import { decodeBase64url, encodeBase64url } from '../util/base64url.js'
import { currentSeconds } from '../util/duration.js'
import { applyClaimTemplate, compileClaimTemplate } from './build-claims.js'
import { checkClaims, compileClaimPolicy, decodeClaims } from './claims.js'
import type { ClaimOptions, JWTPayload, JWTSignOptions } from './types.js'

const UNSECURED_HEADER = encodeBase64url('{"alg":"none"}')

function randomBytes(length: number): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(length))
}

/** `header.payload.` with `{"alg":"none"}`. */
export function encodeUnsecuredJWT(
  claims: Record<string, unknown>,
  options: Omit<JWTSignOptions, 'alg'> = {},
): string {
  const template = compileClaimTemplate({ ...options, alg: 'none' })
  const payload = applyClaimTemplate(claims, template, currentSeconds(options.currentDate), randomBytes)
  return `${UNSECURED_HEADER}.${encodeBase64url(JSON.stringify(payload))}.`
}

/** Reads an unsecured JWT (and only one: a signed token is refused here) and checks its claims. */
export function decodeUnsecuredJWT(
  jwt: unknown,
  options: ClaimOptions = {},
): { payload: JWTPayload; header: object } {
  const policy = compileClaimPolicy(options)
  if (typeof jwt !== 'string') throw new JWTInvalid('a JWT must be a string')
  const parts = jwt.split('.')
  if (parts.length !== 3 || parts[2] !== '')
    throw new JWTInvalid('an unsecured JWT has the form header.payload. (empty signature)')
  const header = decodeProtectedSegment(parts[0]!)
  if (header.alg !== 'none')
    throw new JWTInvalid(
      'decodeUnsecuredJWT reads only "alg": "none" tokens; verify signed ones with verifyJWT',
    )
  const bytes = decodeBase64url(parts[1]!)
  if (!bytes) throw new JWTInvalid('the JWT payload is not canonical base64url')
  const payload = decodeClaims(bytes)
  checkClaims(policy, payload, header.typ)
  return { payload, header }
}
