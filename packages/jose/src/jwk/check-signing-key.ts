/**
 * @module Is this key fit for this JWS algorithm and operation? The key's type decides the family:
 * an RSA or EC key is never an HMAC secret, a secret is never an RSA key (algorithm confusion).
 */
import { type JwsAlgorithm, jwsAlgorithm } from '../alg/jws-algorithms.js'
import { JOSEOptionInvalid, KeyAlgMismatch, KeyTooWeak, KeyUsageForbidden } from '../errors.js'
import type { JoseKey } from './key.js'

const FAMILY_KTY = { hmac: 'oct', rsa: 'RSA', 'rsa-pss': 'RSA', ecdsa: 'EC', eddsa: 'OKP' } as const

/**
 * The verify option `allowShortHmacKey`, read once: only `true` turns the HMAC length minimum off, and a
 * value that is neither boolean nor absent is an error, never read as "off" or "on".
 */
export function shortHmacAllowed(options: { allowShortHmacKey?: unknown } | undefined): boolean {
  const value = options?.allowShortHmacKey
  if (value === undefined || value === false) return false
  if (value === true) return true
  throw new JOSEOptionInvalid('allowShortHmacKey must be true or false')
}

/**
 * Throws a typed error unless `key` may `usage` with `alg`. Pure: no crypto, safe to call per token.
 * `allowShortHmacKey` (verification only: signers never pass it) skips the RFC 7518 §3.2 length minimum
 * for HMAC secrets, so a debugger can check a token made with a short demo secret; an empty key stays refused.
 */
export function checkSigningKey(
  key: JoseKey,
  alg: JwsAlgorithm,
  usage: 'sign' | 'verify',
  allowShortHmacKey = false,
): void {
  if (key.alg !== undefined && key.alg !== alg.name) {
    throw new KeyAlgMismatch(`the key is bound to "${key.alg}" and cannot be used with "${alg.name}"`)
  }
  if (key.use !== undefined && key.use !== 'sig') {
    throw new KeyUsageForbidden(`the key's "use" is "${key.use}": it is not a signature key`)
  }
  if (key.keyOps !== undefined && !key.keyOps.includes(usage)) {
    throw new KeyUsageForbidden(`the key's "key_ops" do not include "${usage}"`)
  }
  const kty = FAMILY_KTY[alg.family]
  if (key.kty !== kty) {
    throw new KeyAlgMismatch(`${alg.name} needs a ${kty} key, not a ${key.describe()}`)
  }
  if (usage === 'sign' && key.type === 'public') {
    throw new KeyUsageForbidden(`signing with ${alg.name} needs a private key, not a public one`)
  }
  switch (alg.family) {
    case 'hmac':
      if (key.bits === 0) throw new KeyTooWeak(`${alg.name} cannot use an empty secret`)
      if (key.bits < alg.hashBytes! * 8 && !(allowShortHmacKey && usage === 'verify')) {
        throw new KeyTooWeak(
          `${alg.name} needs a secret of at least ${alg.hashBytes} bytes (RFC 7518 §3.2); this one has ${key.bits / 8}`,
        )
      }
      return
    case 'rsa':
    case 'rsa-pss':
      if (key.bits < alg.minModulusBits!) {
        throw new KeyTooWeak(
          `${alg.name} needs an RSA key of at least ${alg.minModulusBits} bits, not ${key.bits}`,
        )
      }
      if (key.pss !== undefined) {
        if (alg.family === 'rsa') throw new KeyAlgMismatch(`${alg.name} cannot use an RSA-PSS-only key`)
        if (key.pss.hash !== undefined && key.pss.hash !== alg.nodeHash) {
          throw new KeyAlgMismatch(
            `this RSA-PSS key is restricted to ${key.pss.hash}; ${alg.name} needs ${alg.nodeHash}`,
          )
        }
        // RFC 7518 §3.5: PSxxx uses MGF1 with the same SHA-2 hash as the message digest.
        if (key.pss.mgf1Hash !== undefined && key.pss.mgf1Hash !== alg.nodeHash) {
          throw new KeyAlgMismatch(
            `this RSA-PSS key uses MGF1 with ${key.pss.mgf1Hash}; ${alg.name} needs ${alg.nodeHash}`,
          )
        }
        if (key.pss.saltLength !== undefined && key.pss.saltLength > alg.saltLength!) {
          throw new KeyAlgMismatch(
            `this RSA-PSS key requires a salt longer than ${alg.name}'s ${alg.saltLength} bytes`,
          )
        }
      }
      return
    case 'ecdsa':
      if (key.crv !== alg.curve) {
        throw new KeyAlgMismatch(`${alg.name} needs a ${alg.curve} key, not a ${key.describe()}`)
      }
      return
    case 'eddsa':
      if (!alg.okpCurves!.includes(key.crv as 'Ed25519')) {
        throw new KeyAlgMismatch(
          `${alg.name} needs an ${alg.okpCurves!.join(' or ')} key, not a ${key.describe()}`,
        )
      }
      return
  }
}

/**
 * At import: a key bound to a JWS `alg` must be able to serve it (an EC P-256 JWK saying "ES384", an RSA key
 * imported for "HS256"), so the contradiction is reported where it was made, not at the first token.
 * Names that are not JWS algorithms (JWE key management, or unknown) are left to the operation that uses them.
 */
export function checkBoundAlgorithm(key: JoseKey): JoseKey {
  const alg = jwsAlgorithm(key.alg)
  if (alg === undefined) return key
  const kty = FAMILY_KTY[alg.family]
  const curveFits =
    alg.family === 'ecdsa'
      ? key.crv === alg.curve
      : alg.family === 'eddsa'
        ? alg.okpCurves!.includes(key.crv as 'Ed25519')
        : true
  if (key.kty !== kty || !curveFits) {
    throw new KeyAlgMismatch(`a ${key.describe()} cannot be bound to "${alg.name}"`)
  }
  return key
}
