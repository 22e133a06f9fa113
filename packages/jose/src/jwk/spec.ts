/**
 * @module What key each algorithm needs, read from the algorithm tables (their `keyPair`, `hashBytes`,
 * `kekBytes`, `cekBytes`): the specs `generateKeyPair` / `generateSecret` hand to a backend.
 */
import { contentEncryptionAlgorithm, keyManagementAlgorithm } from '../alg/jwe-algorithms.js'
import { jwsAlgorithm, type KeyPairCurve } from '../alg/jws-algorithms.js'
import { JOSENotSupported } from '../errors.js'

export type KeySpec = { kty: 'RSA'; modulusLength: number; publicExponent: 65537 } | KeyPairCurve

export interface GenerateKeyPairOptions {
  /** Whether the private key may be exported (exportJWK / exportPEM). Default false. */
  extractable?: boolean
  /** RSA modulus length in bits (default 2048, minimum 2048). */
  modulusLength?: number
  /** Curve for `EdDSA` (Ed25519 or Ed448) and `ECDH-ES*` (P-256, P-384, P-521, X25519, X448). */
  crv?: string
}

function rsaSpec(options: GenerateKeyPairOptions): KeySpec {
  const modulusLength = options.modulusLength ?? 2048
  if (
    !Number.isInteger(modulusLength) ||
    modulusLength < 2048 ||
    modulusLength > 16384 ||
    modulusLength % 8
  ) {
    throw new JOSENotSupported('modulusLength must be a multiple of 8 between 2048 and 16384 bits')
  }
  return { kty: 'RSA', modulusLength, publicExponent: 65537 }
}

/** The key-pair spec for an asymmetric `alg` (JWS or JWE key management). */
export function keyPairSpec(alg: string, options: GenerateKeyPairOptions = {}): KeySpec {
  const shape = jwsAlgorithm(alg)?.keyPair ?? keyManagementAlgorithm(alg)?.keyPair
  if (shape === undefined) {
    throw new JOSENotSupported(`generateKeyPair does not know the algorithm "${String(alg).slice(0, 32)}"`)
  }
  if (shape === 'RSA') return rsaSpec(options)
  // A name bound to one curve (ES256, Ed25519) ignores `crv`; a choice (EdDSA, ECDH-ES) defaults to the first.
  if (shape.length === 1 || options.crv === undefined) return shape[0]!
  const chosen = shape.find((pair) => pair.crv === options.crv)
  if (chosen === undefined) {
    const curves = shape.map((pair) => pair.crv)
    throw new JOSENotSupported(`${alg} keys use crv ${curves.slice(0, -1).join(', ')} or ${curves.at(-1)}`)
  }
  return chosen
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
