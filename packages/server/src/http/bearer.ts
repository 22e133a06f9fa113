/**
 * @module Reads the access token from the Authorization header: `Bearer <token>` (RFC 6750 §2.1) or
 * `DPoP <token>` (RFC 9449 §7.1, sent with a `DPoP` proof header). Only the header: tokens in query
 * strings end up in logs and Referer headers (RFC 6750 §2.3 discourages them).
 */
import { AccessTokenInvalid } from '../errors.js'

// token68 (RFC 9110 §11.2), the credentials syntax of both schemes.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i
const DPOP = /^DPoP +([A-Za-z0-9\-._~+/]+=*) *$/i
const DPOP_SCHEME = /^DPoP /i

export function bearerToken(authorization: string | string[] | undefined, realm?: string): string {
  const header = Array.isArray(authorization) ? authorization[0] : authorization
  if (!header)
    throw new AccessTokenInvalid('send the access token as Authorization: Bearer <token>', {
      missing: true,
      ...(realm ? { realm } : {}),
    })
  const match = BEARER.exec(header)
  if (!match)
    throw new AccessTokenInvalid('the Authorization header is not "Bearer <token>"', realm ? { realm } : {})
  return match[1]!
}

/**
 * Whether the header names the DPoP scheme. The first letter decides for a Bearer header (`b` is not
 * `d`), so the Bearer path of a hot route pays one character comparison and allocates nothing.
 */
export function isDPoPAuthorization(authorization: string | string[] | undefined): boolean {
  const header = Array.isArray(authorization) ? authorization[0] : authorization
  return typeof header === 'string' && (header.charCodeAt(0) | 0x20) === 0x64 && DPOP_SCHEME.test(header)
}

/** The token of `Authorization: DPoP <token>`. Throws AccessTokenInvalid (the caller adds the DPoP challenge). */
export function dpopToken(authorization: string | string[] | undefined): string {
  const header = Array.isArray(authorization) ? authorization[0] : authorization
  const match = header === undefined ? null : DPOP.exec(header)
  if (!match) throw new AccessTokenInvalid('the Authorization header is not "DPoP <token>"')
  return match[1]!
}
