/**
 * @module Verification against one key or a short list of candidates. A key set answers a token without
 * `kid` with every member that fits (at most 8, jwks/select.ts); the first that verifies wins.
 */
import type { JwsAlgorithm } from '../alg/jws-algorithms.js'
import type { Backend, MaybePromise } from '../backend/types.js'
import { JOSEError, JWSSignatureInvalid, KeyInputInvalid } from '../errors.js'
import { checkSigningKey } from '../jwk/check-signing-key.js'
import type { JoseKey } from '../jwk/key.js'
import { type KeyResolver, toJoseKey } from '../jwk/key-input.js'
import { chain, isPromiseLike } from '../util/maybe-promise.js'

/** The same bound as jwks/select.ts: each candidate costs one signature verification. */
const MAX_CANDIDATES = 8

function toCandidates(backend: Backend, value: unknown): MaybePromise<JoseKey | readonly JoseKey[]> {
  if (!Array.isArray(value)) return toJoseKey(backend, value)
  if (value.length === 0 || value.length > MAX_CANDIDATES) {
    throw new KeyInputInvalid(
      `a key resolver may answer with 1 to ${MAX_CANDIDATES} candidate keys, not ${value.length}`,
    )
  }
  const keys = value.map((input) => toJoseKey(backend, input))
  return keys.some(isPromiseLike) ? Promise.all(keys) : (keys as JoseKey[])
}

/** The key, or the candidate keys, for one token: a key input as is, or whatever the resolver answers. */
export function resolveCandidates(
  backend: Backend,
  keyLike: unknown,
  protectedHeader: Record<string, unknown>,
  token: unknown,
): MaybePromise<JoseKey | readonly JoseKey[]> {
  if (typeof keyLike !== 'function') return toJoseKey(backend, keyLike)
  let resolved: unknown
  try {
    resolved = (keyLike as KeyResolver)(protectedHeader, token)
  } catch (error) {
    if (error instanceof Error && 'code' in error) throw error
    throw new KeyInputInvalid('the key resolver threw an error', { cause: error })
  }
  return chain(resolved as MaybePromise<unknown>, (value) => toCandidates(backend, value))
}

function verifyOne(
  backend: Backend,
  alg: JwsAlgorithm,
  key: JoseKey,
  signingInput: string | Uint8Array,
  signature: Uint8Array,
  allowShortHmacKey: boolean,
): MaybePromise<JoseKey> {
  checkSigningKey(key, alg, 'verify', allowShortHmacKey)
  return chain(backend.verify(alg, key, signingInput, signature), (valid) => {
    if (!valid) throw new JWSSignatureInvalid()
    return key
  })
}

/**
 * The key that verifies `signature`: the only one, or the first candidate that does, in order.
 * `allowShortHmacKey` is the caller's verify option (see checkSigningKey).
 */
export function verifyWithCandidates(
  backend: Backend,
  alg: JwsAlgorithm,
  candidates: JoseKey | readonly JoseKey[],
  signingInput: string | Uint8Array,
  signature: Uint8Array,
  allowShortHmacKey = false,
): MaybePromise<JoseKey> {
  if (!Array.isArray(candidates))
    return verifyOne(backend, alg, candidates as JoseKey, signingInput, signature, allowShortHmacKey)
  const keys = candidates as readonly JoseKey[]
  let firstError: JOSEError | undefined
  const attempt = (index: number): MaybePromise<JoseKey> => {
    if (index === keys.length) throw firstError ?? new JWSSignatureInvalid()
    const next = (error: unknown): MaybePromise<JoseKey> => {
      if (!(error instanceof JOSEError)) throw error
      // A signature mismatch is the expected outcome for all but one candidate; report a key unfit for
      // the algorithm only when no candidate got as far as verifying.
      if (error instanceof JWSSignatureInvalid || firstError === undefined) firstError = error
      return attempt(index + 1)
    }
    try {
      const outcome = verifyOne(backend, alg, keys[index]!, signingInput, signature, allowShortHmacKey)
      return isPromiseLike(outcome) ? Promise.resolve(outcome).catch(next) : outcome
    } catch (error) {
      return next(error)
    }
  }
  return attempt(0)
}
