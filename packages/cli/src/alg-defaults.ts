/**
 * @module Which algorithms a key can mean when the user gave no `--alg`. Only keys whose type names
 * exactly one family are inferred (EC curves, Ed25519/Ed448); RSA and HMAC keys need `--alg`, because
 * guessing there is how algorithm-confusion bugs start.
 */

export interface KeyShape {
  kty?: string | undefined
  crv?: string | undefined
  alg?: string | undefined
}

const EC_ALG: Record<string, string> = {
  'P-256': 'ES256',
  'P-384': 'ES384',
  'P-521': 'ES512',
  secp256k1: 'ES256K',
}

/** The algorithm to sign with: the key's own `alg`, or the one its curve implies. */
export function signingAlgFor(key: KeyShape): string | undefined {
  if (key.alg) return key.alg
  if (key.kty === 'EC' && key.crv) return EC_ALG[key.crv]
  if (key.kty === 'OKP' && (key.crv === 'Ed25519' || key.crv === 'Ed448')) return 'EdDSA'
  return undefined
}

/** The algorithms to accept for this key: its `alg`, or what its curve implies (EdDSA and RFC 9864 names). */
export function verifyingAlgsFor(key: KeyShape): string[] | undefined {
  if (key.alg) return [key.alg]
  if (key.kty === 'EC' && key.crv && EC_ALG[key.crv]) return [EC_ALG[key.crv]!]
  if (key.kty === 'OKP' && (key.crv === 'Ed25519' || key.crv === 'Ed448')) return ['EdDSA', key.crv]
  return undefined
}

/** The JWK `kty` a JWS algorithm needs, used to pick candidate keys from a set. */
export function ktyForJwsAlg(alg: string | undefined): string | undefined {
  if (!alg) return undefined
  if (/^HS\d+$/.test(alg)) return 'oct'
  if (/^(RS|PS)\d+$/.test(alg)) return 'RSA'
  if (/^ES\d+K?$/.test(alg)) return 'EC'
  if (alg === 'EdDSA' || alg === 'Ed25519' || alg === 'Ed448') return 'OKP'
  return undefined
}

/** Whether `alg` names a JWS (signature/MAC) algorithm rather than a JWE key-management one. */
export function isJwsAlg(alg: string): boolean {
  return ktyForJwsAlg(alg) !== undefined
}

/** Every JWE content encryption (RFC 7518 §5): the key-management algorithm is what needs narrowing. */
export const CONTENT_ENCRYPTIONS = [
  'A128GCM',
  'A192GCM',
  'A256GCM',
  'A128CBC-HS256',
  'A192CBC-HS384',
  'A256CBC-HS512',
]

const ECDH = ['ECDH-ES', 'ECDH-ES+A128KW', 'ECDH-ES+A192KW', 'ECDH-ES+A256KW']
// RSA1_5 is left out on purpose (Bleichenbacher-style padding oracles); name it with --alg to accept it.
const RSA_OAEP = ['RSA-OAEP', 'RSA-OAEP-256', 'RSA-OAEP-384', 'RSA-OAEP-512']

interface SizedKey extends KeyShape {
  bits?: number | undefined
}

function isEcdhKey(key: KeyShape): boolean {
  return key.kty === 'EC' || (key.kty === 'OKP' && (key.crv === 'X25519' || key.crv === 'X448'))
}

/** The key-management algorithm to encrypt to this key with, when the key implies one. */
export function encryptionAlgFor(key: SizedKey): string | undefined {
  if (key.alg && !isJwsAlg(key.alg)) return key.alg
  if (isEcdhKey(key)) return 'ECDH-ES+A256KW'
  if (key.kty === 'RSA') return 'RSA-OAEP-256'
  if (key.kty === 'oct' && (key.bits === 128 || key.bits === 192 || key.bits === 256)) return `A${key.bits}KW`
  return undefined
}

/** The key-management algorithms to accept when decrypting with this key. */
export function decryptionAlgsFor(key: KeyShape): string[] | undefined {
  if (key.alg && !isJwsAlg(key.alg)) return [key.alg]
  if (isEcdhKey(key)) return ECDH
  if (key.kty === 'RSA') return RSA_OAEP
  return undefined
}
