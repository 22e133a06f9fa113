/**
 * @module The verifier chooses the algorithm: the caller's allow-list (or the key's one bound `alg`),
 * checked before any key is resolved; the token's header is only compared against that choice.
 */
import { type JwsAlgorithm, jwsAlgorithm } from '../alg/jws-algorithms.js'
import { JOSEAlgNotAllowed, JOSEOptionInvalid } from '../errors.js'
import { boundAlgorithm } from '../jwk/key-input.js'

export type AllowList = ReadonlyMap<string, JwsAlgorithm>

/**
 * One-algorithm allow-lists by name, and lists compiled per `algorithms` array (identity), so a caller
 * passing options on every call (`verifyJWT(token, key, { algorithms: ["HS256"] })`) does not build a Map
 * per token (≈ 4 % of an async HS256 verify, measured). The by-name map only ever holds implemented names,
 * so it is bounded by the algorithm table. An array hit is used only while the array still holds the same
 * names in the same order, so a caller who edits the array in place is never answered with the old list.
 */
const singles = new Map<string, AllowList>()
const compiled = new WeakMap<readonly unknown[], { names: readonly unknown[]; allowed: AllowList }>()

function single(name: unknown): AllowList | undefined {
  if (typeof name !== 'string') return undefined
  let allowed = singles.get(name)
  if (allowed === undefined) {
    const entry = jwsAlgorithm(name)
    if (!entry) return undefined
    allowed = new Map([[entry.name, entry]])
    singles.set(name, allowed)
  }
  return allowed
}

function sameNames(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/** Builds the allow-list from `algorithms`, or from the key's bound `alg` when `algorithms` is absent. */
export function jwsAllowList(algorithms: unknown, key: unknown): AllowList {
  if (algorithms === undefined) {
    const allowed = single(typeof key === 'function' ? undefined : boundAlgorithm(key))
    if (!allowed) {
      throw new JOSEOptionInvalid(
        'algorithms is required: list the algorithms you accept, e.g. { algorithms: ["ES256"] } ' +
          '(it may be left out only for a key bound to one "alg")',
      )
    }
    return allowed
  }
  if (!Array.isArray(algorithms) || algorithms.length === 0) {
    throw new JOSEOptionInvalid('algorithms must be a non-empty array of JWS algorithm names')
  }
  if (algorithms.length === 1) {
    const allowed = single(algorithms[0])
    if (allowed) return allowed
  } else {
    const hit = compiled.get(algorithms)
    if (hit && sameNames(hit.names, algorithms)) return hit.allowed
  }
  const allowed = new Map<string, JwsAlgorithm>()
  for (const name of algorithms) {
    const entry = jwsAlgorithm(name)
    if (!entry) {
      throw new JOSEOptionInvalid(
        `algorithms lists "${String(name).slice(0, 32)}", which is not a JWS algorithm this library implements`,
      )
    }
    allowed.set(entry.name, entry)
  }
  compiled.set(algorithms, { names: [...algorithms], allowed })
  return allowed
}

/** The entry for the token's `alg`, or ERR_JOSE_ALG_NOT_ALLOWED. */
export function pickAllowed(allowed: AllowList, alg: string): JwsAlgorithm {
  const entry = allowed.get(alg)
  if (entry) return entry
  const shown = alg.slice(0, 32)
  if (alg.toLowerCase() === 'none') {
    throw new JOSEAlgNotAllowed(
      `"alg": "${shown}" (an unsecured token) is not accepted; unsecured JWTs can only be read with decodeUnsecuredJWT`,
    )
  }
  throw new JOSEAlgNotAllowed(
    `"alg": "${shown}" is not in the allowed algorithms (${[...allowed.keys()].join(', ')})`,
  )
}
