/**
 * @module What key each algorithm needs: the table `generateKeyPair` / `generateSecret` read.
 */
import { contentEncryptionAlgorithm, keyManagementAlgorithm } from '../alg/jwe-algorithms.js'
import { jwsAlgorithm } from '../alg/jws-algorithms.js'
import { JOSENotSupported } from '../errors.js'

export type KeySpec =
  | { kty: 'RSA'; modulusLength: number; publicExponent: 65537; pss: boolean }
  | { kty: 'EC'; crv: 'P-256' | 'P-384' | 'P-521' | 'secp256k1' }
  | { kty: 'OKP'; crv: 'Ed25519' | 'Ed448' | 'X25519' | 'X448' }

export interface GenerateKeyPairOptions {
  /** Whether the private key may be exported (exportJWK / exportPEM). Default false. */
  extractable?: boolean
  /** RSA modulus length in bits (default 2048, minimum 2048). */
  modulusLength?: number
  /** Curve for `EdDSA` (Ed25519 or Ed448) and `ECDH-ES*` (P-256, P-384, P-521, X25519, X448). */
  crv?: string
}

const ECDH_CURVES = ['P-256', 'P-384', 'P-521', 'X25519', 'X448'] as const

/** The key-pair spec for an asymmetric `alg` (JWS or JWE key management). */
export function keyPairSpec(alg: string, options: GenerateKeyPairOptions = {}): KeySpec {
  const rsa = (pss: boolean): KeySpec => {
    const modulusLength = options.modulusLength ?? 2048
    if (
      !Number.isInteger(modulusLength) ||
      modulusLength < 2048 ||
      modulusLength > 16384 ||
      modulusLength % 8
    ) {
      throw new JOSENotSupported('modulusLength must be a multiple of 8 between 2048 and 16384 bits')
    }
    return { kty: 'RSA', modulusLength, publicExponent: 65537, pss }
  }
  switch (alg) {
    case 'RS256':
    case 'RS384':
    case 'RS512':
    case 'RSA-OAEP':
    case 'RSA-OAEP-256':
    case 'RSA-OAEP-384':
    case 'RSA-OAEP-512':
    case 'RSA1_5':
      return rsa(false)
    case 'PS256':
    case 'PS384':
    case 'PS512':
      return rsa(false)
    case 'ES256':
      return { kty: 'EC', crv: 'P-256' }
    case 'ES384':
      return { kty: 'EC', crv: 'P-384' }
    case 'ES512':
      return { kty: 'EC', crv: 'P-521' }
    case 'ES256K':
      return { kty: 'EC', crv: 'secp256k1' }
    case 'Ed25519':
      return { kty: 'OKP', crv: 'Ed25519' }
    case 'Ed448':
      return { kty: 'OKP', crv: 'Ed448' }
    case 'EdDSA': {
      const crv = options.crv ?? 'Ed25519'
      if (crv !== 'Ed25519' && crv !== 'Ed448')
        throw new JOSENotSupported('EdDSA keys use crv Ed25519 or Ed448')
      return { kty: 'OKP', crv }
    }
    case 'ECDH-ES':
    case 'ECDH-ES+A128KW':
    case 'ECDH-ES+A192KW':
    case 'ECDH-ES+A256KW': {
      const crv = options.crv ?? 'P-256'
      if (!(ECDH_CURVES as readonly string[]).includes(crv)) {
        throw new JOSENotSupported(`ECDH-ES keys use crv ${ECDH_CURVES.join(', ')}`)
      }
      return crv.startsWith('P-')
        ? { kty: 'EC', crv: crv as 'P-256' | 'P-384' | 'P-521' }
        : { kty: 'OKP', crv: crv as 'X25519' | 'X448' }
    }
    default:
      throw new JOSENotSupported(`generateKeyPair does not know the algorithm "${String(alg).slice(0, 32)}"`)
  }
}

/**
 * Secret length in bytes for a symmetric `alg`, read from the algorithm tables: HMAC the hash length
 * (RFC 7518 §3.2), AES key wrapping the KEK length, content encryption the CEK length.
 */
export function secretLength(alg: string): number {
  const jws = jwsAlgorithm(alg)
  const keyManagement = keyManagementAlgorithm(alg)
  const length =
    jws?.family === 'hmac'
      ? jws.hashBytes
      : keyManagement?.family === 'aes-kw' || keyManagement?.family === 'aes-gcm-kw'
        ? keyManagement.kekBytes
        : contentEncryptionAlgorithm(alg)?.cekBytes
  if (length === undefined) {
    throw new JOSENotSupported(`generateSecret does not know the algorithm "${String(alg).slice(0, 32)}"`)
  }
  return length
}
