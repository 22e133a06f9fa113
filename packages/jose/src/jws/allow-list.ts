/**
 * @module The verifier chooses the algorithm: the caller's allow-list (or the key's one bound `alg`),
 * checked before any key is resolved; the token's header is only compared against that choice.
 */
import { type JwsAlgorithm, jwsAlgorithm } from '../alg/jws-algorithms.js'
import { JOSEAlgNotAllowed, JOSEOptionInvalid } from '../errors.js'
import { boundAlgorithm } from '../jwk/key-input.js'

export type AllowList = ReadonlyMap<string, JwsAlgorithm>

/** Builds the allow-list from `algorithms`, or from the key's bound `alg` when `algorithms` is absent. */
export function jwsAllowList(algorithms: unknown, key: unknown): AllowList {
  if (algorithms === undefined) {
    const bound = typeof key === 'function' ? undefined : boundAlgorithm(key)
    const entry = jwsAlgorithm(bound)
    if (!entry) {
      throw new JOSEOptionInvalid(
        'algorithms is required: list the algorithms you accept, e.g. { algorithms: ["ES256"] } ' +
          '(it may be left out only for a key bound to one "alg")',
      )
    }
    return new Map([[entry.name, entry]])
  }
  if (!Array.isArray(algorithms) || algorithms.length === 0) {
    throw new JOSEOptionInvalid('algorithms must be a non-empty array of JWS algorithm names')
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
