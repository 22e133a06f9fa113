/**
 * @module JWK thumbprints (RFC 7638) and thumbprint URIs (RFC 9278).
 */
import type { Backend, MaybePromise } from '../backend/types.js'
import { JOSEOptionInvalid, JWKInvalid } from '../errors.js'
import { encodeBase64url } from '../util/base64url.js'
import { isJsonObject } from '../util/json.js'
import { chain } from '../util/maybe-promise.js'
import { isJoseKey } from './key.js'
import type { JWK } from './types.js'
import { checkJwk } from './validate.js'

/** RFC 7638 §3.2: the required members of each kty, in lexicographic order. */
const REQUIRED: Record<string, readonly string[]> = {
  EC: ['crv', 'kty', 'x', 'y'],
  OKP: ['crv', 'kty', 'x'],
  RSA: ['e', 'kty', 'n'],
  oct: ['k', 'kty'],
}
const DIGESTS = { sha256: 'SHA-256', sha384: 'SHA-384', sha512: 'SHA-512' } as const
const URI_NAMES = { sha256: 'sha-256', sha384: 'sha-384', sha512: 'sha-512' } as const
export type ThumbprintDigest = keyof typeof DIGESTS

function digestOf(name: unknown): ThumbprintDigest {
  if (name === undefined) return 'sha256'
  if (typeof name === 'string' && Object.hasOwn(DIGESTS, name)) return name as ThumbprintDigest
  throw new JOSEOptionInvalid('the thumbprint digest must be "sha256", "sha384" or "sha512"')
}

/** The canonical JSON RFC 7638 hashes: required members only, sorted, no whitespace. */
export function thumbprintInput(jwk: JWK): string {
  const { kty } = checkJwk(jwk)
  const members = REQUIRED[kty]!
  const parts = members.map((member) => `${JSON.stringify(member)}:${JSON.stringify(jwk[member])}`)
  return `{${parts.join(',')}}`
}

export function calculateJwkThumbprintWith(
  backend: Backend,
  key: unknown,
  digest?: ThumbprintDigest,
): MaybePromise<string> {
  const algorithm = digestOf(digest)
  // A public key is always exportable; a private key is thumbprinted by its public half.
  const jwk = !isJoseKey(key)
    ? key
    : key.type === 'secret'
      ? backend.exportJWK(key)
      : chain(backend.publicKeyOf(key), (publicKey) => backend.exportJWK(publicKey))
  return chain(jwk as MaybePromise<JWK>, (value) => {
    if (!isJsonObject(value)) throw new JWKInvalid('a thumbprint needs a JWK or a key')
    return chain(
      backend.digest(DIGESTS[algorithm], new TextEncoder().encode(thumbprintInput(value))),
      encodeBase64url,
    )
  })
}

export function calculateJwkThumbprintUriWith(
  backend: Backend,
  key: unknown,
  digest?: ThumbprintDigest,
): MaybePromise<string> {
  const algorithm = digestOf(digest)
  return chain(
    calculateJwkThumbprintWith(backend, key, algorithm),
    (thumbprint) => `urn:ietf:params:oauth:jwk-thumbprint:${URI_NAMES[algorithm]}:${thumbprint}`,
  )
}
