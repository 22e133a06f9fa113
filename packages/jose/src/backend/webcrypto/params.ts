/**
 * @module WebCrypto algorithm parameters: which `importKey` / `sign` dictionary a JWS algorithm family or
 * a key kind maps to, and the one refusal for what WebCrypto cannot do (secp256k1, Ed448, X448).
 * Works from the `alg/` table's entries (family, hash, curve): no algorithm names are listed here.
 */
import type { JwsAlgorithm } from '../../alg/jws-algorithms.js'
import { JOSENotSupported } from '../../errors.js'
import type { Kty } from '../../jwk/types.js'

export type KeyParams = Algorithm & { hash?: string; namedCurve?: string }

/** Curves WebCrypto has, with the bits the key checks compare. */
export const CURVE_BITS: Readonly<Record<string, number>> = {
  'P-256': 256,
  'P-384': 384,
  'P-521': 521,
  Ed25519: 256,
  X25519: 256,
}

/** The error for anything WebCrypto lacks; the Node build has it (node:crypto / OpenSSL). */
export function notOnWebCrypto(what: string): JOSENotSupported {
  return new JOSENotSupported(
    `${what} is not available on WebCrypto (browsers, Deno, Bun, edge workers have no such primitive); ` +
      "the Node build supports it: import from '@tessera/jose/node' on Node.js",
  )
}

/** Refuses an EC / OKP curve WebCrypto does not have, naming it. */
export function assertCurveSupported(crv: string | undefined): void {
  if (crv !== undefined && CURVE_BITS[crv] === undefined) throw notOnWebCrypto(`the curve ${crv}`)
}

/** Refuses a JWS algorithm the table marks as not on WebCrypto (ES256K, Ed448). */
export function assertJwsSupported(alg: JwsAlgorithm): void {
  if (!alg.webCrypto) throw notOnWebCrypto(alg.name)
}

/** The `importKey` / `generateKey` algorithm for a JWS algorithm (EdDSA's curve comes from the key). */
export function jwsKeyParams(alg: JwsAlgorithm, crv: string | undefined): KeyParams {
  assertJwsSupported(alg)
  switch (alg.family) {
    case 'hmac':
      return { name: 'HMAC', hash: alg.hash! }
    case 'rsa':
      return { name: 'RSASSA-PKCS1-v1_5', hash: alg.hash! }
    case 'rsa-pss':
      return { name: 'RSA-PSS', hash: alg.hash! }
    case 'ecdsa':
      return { name: 'ECDSA', namedCurve: alg.curve! }
    case 'eddsa':
      if (crv !== 'Ed25519') throw notOnWebCrypto(`${alg.name} with ${crv ?? 'this'} keys`)
      return { name: 'Ed25519' }
  }
}

/** The `sign` / `verify` algorithm for a JWS algorithm (RFC 7518 §3.3–3.5, RFC 8037 §3.1). */
export function jwsSignParams(alg: JwsAlgorithm): Algorithm | RsaPssParams | EcdsaParams {
  switch (alg.family) {
    case 'rsa-pss':
      return { name: 'RSA-PSS', saltLength: alg.saltLength! }
    case 'ecdsa':
      return { name: 'ECDSA', hash: alg.hash! }
    case 'hmac':
      return { name: 'HMAC' }
    case 'rsa':
      return { name: 'RSASSA-PKCS1-v1_5' }
    case 'eddsa':
      return { name: 'Ed25519' }
  }
}

export interface KindParams {
  params: KeyParams
  privateUsages: KeyUsage[]
  publicUsages: KeyUsage[]
}

/**
 * A neutral algorithm for a key kind: used to check key material at import, to read and write PEM, and
 * to generate keys for algorithms outside the JWS table. Any of them accepts the same key material.
 */
export function kindParams(kty: Kty, crv: string | undefined): KindParams {
  assertCurveSupported(crv)
  switch (kty) {
    case 'oct':
      return {
        params: { name: 'HMAC', hash: 'SHA-256' },
        privateUsages: ['sign', 'verify'],
        publicUsages: [],
      }
    case 'RSA':
      return {
        params: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
        privateUsages: ['sign'],
        publicUsages: ['verify'],
      }
    case 'EC':
      return {
        params: { name: 'ECDSA', namedCurve: crv! },
        privateUsages: ['sign'],
        publicUsages: ['verify'],
      }
    case 'OKP':
      return crv === 'X25519'
        ? { params: { name: 'X25519' }, privateUsages: ['deriveBits'], publicUsages: [] }
        : { params: { name: 'Ed25519' }, privateUsages: ['sign'], publicUsages: ['verify'] }
  }
}

/** A stable cache id for parameters plus usages. */
export function paramsId(params: KeyParams, usages: readonly KeyUsage[]): string {
  return `${params.name}/${params.hash ?? ''}/${params.namedCurve ?? ''}/${usages.join(',')}`
}

/** Whether an existing CryptoKey was made for these parameters and allows these usages. */
export function cryptoKeyFits(cryptoKey: CryptoKey, params: KeyParams, usages: readonly KeyUsage[]): boolean {
  const algorithm = cryptoKey.algorithm as KeyAlgorithm & { hash?: { name: string }; namedCurve?: string }
  if (algorithm.name !== params.name) return false
  if (params.hash !== undefined && algorithm.hash?.name !== params.hash) return false
  if (params.namedCurve !== undefined && algorithm.namedCurve !== params.namedCurve) return false
  return usages.every((usage) => cryptoKey.usages.includes(usage))
}
