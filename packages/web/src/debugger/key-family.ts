/**
 * @module Which kind of key an algorithm takes, and so which key formats, label and placeholder the key
 * box offers for it: HMAC secrets for HS*, public keys for RS/PS/ES/EdDSA, symmetric keys for JWE dir and
 * AES key wrap, a password for PBES2, a private key for RSA-OAEP and ECDH-ES.
 */
import type { MessageKey } from '../i18n/en.js'
import { KEY_FORMATS, type KeyFormat } from './key-source.js'

export type KeyFamily = 'any' | 'hmac' | 'jws-public' | 'jwe-secret' | 'jwe-password' | 'jwe-private'

/** RFC 7518 §3.2: an HMAC key at least as long as the hash output. */
export const MIN_SECRET_BYTES: Readonly<Record<string, number>> = { HS256: 32, HS384: 48, HS512: 64 }

// The page only sees the library's list of names, not its table, so families are read off the names
// RFC 7518 §3.1 and §4.1 give them (JWS and JWE names never overlap).
export function keyFamily(alg: string | undefined): KeyFamily {
  if (alg === undefined) return 'any'
  if (/^HS\d+$/.test(alg)) return 'hmac'
  if (/^(RS|PS|ES)\d+K?$/.test(alg) || /^(EdDSA|Ed25519|Ed448)$/.test(alg)) return 'jws-public'
  if (/^(dir|A\d+KW|A\d+GCMKW)$/.test(alg)) return 'jwe-secret'
  if (alg.startsWith('PBES2-')) return 'jwe-password'
  if (/^(RSA-OAEP|RSA1_5|ECDH-ES)/.test(alg)) return 'jwe-private'
  return 'any'
}

/** The formats offered for a family, the default first. */
export const FAMILY_FORMATS: Readonly<Record<KeyFamily, readonly KeyFormat[]>> = {
  any: KEY_FORMATS,
  hmac: ['secret-text', 'secret-b64'],
  'jws-public': ['pem', 'jwk', 'jwks-url'],
  'jwe-secret': ['secret-b64', 'secret-text'],
  'jwe-password': ['secret-text', 'secret-b64'],
  'jwe-private': ['pem', 'jwk'],
}

const GENERIC_LABELS: Record<KeyFormat, MessageKey> = {
  'secret-text': 'key.format.secretText',
  'secret-b64': 'key.format.secretB64',
  pem: 'key.format.pem',
  jwk: 'key.format.jwk',
  'jwks-url': 'key.format.jwksUrl',
}

const GENERIC_HINTS: Record<KeyFormat, MessageKey> = {
  'secret-text': 'key.hint.secretText',
  'secret-b64': 'key.hint.secretB64',
  pem: 'key.hint.pem',
  jwk: 'key.hint.jwk',
  'jwks-url': 'key.hint.jwksUrl',
}

const LABELS: Readonly<Record<KeyFamily, Partial<Record<KeyFormat, MessageKey>>>> = {
  any: GENERIC_LABELS,
  hmac: { 'secret-text': 'key.label.hmacText', 'secret-b64': 'key.label.hmacB64' },
  'jws-public': {
    pem: 'key.label.publicPem',
    jwk: 'key.label.publicJwk',
    'jwks-url': 'key.label.publicUrl',
  },
  'jwe-secret': { 'secret-b64': 'key.label.symmetricB64', 'secret-text': 'key.label.symmetricText' },
  'jwe-password': { 'secret-text': 'key.label.passwordText', 'secret-b64': 'key.label.passwordB64' },
  'jwe-private': { pem: 'key.label.privatePem', jwk: 'key.label.privateJwk' },
}

const HINTS: Readonly<Record<KeyFamily, Partial<Record<KeyFormat, MessageKey>>>> = {
  any: GENERIC_HINTS,
  hmac: {},
  'jws-public': { pem: 'key.hint.publicPem', jwk: 'key.hint.publicJwk' },
  'jwe-secret': {},
  'jwe-password': { 'secret-text': 'key.hint.password' },
  'jwe-private': { pem: 'key.hint.privatePem', jwk: 'key.hint.privateJwk' },
}

/** The JWK placeholder shows the key type the algorithm takes (RFC 7518 §6). */
function jwkPlaceholder(alg: string, secret: boolean): MessageKey {
  if (/^(RS|PS)/.test(alg) || alg.startsWith('RSA'))
    return secret ? 'key.placeholder.jwkRsaPrivate' : 'key.placeholder.jwkRsa'
  if (/^(EdDSA|Ed25519|Ed448)$/.test(alg)) return 'key.placeholder.jwkOkp'
  return secret ? 'key.placeholder.jwkEcPrivate' : 'key.placeholder.jwkEc'
}

function placeholder(family: KeyFamily, format: KeyFormat, alg: string | undefined): MessageKey {
  if (format === 'jwks-url') return 'key.placeholder.url'
  if (family === 'any' || alg === undefined) return 'key.placeholder.key'
  if (format === 'secret-b64') return 'key.placeholder.secretB64'
  if (format === 'secret-text')
    return family === 'jwe-password' ? 'key.placeholder.password' : 'key.placeholder.secretText'
  if (format === 'pem')
    return family === 'jwe-private' ? 'key.placeholder.privatePem' : 'key.placeholder.publicPem'
  return jwkPlaceholder(alg, family === 'jwe-private')
}

export interface KeyBoxText {
  label: MessageKey
  hint: MessageKey
  placeholder: MessageKey
}

/** What the key box says for `format` under `alg`: its label, hint and placeholder. */
export function keyBoxText(alg: string | undefined, format: KeyFormat): KeyBoxText {
  const family = keyFamily(alg)
  return {
    label: LABELS[family][format] ?? GENERIC_LABELS[format],
    hint: HINTS[family][format] ?? GENERIC_HINTS[format],
    placeholder: placeholder(family, format, alg),
  }
}
