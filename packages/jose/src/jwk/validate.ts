/**
 * @module Structural checks of a JWK before any backend sees it (RFC 7517 §4, RFC 7518 §6, RFC 8037 §2):
 * known `kty`, the members that kty requires, canonical base64url values, sane `use` / `key_ops`.
 */
import { JWKInvalid } from '../errors.js'
import { base64urlProblem } from '../util/base64url.js'
import { isJsonObject } from '../util/json.js'
import type { JWK, Kty } from './types.js'

const EC_CURVES = new Set(['P-256', 'P-384', 'P-521', 'secp256k1'])
const OKP_CURVES = new Set(['Ed25519', 'Ed448', 'X25519', 'X448'])
const KEY_OPS = new Set([
  'sign',
  'verify',
  'encrypt',
  'decrypt',
  'wrapKey',
  'unwrapKey',
  'deriveKey',
  'deriveBits',
])
const RSA_PRIVATE = ['d', 'p', 'q', 'dp', 'dq', 'qi'] as const

export interface CheckedJwk {
  jwk: JWK
  kty: Kty
  isPrivate: boolean
}

function requireB64(jwk: JWK, member: string, kty: string): void {
  const value = jwk[member]
  if (typeof value !== 'string' || value.length === 0) {
    throw new JWKInvalid(`a "${kty}" JWK needs the member "${member}" as a base64url string`)
  }
  const problem = base64urlProblem(value)
  if (problem) throw new JWKInvalid(`JWK member "${member}" ${problem}`)
}

function optionalString(jwk: JWK, member: string): void {
  if (jwk[member] !== undefined && typeof jwk[member] !== 'string') {
    throw new JWKInvalid(`JWK member "${member}" must be a string`)
  }
}

/** Checks a JWK's structure and returns what it is. Throws JWKInvalid with the member at fault. */
export function checkJwk(input: unknown): CheckedJwk {
  if (!isJsonObject(input)) throw new JWKInvalid('a JWK must be a JSON object')
  const jwk = input as JWK
  if (Object.hasOwn(jwk, '__proto__')) throw new JWKInvalid('a JWK must not have a "__proto__" member')
  optionalString(jwk, 'kid')
  optionalString(jwk, 'alg')
  optionalString(jwk, 'use')
  if (jwk.use !== undefined && jwk.use !== 'sig' && jwk.use !== 'enc') {
    throw new JWKInvalid('JWK "use" must be "sig" or "enc"')
  }
  if (jwk.key_ops !== undefined) {
    if (!Array.isArray(jwk.key_ops) || jwk.key_ops.some((op) => typeof op !== 'string' || !KEY_OPS.has(op))) {
      throw new JWKInvalid('JWK "key_ops" must be an array of RFC 7517 §4.3 operation names')
    }
    if (new Set(jwk.key_ops).size !== jwk.key_ops.length)
      throw new JWKInvalid('JWK "key_ops" repeats a value')
    const signing = jwk.key_ops.some((op) => op === 'sign' || op === 'verify')
    const encrypting = jwk.key_ops.some((op) => op !== 'sign' && op !== 'verify')
    if ((jwk.use === 'sig' && encrypting) || (jwk.use === 'enc' && signing)) {
      throw new JWKInvalid('JWK "use" and "key_ops" disagree (RFC 7517 §4.3)')
    }
  }
  if (jwk.ext !== undefined && typeof jwk.ext !== 'boolean')
    throw new JWKInvalid('JWK "ext" must be a boolean')

  switch (jwk.kty) {
    case 'oct':
      requireB64(jwk, 'k', 'oct')
      return { jwk, kty: 'oct', isPrivate: true }
    case 'RSA': {
      requireB64(jwk, 'n', 'RSA')
      requireB64(jwk, 'e', 'RSA')
      if (jwk.oth !== undefined) throw new JWKInvalid('multi-prime RSA JWKs ("oth") are not supported')
      if (jwk.d === undefined) return { jwk, kty: 'RSA', isPrivate: false }
      for (const member of RSA_PRIVATE) requireB64(jwk, member, 'RSA private')
      return { jwk, kty: 'RSA', isPrivate: true }
    }
    case 'EC':
      if (typeof jwk.crv !== 'string' || !EC_CURVES.has(jwk.crv)) {
        throw new JWKInvalid('EC JWK "crv" must be one of P-256, P-384, P-521, secp256k1')
      }
      requireB64(jwk, 'x', 'EC')
      requireB64(jwk, 'y', 'EC')
      if (jwk.d !== undefined) requireB64(jwk, 'd', 'EC')
      return { jwk, kty: 'EC', isPrivate: jwk.d !== undefined }
    case 'OKP':
      if (typeof jwk.crv !== 'string' || !OKP_CURVES.has(jwk.crv)) {
        throw new JWKInvalid('OKP JWK "crv" must be one of Ed25519, Ed448, X25519, X448')
      }
      requireB64(jwk, 'x', 'OKP')
      if (jwk.y !== undefined) throw new JWKInvalid('OKP JWKs have no "y" member')
      if (jwk.d !== undefined) requireB64(jwk, 'd', 'OKP')
      return { jwk, kty: 'OKP', isPrivate: jwk.d !== undefined }
    case undefined:
      throw new JWKInvalid('a JWK needs a "kty" member')
    default:
      throw new JWKInvalid(`JWK "kty" must be oct, RSA, EC or OKP (got "${String(jwk.kty).slice(0, 16)}")`)
  }
}
