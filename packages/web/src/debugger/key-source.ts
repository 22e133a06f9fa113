/**
 * @module The key box → a key for the library. Secrets as text or base64url, a PEM, a JWK, a JWK Set,
 * or a JWKS URL (the one network call the debugger makes, and only when the user types a URL).
 */
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeBase64url,
  importJWK,
  importPEM,
  type JWK,
  type KeyLike,
} from '@tessera/jose'
import { WebError } from './web-error.js'

export type KeyFormat = 'secret-text' | 'secret-b64' | 'pem' | 'jwk' | 'jwks-url'
export type KeyPurpose = 'verify' | 'sign' | 'decrypt' | 'encrypt'

export const KEY_FORMATS: readonly KeyFormat[] = ['secret-text', 'secret-b64', 'pem', 'jwk', 'jwks-url']

export interface KeyMaterial {
  format: KeyFormat
  text: string
}

/** The secret's bytes for the two secret formats (text is used exactly as typed: spaces count). */
export function secretBytes(material: KeyMaterial): Uint8Array | undefined {
  if (material.format === 'secret-text') return new TextEncoder().encode(material.text)
  if (material.format !== 'secret-b64') return undefined
  const bytes = decodeBase64url(material.text.trim())
  if (!bytes) throw new WebError('ERR_WEB_BASE64URL', 'the secret is not canonical base64url')
  return bytes
}

function parseJson(text: string): Record<string, unknown> {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new WebError('ERR_WEB_KEY_JSON', 'the key box does not hold valid JSON')
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new WebError('ERR_WEB_KEY_JSON', 'a JWK or JWK Set is a JSON object')
  }
  return value as Record<string, unknown>
}

function isKeySet(value: Record<string, unknown>): boolean {
  return Array.isArray(value.keys)
}

function jwksUrl(text: string): URL {
  let url: URL
  try {
    url = new URL(text.trim())
  } catch {
    throw new WebError('ERR_WEB_JWKS_URL', 'the JWKS URL is not a URL')
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new WebError('ERR_WEB_JWKS_URL', 'a JWKS URL starts with https:// or http://')
  }
  return url
}

/** No cookies, no referrer, no cache: the key server learns nothing about this page or the token. */
const privateFetch = (url: string, init: RequestInit) =>
  fetch(url, { ...init, credentials: 'omit', referrerPolicy: 'no-referrer', cache: 'no-store' })

/** A key (or key resolver) for `purpose` with `alg`, from the key box. */
export async function keyFor(
  material: KeyMaterial,
  alg: string | undefined,
  purpose: KeyPurpose,
): Promise<KeyLike> {
  if (material.text.trim() === '') throw new WebError('ERR_WEB_KEY_EMPTY', 'the key box is empty')
  switch (material.format) {
    case 'secret-text':
    case 'secret-b64':
      return secretBytes(material)!
    case 'pem':
      return importPEM(material.text.trim(), alg)
    case 'jwk': {
      const value = parseJson(material.text)
      if (!isKeySet(value)) return importJWK(value as JWK, alg)
      // A set picks a member per token (kid, alg, use); producing a token needs one chosen key.
      if (purpose === 'sign' || purpose === 'encrypt')
        throw new WebError('ERR_WEB_NEED_ONE_KEY', 'paste one JWK, not a set')
      return createLocalJWKSet(value)
    }
    case 'jwks-url':
      if (purpose !== 'verify')
        throw new WebError('ERR_WEB_JWKS_VERIFY_ONLY', 'a JWKS URL holds public keys only')
      // A fresh set per click: the debugger shows what the URL serves now, not a cached copy.
      return createRemoteJWKSet(jwksUrl(material.text), { fetch: privateFetch })
  }
}
