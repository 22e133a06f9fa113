/**
 * @module A pasted string → what it is (JWS, JWE, or not a token) and what it says, without verifying
 * anything. Decoding goes through the library's `decodeProtectedHeader` / `decodeJWT`.
 */
import {
  decodeBase64url,
  decodeJWT,
  decodeProtectedHeader,
  type JWSHeaderParameters,
  JWSInvalid,
  type JWTPayload,
} from '@tessera/jose'
import { type Explained, explainError } from './error-messages.js'

export type ParsedToken =
  | { kind: 'empty' }
  | { kind: 'invalid'; error: Explained; parts: string[] }
  | {
      kind: 'jws'
      parts: [string, string, string]
      header: JWSHeaderParameters
      /** The claims when the payload is a JSON object (a JWT). */
      claims: JWTPayload | undefined
      /** The payload as text when it is not a claims set. */
      payloadText: string | undefined
    }
  | { kind: 'jwe'; parts: [string, string, string, string, string]; header: JWSHeaderParameters }

/** What people paste around a token: whitespace, line breaks, an `Authorization: Bearer` prefix. */
export function cleanToken(input: string): string {
  return input
    .trim()
    .replace(/^(authorization:\s*)?bearer\s+/i, '')
    .replace(/\s+/g, '')
}

export function parseToken(input: string): ParsedToken {
  const token = cleanToken(input)
  if (token === '') return { kind: 'empty' }
  const parts = token.split('.')
  try {
    const header = decodeProtectedHeader(token)
    if (parts.length === 5)
      return { kind: 'jwe', parts: parts as [string, string, string, string, string], header }
    if (parts.length !== 3) {
      const error = new JWSInvalid(
        `a compact token has 3 (JWS) or 5 (JWE) parts; this one has ${parts.length}`,
      )
      return { kind: 'invalid', parts, error: explainError(error) }
    }
    let claims: JWTPayload | undefined
    let payloadText: string | undefined
    try {
      claims = decodeJWT(token)
    } catch {
      const bytes = decodeBase64url(parts[1]!)
      payloadText = bytes ? new TextDecoder().decode(bytes) : undefined
    }
    return { kind: 'jws', parts: parts as [string, string, string], header, claims, payloadText }
  } catch (error) {
    return { kind: 'invalid', parts, error: explainError(error) }
  }
}
