/**
 * @module The key box → a key for the library. Secrets as text or base64url, a PEM, a JWK, a JWK Set,
 * or a JWKS URL (the one network call the debugger makes, and only when the user types a URL).
 */
import {
  decodeBase64url,
  importJWK,
  importPEM,
  type JWK,
  type JWKSet,
  JWKSFetchFailed,
  JWKSInvalid,
  JWKSNoMatchingKey,
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

/**
 * Picks the key for a token from a set: same `kid` when the token names one, and a key whose own
 * `alg`/`use` do not forbid the operation. The verifier's algorithm list still decides the algorithm.
 */
function setResolver(set: JWKSet, purpose: KeyPurpose): KeyLike<Record<string, unknown>> {
  const use = purpose === 'verify' || purpose === 'sign' ? 'sig' : 'enc'
  return async (header: Record<string, unknown>) => {
    const candidates = set.keys.filter(
      (jwk) =>
        (header.kid === undefined || jwk.kid === header.kid) &&
        (jwk.alg === undefined || jwk.alg === header.alg) &&
        (jwk.use === undefined || jwk.use === use),
    )
    const [first] = candidates
    if (!first) throw new JWKSNoMatchingKey('no key in the set matches the token header (kid, alg, use)')
    return importJWK(first as JWK, typeof header.alg === 'string' ? header.alg : undefined)
  }
}

function isKeySet(value: Record<string, unknown>): value is Record<string, unknown> & JWKSet {
  return Array.isArray(value.keys)
}

async function fetchKeySet(text: string): Promise<JWKSet> {
  let url: URL
  try {
    url = new URL(text.trim())
  } catch {
    throw new WebError('ERR_WEB_JWKS_URL', 'the JWKS URL is not a URL')
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new WebError('ERR_WEB_JWKS_URL', 'a JWKS URL starts with https:// or http://')
  }
  let response: Response
  try {
    // No cookies, no referrer: the key server learns nothing about this page or the token.
    response = await fetch(url, { credentials: 'omit', referrerPolicy: 'no-referrer', cache: 'no-store' })
  } catch (error) {
    throw new JWKSFetchFailed('the JWKS URL could not be fetched (network error or CORS refusal)', {
      cause: error,
    })
  }
  if (!response.ok) {
    throw new JWKSFetchFailed(`the JWKS URL answered HTTP ${response.status}`)
  }
  const body = parseJson(await response.text())
  if (!isKeySet(body)) throw new JWKSInvalid('the JWKS URL did not return { "keys": [...] }')
  return body
}

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
      if (isKeySet(value)) return setResolver(value, purpose)
      return importJWK(value as JWK, alg)
    }
    case 'jwks-url':
      if (purpose === 'sign' || purpose === 'decrypt') {
        throw new WebError('ERR_WEB_JWKS_CANNOT_SIGN', 'a JWKS URL holds public keys only')
      }
      return setResolver(await fetchKeySet(material.text), purpose)
  }
}
