/**
 * @module PKCE with S256 (RFC 7636 §4) and the random `state` and `nonce` of a login, on WebCrypto.
 */
import { encodeBase64url } from '@tessera/jose/webcrypto'

/** 32 random bytes, base64url: 43 characters, the shortest verifier RFC 7636 §4.1 allows at full entropy. */
export function randomToken(bytes = 32): string {
  return encodeBase64url(crypto.getRandomValues(new Uint8Array(bytes)))
}

/** The code challenge of `verifier`: BASE64URL(SHA-256(ASCII(verifier))) (RFC 7636 §4.2). */
export async function s256Challenge(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))
  return encodeBase64url(new Uint8Array(digest))
}

/** What one login needs to remember across the redirect, and the challenge that goes in the URL. */
export interface LoginSecrets {
  state: string
  nonce: string
  codeVerifier: string
  codeChallenge: string
}

/** Fresh `state`, `nonce` and PKCE pair for one login. */
export async function createLoginSecrets(): Promise<LoginSecrets> {
  const codeVerifier = randomToken()
  return {
    state: randomToken(),
    nonce: randomToken(),
    codeVerifier,
    codeChallenge: await s256Challenge(codeVerifier),
  }
}
