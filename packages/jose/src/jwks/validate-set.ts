/**
 * @module JWK Set validation (RFC 7517 §5): the shape, a size cap, no private material in a public set,
 * no `kid` naming two different keys; members that are malformed or of an unknown `kty` are skipped
 * and reported (§5: "SHOULD ignore"), so one bad member never takes the whole set down.
 */
import { JOSEError, JOSEOptionInvalid, JWKSInvalid } from '../errors.js'
import type { JWK } from '../jwk/types.js'
import { checkJwk } from '../jwk/validate.js'
import { isJsonObject } from '../util/json.js'
import { shown } from './select.js'

/**
 * Default member cap. Public issuers publish 2–10 keys (Google 2–3, Microsoft's common endpoint ~10);
 * 100 leaves room for several algorithms during a rotation and still bounds the work one set can ask for.
 */
export const DEFAULT_MAX_KEYS = 100

/** Members that only a private or secret key has (RFC 7518 §6.2.2, §6.3.2, §6.4; RFC 8037 §2). */
const ASYMMETRIC = new Set(['RSA', 'EC', 'OKP'])
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const

export interface JWKSetOptions {
  /** Refuse sets with more members than this (default 100). */
  maxKeys?: number
  /**
   * Accept private and secret members (`d`, `k`…). Off by default: a set meant for verification holds
   * public keys only, and a private key found there was published by mistake. Turn on for a local set of
   * HMAC secrets or decryption keys.
   */
  allowPrivate?: boolean
}

/** A member left out of the set, and why. `reason` names members, never their values. */
export interface SkippedMember {
  index: number
  kid?: string
  reason: string
}

export interface SetMember {
  readonly index: number
  readonly jwk: Readonly<JWK>
}

export interface ValidatedSet {
  readonly members: readonly SetMember[]
  readonly skipped: readonly SkippedMember[]
}

/** The number in an option, or a typed error naming the option. */
export function positiveInteger(value: unknown, fallback: number, option: string): number {
  if (value === undefined) return fallback
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value
  throw new JOSEOptionInvalid(`${option} must be a positive integer`)
}

/** What makes two members the same key: its kty and public (or secret) values, nothing else. */
function materialOf(jwk: JWK): string {
  switch (jwk.kty) {
    case 'RSA':
      return JSON.stringify(['RSA', jwk.n, jwk.e])
    case 'EC':
      return JSON.stringify(['EC', jwk.crv, jwk.x, jwk.y])
    case 'OKP':
      return JSON.stringify(['OKP', jwk.crv, jwk.x])
    default:
      return JSON.stringify(['oct', jwk.k])
  }
}

function describe(index: number, kid: unknown): string {
  return typeof kid === 'string' ? `member #${index} ("kid": ${shown(kid)})` : `member #${index}`
}

export function validateJwkSet(input: unknown, options: JWKSetOptions = {}): ValidatedSet {
  const maxKeys = positiveInteger(options.maxKeys, DEFAULT_MAX_KEYS, 'maxKeys')
  if (!isJsonObject(input) || !Array.isArray(input.keys)) {
    throw new JWKSInvalid('a JWK Set must be a JSON object with a "keys" array (RFC 7517 §5)')
  }
  const keys: unknown[] = input.keys
  if (keys.length > maxKeys) {
    throw new JWKSInvalid(
      `the JWK Set has ${keys.length} keys; at most ${maxKeys} are accepted (option maxKeys)`,
    )
  }
  const members: SetMember[] = []
  const skipped: SkippedMember[] = []
  const kids = new Map<string, string>()
  let hasSecret = false
  let hasAsymmetric = false
  for (const [index, raw] of keys.entries()) {
    const kid = isJsonObject(raw) && typeof raw.kid === 'string' ? raw.kid : undefined
    const skip = (reason: string) => {
      skipped.push(kid === undefined ? { index, reason } : { index, kid, reason })
    }
    if (!isJsonObject(raw)) {
      skip('not a JSON object')
      continue
    }
    if (!options.allowPrivate) {
      const found = PRIVATE_MEMBERS.find((name) => raw[name] !== undefined)
      if (found) {
        throw new JWKSInvalid(
          `${describe(index, kid)} holds private or secret key material ("${found}"): a public JWK Set must ` +
            'contain public keys only (publish the public halves; pass allowPrivate for a local set of secrets)',
        )
      }
    }
    // Before the structural check: a malformed member reusing a kid is still a second key under that kid
    // (Wycheproof DuplicateKid), and skipping it first would hide the conflict.
    if (kid !== undefined) {
      const material = materialOf(raw as JWK)
      const seen = kids.get(kid)
      if (seen !== undefined && seen !== material) {
        throw new JWKSInvalid(
          `two different keys in the JWK Set share "kid": ${shown(kid)}; a kid must name one key (RFC 7517 §4.5)`,
        )
      }
      kids.set(kid, material)
    }
    if (raw.kty === 'oct' ? hasAsymmetric : hasSecret && ASYMMETRIC.has(raw.kty as string)) {
      // A set is either HMAC secrets or key pairs: mixing them is what algorithm-confusion attacks feed on
      // (Wycheproof MixedKeySet), and no issuer needs it.
      throw new JWKSInvalid(
        'the JWK Set mixes secret ("oct") keys with public/private keys; keep HMAC secrets in a set of their own',
      )
    }
    if (raw.kty === 'oct') hasSecret = true
    else if (ASYMMETRIC.has(raw.kty as string)) hasAsymmetric = true
    let jwk: JWK
    try {
      const checked = checkJwk(raw)
      jwk = Object.freeze({
        ...checked.jwk,
        ...(checked.jwk.key_ops && { key_ops: [...checked.jwk.key_ops] }),
      })
    } catch (error) {
      if (!(error instanceof JOSEError)) throw error
      skip(error.message)
      continue
    }
    members.push(Object.freeze({ index, jwk }))
  }
  return { members: Object.freeze(members), skipped: Object.freeze(skipped) }
}
