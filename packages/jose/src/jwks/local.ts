/**
 * @module `createLocalJWKSet`: a key resolver over a JWK Set held in memory. On node:crypto it answers
 * synchronously, so a verifier over it stays synchronous too.
 */
import type { Backend, MaybePromise } from '../backend/types.js'
import type { JWKSet } from '../jwk/types.js'
import { type KeyCandidates, KeySet } from './key-set.js'
import type { JWKSetOptions, SkippedMember } from './validate-set.js'

/** A key resolver over a JWK Set: call it with a protected header to get the key(s) that may verify it. */
export interface LocalJWKSet<Result = MaybePromise<KeyCandidates>> {
  (protectedHeader: Record<string, unknown>, token?: unknown): Result
  /** The `kid`s of the members in use. */
  readonly kids: readonly string[]
  /** Members left out (malformed, unknown `kty`, key that does not import), with the reason. */
  readonly skipped: readonly SkippedMember[]
  /** The members in use, as a JWK Set. */
  toJSON(): JWKSet
}

/** Wraps a validated KeySet as a resolver function with its inspection members. */
export function asLocalJWKSet(set: KeySet): LocalJWKSet {
  const resolver = ((protectedHeader: Record<string, unknown>) => set.resolve(protectedHeader)) as LocalJWKSet
  Object.defineProperties(resolver, {
    kids: { value: set.kids, enumerable: true },
    skipped: { get: () => Object.freeze([...set.skipped]), enumerable: true },
    toJSON: { value: () => set.toJSON() },
  })
  return resolver
}

export function createLocalJWKSetWith(
  backend: Backend,
  jwks: unknown,
  options: JWKSetOptions = {},
): LocalJWKSet {
  return asLocalJWKSet(new KeySet(backend, jwks, options))
}
