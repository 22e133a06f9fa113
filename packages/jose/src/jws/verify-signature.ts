/**
 * @module The one signature-verification step every serialization ends in: allow-list, key
 * resolution, key-versus-algorithm check, then the backend's constant-time verify.
 */
import type { Backend, MaybePromise } from '../backend/types.js'
import { JWSSignatureInvalid } from '../errors.js'
import { checkSigningKey } from '../jwk/check-signing-key.js'
import type { JoseKey } from '../jwk/key.js'
import { resolveKey } from '../jwk/key-input.js'
import { chain } from '../util/maybe-promise.js'
import { type AllowList, pickAllowed } from './allow-list.js'

export function verifySignature(
  backend: Backend,
  allowed: AllowList,
  alg: string,
  keyLike: unknown,
  joinedHeader: Record<string, unknown>,
  token: unknown,
  signingInput: string | Uint8Array,
  signature: Uint8Array,
): MaybePromise<JoseKey> {
  const entry = pickAllowed(allowed, alg)
  return chain(resolveKey(backend, keyLike, joinedHeader, token), (key) => {
    checkSigningKey(key, entry, 'verify')
    return chain(backend.verify(entry, key, signingInput, signature), (valid) => {
      if (!valid) throw new JWSSignatureInvalid()
      return key
    })
  })
}
