/**
 * @module Test support for Project Wycheproof's JSON web files: the verifier's `algorithms` policy for a key,
 * the header's `alg` for case titles, and the README's list of self-contradicting cases.
 */
import type { JWK } from '../../src/node.ts'

/**
 * Cases of json_web_signature_test.json that contradict the file itself (test/vectors/README.md, "Known problems
 * in the data"). Each is skipped by id, with the reason in its title.
 */
export const KNOWN_BAD_JWS: Readonly<Record<number, string>> = {
  346: 'upstream expects valid, but the key is bound to PS256 and the token is PS384 (WrongPrimitive rule)',
  350: 'upstream expects valid, but the key is bound to PS256 and the token is PS384 (WrongPrimitive rule)',
  347: 'upstream expects valid, but the key alg "ES521" is not an algorithm (and the token is ES512)',
  351: 'upstream expects valid, but the key alg "ES521" is not an algorithm (and the token is ES512)',
  367: 'byte-identical to tcId 357 (valid) yet expected invalid',
  370: 'byte-identical to tcId 357 (valid) yet expected invalid',
  372: 'expected valid although the token contains "?": only verifies with a lenient base64url decoder',
  373: 'expected valid although the token contains "?": only verifies with a lenient base64url decoder',
}

/** The `alg` in a token's header, read leniently, for case titles only (never for a decision). */
export function headerAlg(jws: string): string {
  try {
    const alg = JSON.parse(Buffer.from(jws.split('.')[0] ?? '', 'base64url').toString('utf8')).alg
    return typeof alg === 'string' ? alg : `alg:${JSON.stringify(alg)}`
  } catch {
    return '(no header)'
  }
}

const FAMILY_OF_KTY: Record<string, RegExp> = {
  oct: /^HS(256|384|512)$/,
  RSA: /^(RS|PS)(256|384|512)$/,
  EC: /^ES(256|384|512|256K)$/,
  OKP: /^(EdDSA|Ed25519|Ed448)$/,
}

/**
 * The `algorithms` a careful application would configure for a key it was given.
 *
 * Policy: a key that names its `alg` allows exactly that algorithm (RFC 7517 §4.4; the token's header never
 * widens it). A key without `alg` is not a reason to trust the header: the header's `alg` is allowed only when it
 * belongs to the family the key's own `kty` implies (HS256/384/512 for oct, RS or PS for RSA, ES for EC, EdDSA for OKP),
 * so a token can never move a key into another family (RSA public key as HMAC secret and the like). Anything
 * else gets a name that is in no family, which the library must refuse as an unknown algorithm.
 */
export function algorithmsFor(key: JWK, jws: string): string[] {
  if (typeof key.alg === 'string') return [key.alg]
  const alg = headerAlg(jws)
  const family = FAMILY_OF_KTY[String(key.kty)]
  return family?.test(alg) ? [alg] : ['(no algorithm fits this key)']
}
