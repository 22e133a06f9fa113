/**
 * @module node:crypto signatures for every JWS family, synchronous. ECDSA is raw R||S (RFC 7518 §3.4)
 * and is checked for r, s ∈ [1, n-1] before OpenSSL sees it (CVE-2022-21449, "psychic signatures").
 */
import {
  constants,
  createHmac,
  sign as cryptoSign,
  verify as cryptoVerify,
  type KeyObject,
  timingSafeEqual,
} from 'node:crypto'
import { ecdsaScalarsInRange } from '../../alg/ecdsa-scalars.js'
import type { JwsAlgorithm } from '../../alg/jws-algorithms.js'
import type { JoseKey } from '../../jwk/key.js'
import { decodeBase64url } from '../../util/base64url.js'

type Data = Uint8Array | string

function dataOf(data: Data): Uint8Array {
  return typeof data === 'string' ? Buffer.from(data, 'latin1') : data
}

function signOptions(alg: JwsAlgorithm, key: KeyObject) {
  switch (alg.family) {
    case 'rsa-pss':
      return { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: alg.saltLength! }
    case 'ecdsa':
      return { key, dsaEncoding: 'ieee-p1363' as const }
    default:
      return key
  }
}

/** Signs `data` (bytes, or an ASCII signing input). The key was checked against `alg` by the caller. */
export function signBytes(alg: JwsAlgorithm, key: JoseKey<KeyObject>, data: Data): Buffer {
  if (alg.family === 'hmac') return createHmac(alg.nodeHash!, key.handle).update(data).digest()
  return cryptoSign(alg.nodeHash ?? null, dataOf(data), signOptions(alg, key.handle))
}

/** Signs an ASCII signing input and returns the base64url signature (the sync signer's fast path). */
export function signToBase64url(alg: JwsAlgorithm, key: JoseKey<KeyObject>, signingInput: string): string {
  if (alg.family === 'hmac')
    return createHmac(alg.nodeHash!, key.handle).update(signingInput).digest('base64url')
  return cryptoSign(
    alg.nodeHash ?? null,
    Buffer.from(signingInput, 'latin1'),
    signOptions(alg, key.handle),
  ).toString('base64url')
}

export function verifyBytes(
  alg: JwsAlgorithm,
  key: JoseKey<KeyObject>,
  data: Data,
  signature: Uint8Array,
): boolean {
  switch (alg.family) {
    case 'hmac': {
      const expected = createHmac(alg.nodeHash!, key.handle).update(data).digest()
      return expected.length === signature.length && timingSafeEqual(expected, signature)
    }
    case 'ecdsa':
      if (signature.length !== alg.signatureLength || !ecdsaScalarsInRange(alg, signature)) return false
      break
    case 'eddsa':
      if (signature.length !== (key.crv === 'Ed448' ? 114 : 64)) return false
      break
  }
  try {
    return cryptoVerify(alg.nodeHash ?? null, dataOf(data), signOptions(alg, key.handle), signature)
  } catch {
    // OpenSSL throws on some malformed signatures (e.g. RSA signature longer than the modulus): not valid.
    return false
  }
}

/**
 * Verifies a base64url signature segment against an ASCII signing input (the sync verifier's fast path).
 * HMAC compares in the base64url domain: the canonical encoding of the expected MAC is the only segment that
 * can match (a non-ASCII character becomes a byte ≥ 0x80 in UTF-8 and never equals an ASCII one), so the
 * decode-and-re-encode canonical check is skipped — measured ~5 % of an HS256 verify. False for anything
 * malformed; the caller decodes the segment only after a failure, to report a malformed one as such.
 */
export function verifyBase64url(
  alg: JwsAlgorithm,
  key: JoseKey<KeyObject>,
  signingInput: string,
  segment: string,
): boolean {
  if (alg.family === 'hmac') {
    const expected = Buffer.from(
      createHmac(alg.nodeHash!, key.handle).update(signingInput).digest('base64url'),
      'latin1',
    )
    const given = Buffer.from(segment, 'utf8')
    return expected.length === given.length && timingSafeEqual(expected, given)
  }
  const signature = decodeBase64url(segment)
  return signature !== undefined && signature.length > 0 && verifyBytes(alg, key, signingInput, signature)
}
