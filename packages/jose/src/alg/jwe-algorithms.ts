/**
 * @module The JWE algorithm table (RFC 7518 §4, §5; RFC 8037 §3.2): the one place that knows what
 * `ECDH-ES+A128KW` or `A256GCM` means. Everything below it receives a resolved entry, never a name.
 */
import type { HashName, KeyPairCurve, KeyPairShape } from './jws-algorithms.js'

export type KeyManagementFamily =
  | 'dir'
  | 'aes-kw'
  | 'aes-gcm-kw'
  | 'rsa-oaep'
  | 'rsa1_5'
  | 'ecdh-es'
  | 'pbes2'

export interface KeyManagementAlgorithm {
  readonly name: string
  readonly family: KeyManagementFamily
  /** AES key-wrapping key length in bytes (A*KW, A*GCMKW, ECDH-ES+A*KW, PBES2-*+A*KW). */
  readonly kekBytes?: number
  /** RSA-OAEP hash (and MGF1 hash), or PBES2's PRF hash. */
  readonly hash?: HashName | 'SHA-1'
  /** Direct modes (`dir`, `ECDH-ES`): the key determines the CEK, so there is no encrypted key and one recipient. */
  readonly direct: boolean
  /** The key pair to generate for the recipient (RSA, or an ECDH curve); none for symmetric families. */
  readonly keyPair?: KeyPairShape
}

export type ContentFamily = 'gcm' | 'cbc-hmac'

export interface ContentEncryptionAlgorithm {
  readonly name: string
  readonly family: ContentFamily
  /** The whole CEK: the AES key for GCM; MAC key || ENC key for CBC-HMAC (RFC 7518 §5.2.2.1). */
  readonly cekBytes: number
  /** AES key length in bytes (for CBC-HMAC, half the CEK). */
  readonly aesBytes: number
  /** IV length: 96 bits for GCM (§5.3), 128 bits for CBC (§5.2). */
  readonly ivBytes: number
  /** Authentication tag length: 128 bits for GCM; T_LEN (half the HMAC) for CBC-HMAC. */
  readonly tagBytes: number
  /** CBC-HMAC's HMAC hash. */
  readonly hash?: HashName
}

/** Curves ECDH-ES runs on (RFC 7518 §4.6, RFC 8037 §3.2); P-256 is the default for a new key. */
const ECDH_KEY_PAIRS: readonly KeyPairCurve[] = [
  { kty: 'EC', crv: 'P-256' },
  { kty: 'EC', crv: 'P-384' },
  { kty: 'EC', crv: 'P-521' },
  { kty: 'OKP', crv: 'X25519' },
  { kty: 'OKP', crv: 'X448' },
]

const KEY_PAIRS: Partial<Record<KeyManagementFamily, KeyPairShape>> = {
  'rsa-oaep': 'RSA',
  rsa1_5: 'RSA',
  'ecdh-es': ECDH_KEY_PAIRS,
}

const km = (
  name: string,
  family: KeyManagementFamily,
  extra: { kekBytes?: number; hash?: HashName | 'SHA-1' } = {},
): KeyManagementAlgorithm =>
  Object.freeze({
    name,
    family,
    direct: name === 'dir' || name === 'ECDH-ES',
    ...(KEY_PAIRS[family] ? { keyPair: KEY_PAIRS[family] } : {}),
    ...extra,
  })

const KEY_MANAGEMENT: ReadonlyMap<string, KeyManagementAlgorithm> = new Map(
  [
    km('dir', 'dir'),
    km('A128KW', 'aes-kw', { kekBytes: 16 }),
    km('A192KW', 'aes-kw', { kekBytes: 24 }),
    km('A256KW', 'aes-kw', { kekBytes: 32 }),
    km('A128GCMKW', 'aes-gcm-kw', { kekBytes: 16 }),
    km('A192GCMKW', 'aes-gcm-kw', { kekBytes: 24 }),
    km('A256GCMKW', 'aes-gcm-kw', { kekBytes: 32 }),
    km('RSA-OAEP', 'rsa-oaep', { hash: 'SHA-1' }),
    km('RSA-OAEP-256', 'rsa-oaep', { hash: 'SHA-256' }),
    km('RSA-OAEP-384', 'rsa-oaep', { hash: 'SHA-384' }),
    km('RSA-OAEP-512', 'rsa-oaep', { hash: 'SHA-512' }),
    km('RSA1_5', 'rsa1_5'),
    km('ECDH-ES', 'ecdh-es'),
    km('ECDH-ES+A128KW', 'ecdh-es', { kekBytes: 16 }),
    km('ECDH-ES+A192KW', 'ecdh-es', { kekBytes: 24 }),
    km('ECDH-ES+A256KW', 'ecdh-es', { kekBytes: 32 }),
    km('PBES2-HS256+A128KW', 'pbes2', { kekBytes: 16, hash: 'SHA-256' }),
    km('PBES2-HS384+A192KW', 'pbes2', { kekBytes: 24, hash: 'SHA-384' }),
    km('PBES2-HS512+A256KW', 'pbes2', { kekBytes: 32, hash: 'SHA-512' }),
  ].map((entry) => [entry.name, entry]),
)

const gcm = (name: string, bytes: number): ContentEncryptionAlgorithm =>
  Object.freeze({ name, family: 'gcm', cekBytes: bytes, aesBytes: bytes, ivBytes: 12, tagBytes: 16 })
const cbc = (name: string, bytes: number, hash: HashName): ContentEncryptionAlgorithm =>
  Object.freeze({
    name,
    family: 'cbc-hmac',
    cekBytes: bytes * 2,
    aesBytes: bytes,
    ivBytes: 16,
    tagBytes: bytes,
    hash,
  })

const CONTENT: ReadonlyMap<string, ContentEncryptionAlgorithm> = new Map(
  [
    gcm('A128GCM', 16),
    gcm('A192GCM', 24),
    gcm('A256GCM', 32),
    cbc('A128CBC-HS256', 16, 'SHA-256'),
    cbc('A192CBC-HS384', 24, 'SHA-384'),
    cbc('A256CBC-HS512', 32, 'SHA-512'),
  ].map((entry) => [entry.name, entry]),
)

/** The entry for a key management `alg`, or undefined for a name this library does not implement. */
export function keyManagementAlgorithm(name: unknown): KeyManagementAlgorithm | undefined {
  return typeof name === 'string' ? KEY_MANAGEMENT.get(name) : undefined
}

/** The entry for a content encryption `enc`, or undefined. */
export function contentEncryptionAlgorithm(name: unknown): ContentEncryptionAlgorithm | undefined {
  return typeof name === 'string' ? CONTENT.get(name) : undefined
}

/** Every JWE `alg` and `enc` this library implements (Node; see docs/jwe.md for WebCrypto). */
export const JWE_ALGORITHMS: { readonly alg: readonly string[]; readonly enc: readonly string[] } =
  Object.freeze({
    alg: Object.freeze([...KEY_MANAGEMENT.keys()]),
    enc: Object.freeze([...CONTENT.keys()]),
  })

/** Curves ECDH-ES runs on (RFC 7518 §4.6, RFC 8037 §3.2). */
export const ECDH_CURVES: ReadonlySet<string> = new Set(ECDH_KEY_PAIRS.map((pair) => pair.crv))
