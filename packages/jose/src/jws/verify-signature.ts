/**
 * @module The one signature-verification step every serialization ends in: allow-list, key
 * resolution (one key, or a key set's candidates), key-versus-algorithm check, then the backend's
 * constant-time verify.
 */
import type { Backend, MaybePromise } from '../backend/types.js'
import type { JoseKey } from '../jwk/key.js'
import { chain } from '../util/maybe-promise.js'
import { type AllowList, pickAllowed } from './allow-list.js'
import { resolveCandidates, verifyWithCandidates } from './try-keys.js'

export function verifySignature(
  backend: Backend,
  allowed: AllowList,
  alg: string,
  keyLike: unknown,
  joinedHeader: Record<string, unknown>,
  token: unknown,
  signingInput: string | Uint8Array,
  signature: Uint8Array,
  allowShortHmacKey = false,
): MaybePromise<JoseKey> {
  const entry = pickAllowed(allowed, alg)
  return chain(resolveCandidates(backend, keyLike, joinedHeader, token), (candidates) =>
    verifyWithCandidates(backend, entry, candidates, signingInput, signature, allowShortHmacKey),
  )
}
