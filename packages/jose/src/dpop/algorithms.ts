/**
 * @module Which `alg` values a DPoP verifier accepts: the caller's list, or every asymmetric JWS algorithm
 * the backend runs. HMAC and `none` are never acceptable (RFC 9449 §4.3 check 5), not even when listed.
 */
import { JWS_ALGORITHMS, jwsAlgorithm } from '../alg/jws-algorithms.js'
import type { Backend } from '../backend/types.js'
import { JOSEOptionInvalid } from '../errors.js'

const defaults = new WeakMap<Backend, ReadonlySet<string>>()
const compiled = new WeakMap<
  readonly unknown[],
  { names: readonly unknown[]; allowed: ReadonlySet<string> }
>()

/** Every asymmetric JWS algorithm `backend` runs, in table order. */
export function dpopAlgorithms(backend: Backend): readonly string[] {
  return JWS_ALGORITHMS.filter((name) => {
    const entry = jwsAlgorithm(name)!
    return entry.family !== 'hmac' && (backend.name === 'node' || entry.webCrypto)
  })
}

function compile(algorithms: readonly unknown[]): ReadonlySet<string> {
  if (algorithms.length === 0) throw new JOSEOptionInvalid('algorithms must list at least one algorithm')
  for (const name of algorithms) {
    const entry = jwsAlgorithm(name)
    if (!entry || entry.family === 'hmac') {
      throw new JOSEOptionInvalid(
        `algorithms lists "${String(name).slice(0, 32)}", which is not an asymmetric JWS algorithm: DPoP proofs are signed with the client's key pair`,
      )
    }
  }
  return new Set(algorithms as readonly string[])
}

/** The accepted names for an `algorithms` option (compiled once per array while it holds the same names). */
export function dpopAllowList(backend: Backend, algorithms: unknown): ReadonlySet<string> {
  if (algorithms === undefined) {
    let allowed = defaults.get(backend)
    if (!allowed) {
      allowed = new Set(dpopAlgorithms(backend))
      defaults.set(backend, allowed)
    }
    return allowed
  }
  if (!Array.isArray(algorithms))
    throw new JOSEOptionInvalid('algorithms must be an array of JWS algorithm names')
  const hit = compiled.get(algorithms)
  if (hit && hit.names.length === algorithms.length && hit.names.every((name, i) => name === algorithms[i]))
    return hit.allowed
  const allowed = compile(algorithms)
  compiled.set(algorithms, { names: [...algorithms], allowed })
  return allowed
}
