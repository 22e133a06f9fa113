/**
 * @module WebCrypto signatures for every JWS family it has. ECDSA is raw R||S (RFC 7518 §3.4), which is
 * WebCrypto's own form; its length and r, s ∈ [1, n-1] are checked before the platform sees it
 * (CVE-2022-21449, "psychic signatures"), as on Node. HMAC verifies through subtle.verify (constant time).
 */
import { ecdsaScalarsInRange } from '../../alg/ecdsa-scalars.js'
import type { JwsAlgorithm } from '../../alg/jws-algorithms.js'
import type { JoseKey } from '../../jwk/key.js'
import { asciiBytes } from '../../util/bytes.js'
import { publicKeyOf } from './export.js'
import { bufferSource, cryptoKeyFor } from './handle.js'
import { assertJwsSupported, jwsKeyParams, jwsSignParams } from './params.js'

type Data = Uint8Array | string

function dataOf(data: Data): Uint8Array<ArrayBuffer> {
  return typeof data === 'string' ? (asciiBytes(data) as Uint8Array<ArrayBuffer>) : bufferSource(data)
}

/** Signs `data` (bytes, or an ASCII signing input). The key was checked against `alg` by the caller. */
export async function signBytes(alg: JwsAlgorithm, key: JoseKey, data: Data): Promise<Uint8Array> {
  assertJwsSupported(alg)
  const cryptoKey = await cryptoKeyFor(key, jwsKeyParams(alg, key.crv), ['sign'])
  return new Uint8Array(await crypto.subtle.sign(jwsSignParams(alg), cryptoKey, dataOf(data)))
}

export async function verifyBytes(
  alg: JwsAlgorithm,
  key: JoseKey,
  data: Data,
  signature: Uint8Array,
): Promise<boolean> {
  assertJwsSupported(alg)
  switch (alg.family) {
    case 'ecdsa':
      if (signature.length !== alg.signatureLength || !ecdsaScalarsInRange(alg, signature)) return false
      break
    case 'eddsa':
      if (signature.length !== 64) return false
      break
  }
  // WebCrypto verifies asymmetric signatures only with the public key; a secret verifies as itself.
  const verifier = key.type === 'private' ? await publicKeyOf(key) : key
  const cryptoKey = await cryptoKeyFor(verifier, jwsKeyParams(alg, key.crv), ['verify'])
  try {
    return await crypto.subtle.verify(jwsSignParams(alg), cryptoKey, bufferSource(signature), dataOf(data))
  } catch {
    // Some platforms throw on malformed signatures (e.g. an RSA signature longer than the modulus): not valid.
    return false
  }
}
