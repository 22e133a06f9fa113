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
