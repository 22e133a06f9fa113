/**
 * @module PKCE at the token endpoint (RFC 7636 §4.6, S256 only): the verifier is 43–128 characters of the
 * unreserved set, and BASE64URL(SHA-256(verifier)) must equal the challenge the code was issued for.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import { GrantInvalid } from '../../errors.js'

const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/

export function checkCodeVerifier(verifier: string | undefined, challenge: string): void {
  if (verifier === undefined)
    throw new GrantInvalid(
      'code_verifier is missing: send the PKCE verifier the code_challenge was made from',
    )
  if (!VERIFIER.test(verifier))
    throw new GrantInvalid('code_verifier must be 43-128 characters of A-Z a-z 0-9 - . _ ~ (RFC 7636 §4.1)')
  const computed = Buffer.from(createHash('sha256').update(verifier, 'ascii').digest('base64url'))
  const expected = Buffer.from(challenge)
  if (computed.length !== expected.length || !timingSafeEqual(computed, expected))
    throw new GrantInvalid('code_verifier does not match the code_challenge of the authorization request')
}
