/**
 * @module Reads a Bearer access token from the Authorization header (RFC 6750 §2.1). Only the header:
 * tokens in query strings end up in logs and Referer headers (§2.3 discourages them).
 */
import { AccessTokenInvalid } from '../errors.js'

export function bearerToken(authorization: string | string[] | undefined, realm?: string): string {
  const header = Array.isArray(authorization) ? authorization[0] : authorization
  if (!header)
    throw new AccessTokenInvalid('send the access token as Authorization: Bearer <token>', {
      missing: true,
      ...(realm ? { realm } : {}),
    })
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header)
  if (!match)
    throw new AccessTokenInvalid('the Authorization header is not "Bearer <token>"', realm ? { realm } : {})
  return match[1]!
}
