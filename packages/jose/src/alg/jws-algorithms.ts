/**
 * @module The JWS algorithm table (RFC 7518 §3, RFC 8037, RFC 8812, RFC 9864): the one place that knows
 * what each `alg` name means. Everything else receives a resolved entry and never lists algorithm names.
 */

export type HashName = 'SHA-256' | 'SHA-384' | 'SHA-512'
export type SignatureFamily = 'hmac' | 'rsa' | 'rsa-pss' | 'ecdsa' | 'eddsa'
export type EcCurve = 'P-256' | 'P-384' | 'P-521' | 'secp256k1'
export type OkpSignatureCurve = 'Ed25519' | 'Ed448'

/** A curve a key pair is generated on, with the JWK `kty` of such a key. */
export type KeyPairCurve =
  | { readonly kty: 'EC'; readonly crv: EcCurve }
  | { readonly kty: 'OKP'; readonly crv: OkpSignatureCurve | 'X25519' | 'X448' }

/**
 * The key pair an asymmetric algorithm runs on (what `generateKeyPair` makes): RSA, or one of these curves,
 * the first being the default when the caller names none.
 */
export type KeyPairShape = 'RSA' | readonly KeyPairCurve[]

export interface JwsAlgorithm {
  readonly name: string
  readonly family: SignatureFamily
  /** Hash of the signature scheme (none for EdDSA, which hashes internally). */
  readonly hash?: HashName
  /** node:crypto's name for `hash`. */
  readonly nodeHash?: 'sha256' | 'sha384' | 'sha512'
  /** Bytes of hash output: the minimum HMAC secret length (RFC 7518 §3.2). */
  readonly hashBytes?: number
  /** ECDSA: the one curve the algorithm allows, and its R||S signature length (RFC 7518 §3.4). */
  readonly curve?: EcCurve
  readonly signatureLength?: number
  /** ECDSA: the group order n, big-endian, for the r,s ∈ [1, n-1] check (CVE-2022-21449). */
  readonly order?: Uint8Array
  /** EdDSA: the curves the name allows (`EdDSA` both; the RFC 9864 names exactly one). */
  readonly okpCurves?: readonly OkpSignatureCurve[]
  /** RSA: the smallest modulus accepted. */
  readonly minModulusBits?: number
  /** RSA-PSS salt length in bytes (= hash length, RFC 7518 §3.5). */
  readonly saltLength?: number
  /** The key pair to generate; none for HMAC, whose keys are secrets. */
  readonly keyPair?: KeyPairShape
  /** False where WebCrypto has no such algorithm; the WebCrypto backend refuses it by name. */
  readonly webCrypto: boolean
}

function hex(text: string): Uint8Array {
  const out = new Uint8Array(text.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(text.slice(i * 2, i * 2 + 2), 16)
  return out
}

const P256_N = hex('ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551')
const P384_N = hex(
  'ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973',
)
const P521_N = hex(
  '01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409',
)
const SECP256K1_N = hex('fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141')

const SHA = {
  256: { hash: 'SHA-256', nodeHash: 'sha256', hashBytes: 32 },
  384: { hash: 'SHA-384', nodeHash: 'sha384', hashBytes: 48 },
  512: { hash: 'SHA-512', nodeHash: 'sha512', hashBytes: 64 },
} as const

const RSA = { minModulusBits: 2048, keyPair: 'RSA' } as const
const curve = (crv: EcCurve): KeyPairShape => [{ kty: 'EC', crv }]
const okp = (...curves: OkpSignatureCurve[]): KeyPairShape => curves.map((crv) => ({ kty: 'OKP', crv }))

const entries: JwsAlgorithm[] = [
  { name: 'HS256', family: 'hmac', ...SHA[256], webCrypto: true },
  { name: 'HS384', family: 'hmac', ...SHA[384], webCrypto: true },
  { name: 'HS512', family: 'hmac', ...SHA[512], webCrypto: true },
  { name: 'RS256', family: 'rsa', ...SHA[256], ...RSA, webCrypto: true },
  { name: 'RS384', family: 'rsa', ...SHA[384], ...RSA, webCrypto: true },
  { name: 'RS512', family: 'rsa', ...SHA[512], ...RSA, webCrypto: true },
  { name: 'PS256', family: 'rsa-pss', ...SHA[256], ...RSA, saltLength: 32, webCrypto: true },
  { name: 'PS384', family: 'rsa-pss', ...SHA[384], ...RSA, saltLength: 48, webCrypto: true },
  { name: 'PS512', family: 'rsa-pss', ...SHA[512], ...RSA, saltLength: 64, webCrypto: true },
  {
    name: 'ES256',
    family: 'ecdsa',
    ...SHA[256],
    curve: 'P-256',
    keyPair: curve('P-256'),
    signatureLength: 64,
    order: P256_N,
    webCrypto: true,
  },
  {
    name: 'ES384',
    family: 'ecdsa',
    ...SHA[384],
    curve: 'P-384',
    keyPair: curve('P-384'),
    signatureLength: 96,
    order: P384_N,
    webCrypto: true,
  },
  {
    name: 'ES512',
    family: 'ecdsa',
    ...SHA[512],
    curve: 'P-521',
    keyPair: curve('P-521'),
    signatureLength: 132,
    order: P521_N,
    webCrypto: true,
  },
  {
    name: 'ES256K',
    family: 'ecdsa',
    ...SHA[256],
    curve: 'secp256k1',
    keyPair: curve('secp256k1'),
    signatureLength: 64,
    order: SECP256K1_N,
    webCrypto: false,
  },
  {
    name: 'EdDSA',
    family: 'eddsa',
    okpCurves: ['Ed25519', 'Ed448'],
    keyPair: okp('Ed25519', 'Ed448'),
    webCrypto: true,
  },
  { name: 'Ed25519', family: 'eddsa', okpCurves: ['Ed25519'], keyPair: okp('Ed25519'), webCrypto: true },
  { name: 'Ed448', family: 'eddsa', okpCurves: ['Ed448'], keyPair: okp('Ed448'), webCrypto: false },
]

const table = new Map<string, JwsAlgorithm>(entries.map((entry) => [entry.name, Object.freeze(entry)]))

/** Every JWS algorithm name this library knows, in table order. */
export const JWS_ALGORITHMS: readonly string[] = Object.freeze(entries.map((entry) => entry.name))

/** The table entry for `alg`, or undefined when the name is not a JWS algorithm we implement. */
export function jwsAlgorithm(alg: unknown): JwsAlgorithm | undefined {
  return typeof alg === 'string' ? table.get(alg) : undefined
}
