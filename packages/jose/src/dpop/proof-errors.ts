/**
 * @module Every refusal of a proof is a DPoPProofInvalid naming the check that failed, even when a shared
 * JWS or JWK helper threw its own error: callers map one class to `invalid_dpop_proof`.
 */
import type { MaybePromise } from '../backend/types.js'
import { DPoPProofInvalid, JOSEError, JOSEOptionInvalid } from '../errors.js'
import { isPromiseLike } from '../util/maybe-promise.js'

/** `error` as a DPoPProofInvalid for check `reason`; the caller's own mistakes (options) pass unchanged. */
export function asProofError(error: unknown, reason: string): unknown {
  if (
    error instanceof DPoPProofInvalid ||
    error instanceof JOSEOptionInvalid ||
    !(error instanceof JOSEError)
  )
    return error
  const wrapped = new DPoPProofInvalid(`the DPoP proof's ${reason} was refused: ${error.message}`, reason)
  Object.defineProperty(wrapped, 'cause', { value: error, enumerable: false })
  return wrapped
}

/** Runs `f`, turning what it throws (now or, for a promise, later) into a DPoPProofInvalid for `reason`. */
export function underCheck<T>(reason: string, f: () => MaybePromise<T>): MaybePromise<T> {
  let value: MaybePromise<T>
  try {
    value = f()
  } catch (error) {
    throw asProofError(error, reason)
  }
  if (isPromiseLike(value)) {
    return Promise.resolve(value).catch((error: unknown) => {
      throw asProofError(error, reason)
    })
  }
  return value
}
