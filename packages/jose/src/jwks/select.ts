/**
 * @module Key selection in a JWK Set: which members may serve this token's header for this operation.
 *
 * The set, not the token, decides: a member is a candidate only when its `kty` (and curve) fit the family
 * of the `alg` the verifier already allowed, its own `alg` (if any) is that one, and its `use` / `key_ops`
 * (RFC 7517 §4.2–4.3) permit the operation. `kid` narrows the choice; it never widens it.
 */
import { keyManagementAlgorithm } from '../alg/jwe-algorithms.js'
import { jwsAlgorithm } from '../alg/jws-algorithms.js'
import { JWKSMultipleMatchingKeys, JWKSNoMatchingKey, KeyUsageForbidden } from '../errors.js'
import type { JWK } from '../jwk/types.js'

/** Without a `kid`, at most this many members are tried: each try is one signature verification. */
export const MAX_CANDIDATES = 8

const FAMILY_KTY = { hmac: 'oct', rsa: 'RSA', 'rsa-pss': 'RSA', ecdsa: 'EC', eddsa: 'OKP' } as const
const JWE_KEY_OPS = ['decrypt', 'unwrapKey', 'deriveKey', 'deriveBits']

/** What a token needs from a member: the operation and the key shape its `alg` implies. */
export interface KeyRequirement {
  alg: string
  use: 'sig' | 'enc'
  /** A member's `key_ops` must include one of these. */
  ops: readonly string[]
  kty: string
  /** Allowed curves (EC / OKP), when the algorithm fixes them. */
  crvs?: readonly string[] | undefined
}

const KM_KTY = { dir: 'oct', 'aes-kw': 'oct', 'aes-gcm-kw': 'oct', 'rsa-oaep': 'RSA', rsa1_5: 'RSA' } as const

/** The key shape a JWE key-management `alg` needs (PBES2 takes a password, never a set member). */
function jweKty(
  alg: string,
  header: Record<string, unknown>,
): Pick<KeyRequirement, 'kty' | 'crvs'> | undefined {
  const entry = keyManagementAlgorithm(alg)
  if (!entry || entry.family === 'pbes2') return undefined
  if (entry.family !== 'ecdh-es') return { kty: KM_KTY[entry.family] }
  // ECDH-ES: the recipient key has the ephemeral key's type and curve (RFC 7518 §4.6.1.1).
  const epk = header.epk as { kty?: unknown; crv?: unknown } | undefined
  if (typeof epk?.kty !== 'string' || typeof epk.crv !== 'string') return undefined
  return { kty: epk.kty, crvs: [epk.crv] }
}

/** The requirement for a header, or undefined when its `alg` names nothing a key set can serve. */
export function requirementOf(header: Record<string, unknown>): KeyRequirement | undefined {
  const alg = header.alg
  if (typeof alg !== 'string') return undefined
  if (typeof header.enc === 'string') {
    const shape = jweKty(alg, header)
    return shape && { alg, use: 'enc', ops: JWE_KEY_OPS, ...shape }
  }
  const entry = jwsAlgorithm(alg)
  if (!entry) return undefined
  const crvs = entry.curve ? [entry.curve] : entry.okpCurves
  return { alg, use: 'sig', ops: ['verify'], kty: FAMILY_KTY[entry.family], crvs }
}

function permits(member: JWK, need: KeyRequirement): boolean {
  if (member.use !== undefined && member.use !== need.use) return false
  return member.key_ops === undefined || member.key_ops.some((op) => need.ops.includes(op))
}

function fits(member: JWK, need: KeyRequirement): boolean {
  if (member.kty !== need.kty) return false
  if (member.alg !== undefined && member.alg !== need.alg) return false
  return need.crvs === undefined || need.crvs.includes(member.crv as string)
}

export type Selection<M> =
  | { ok: true; members: readonly M[] }
  /** `unknownKid`: no member carries the token's `kid` (or, without one, none fits): a refresh may help. */
  | { ok: false; unknownKid: boolean; error: Error }

/** Shows a header value in a message without letting it grow the message (it is attacker-chosen). */
export function shown(value: unknown): string {
  return JSON.stringify(String(value).slice(0, 64))
}

/** The members of `set` that may serve `header`; `jwkOf` reads a member's JWK. */
export function selectMembers<M>(
  members: readonly M[],
  jwkOf: (m: M) => JWK,
  header: Record<string, unknown>,
): Selection<M> {
  const need = requirementOf(header)
  if (!need) {
    return {
      ok: false,
      unknownKid: false,
      error: new JWKSNoMatchingKey(`no key set member can serve "alg": ${shown(header.alg)}`),
    }
  }
  const kid = header.kid
  if (kid !== undefined && typeof kid !== 'string') {
    return {
      ok: false,
      unknownKid: false,
      error: new JWKSNoMatchingKey('the token\'s "kid" is not a string'),
    }
  }
  let sameKid = 0
  let refused = 0
  const found: M[] = []
  for (const member of members) {
    const jwk = jwkOf(member)
    if (kid !== undefined && jwk.kid !== kid) continue
    sameKid++
    if (!fits(jwk, need)) continue
    if (!permits(jwk, need)) {
      refused++
      continue
    }
    found.push(member)
  }
  if (found.length === 0) {
    const which = kid === undefined ? 'no key in the set' : `the key with "kid": ${shown(kid)}`
    const operation = need.use === 'sig' ? 'verify signatures' : 'decrypt'
    if (refused > 0) {
      return {
        ok: false,
        unknownKid: false,
        error: new KeyUsageForbidden(
          `${which} fits ${need.alg} but its "use"/"key_ops" do not allow it to ${operation}`,
        ),
      }
    }
    if (sameKid === 0) {
      const error =
        kid === undefined
          ? new JWKSNoMatchingKey('the key set is empty')
          : new JWKSNoMatchingKey(`no key in the set has "kid": ${shown(kid)}`)
      return { ok: false, unknownKid: true, error }
    }
    const shape = need.crvs ? `${need.kty} ${need.crvs.join('/')}` : need.kty
    return {
      ok: false,
      unknownKid: kid === undefined,
      error: new JWKSNoMatchingKey(
        `${which} ${kid === undefined ? 'is' : 'is not'} a ${shape} key usable with ${need.alg}`,
      ),
    }
  }
  if (found.length > MAX_CANDIDATES) {
    return {
      ok: false,
      unknownKid: false,
      error: new JWKSMultipleMatchingKeys(
        `${found.length} keys in the set fit ${need.alg} and the token has no "kid"; at most ${MAX_CANDIDATES} are tried: ` +
          'have the issuer set "kid" in its tokens',
      ),
    }
  }
  return { ok: true, members: found }
}
