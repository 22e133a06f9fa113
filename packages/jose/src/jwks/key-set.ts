/**
 * @module The key set behind both resolvers: validated members, selection per header, and keys imported
 * once per (member, alg) and kept. On node:crypto every step is synchronous.
 */
import type { Backend, MaybePromise } from '../backend/types.js'
import { JOSEError, JWKSMultipleMatchingKeys } from '../errors.js'
import type { JoseKey } from '../jwk/key.js'
import type { JWK, JWKSet } from '../jwk/types.js'
import { isPromiseLike } from '../util/maybe-promise.js'
import { type Selection, selectMembers } from './select.js'
import { type JWKSetOptions, type SetMember, type SkippedMember, validateJwkSet } from './validate-set.js'

/** What a key set hands the verifier: one key, or (no `kid`, several fit) the candidates to try in order. */
export type KeyCandidates = JoseKey | readonly JoseKey[]

type Imported = { key: MaybePromise<JoseKey> } | { error: JOSEError }

/** Selections are cached per header shape (alg, kid); only hits, so forged kids cannot grow it. */
const SELECTION_CACHE_SIZE = 64

export class KeySet {
  readonly members: readonly SetMember[]
  readonly skipped: SkippedMember[]
  readonly kids: readonly string[]
  private readonly backend: Backend
  private readonly imported = new Map<SetMember, Map<string, Imported>>()
  private readonly selections = new Map<string, readonly SetMember[]>()

  constructor(backend: Backend, jwks: unknown, options: JWKSetOptions) {
    const validated = validateJwkSet(jwks, options)
    this.backend = backend
    this.members = validated.members
    this.skipped = [...validated.skipped]
    this.kids = Object.freeze([
      ...new Set(this.members.flatMap((m) => (m.jwk.kid === undefined ? [] : [m.jwk.kid]))),
    ])
  }

  /** The members as a JWK Set (a copy: the caller may not change what this set verifies with). */
  toJSON(): JWKSet {
    return { keys: this.members.map((m) => structuredClone(m.jwk) as JWK) }
  }

  select(header: Record<string, unknown>): Selection<SetMember> {
    const cacheable = header.enc === undefined && typeof header.alg === 'string'
    const cacheKey = cacheable
      ? `${header.alg}\n${typeof header.kid === 'string' ? `k${header.kid}` : '-'}`
      : ''
    const hit = cacheable ? this.selections.get(cacheKey) : undefined
    if (hit) return { ok: true, members: hit }
    const selection = selectMembers(this.members, (m) => m.jwk, header)
    if (selection.ok && cacheable) {
      if (this.selections.size >= SELECTION_CACHE_SIZE) this.selections.clear()
      this.selections.set(cacheKey, selection.members)
    }
    return selection
  }

  /** The keys for selected members, imported for `alg`; members whose key does not import are dropped. */
  keysFor(members: readonly SetMember[], alg: string): MaybePromise<KeyCandidates> {
    const results = members.map((member) => this.importFor(member, alg))
    const pending = results.some((r) => 'key' in r && isPromiseLike(r.key))
    const settle = (settled: ({ key: JoseKey } | { error: JOSEError })[]): KeyCandidates => {
      const keys = settled.flatMap((r) => ('key' in r ? [r.key] : []))
      if (keys.length === 0) throw (settled[0] as { error: JOSEError }).error
      return keys.length === 1 ? keys[0]! : Object.freeze(keys)
    }
    if (!pending) return settle(results as ({ key: JoseKey } | { error: JOSEError })[])
    return Promise.all(
      results.map((r, i) =>
        'key' in r
          ? Promise.resolve(r.key).then(
              (key) => ({ key }),
              (error: unknown) => ({ error: this.failed(members[i]!, alg, error) }),
            )
          : r,
      ),
    ).then(settle)
  }

  /** Selection then import: what a local set's resolver does. */
  resolve(header: Record<string, unknown>): MaybePromise<KeyCandidates> {
    const selection = this.select(header)
    if (!selection.ok) throw selection.error
    if (header.enc !== undefined && selection.members.length > 1) {
      // JWE decryption takes one key (a wrong try costs a full unwrap, and RSA1_5 failures must not be told apart).
      throw new JWKSMultipleMatchingKeys(
        `${selection.members.length} keys in the set fit this JWE and it has no "kid": have the sender set "kid"`,
      )
    }
    return this.keysFor(selection.members, header.alg as string)
  }

  private importFor(member: SetMember, alg: string): Imported {
    let byAlg = this.imported.get(member)
    if (!byAlg) this.imported.set(member, (byAlg = new Map()))
    let entry = byAlg.get(alg)
    if (!entry) {
      try {
        const key = this.backend.importJWK(member.jwk as JWK, alg)
        // Keep the settled key, so later tokens skip even the promise (a failure is recorded by keysFor).
        entry = {
          key: isPromiseLike(key)
            ? Promise.resolve(key).then((ready) => {
                byAlg!.set(alg, { key: ready })
                return ready
              })
            : key,
        }
      } catch (error) {
        entry = { error: this.failed(member, alg, error) }
      }
      byAlg.set(alg, entry)
    }
    return entry
  }

  /** Records a member whose key does not import (a point off its curve…) as skipped, once. */
  private failed(member: SetMember, alg: string, error: unknown): JOSEError {
    if (!(error instanceof JOSEError)) throw error
    this.imported.get(member)?.set(alg, { error })
    if (!this.skipped.some((s) => s.index === member.index)) {
      const kid = member.jwk.kid
      const reason = `the key does not import: ${error.message}`
      this.skipped.push(
        kid === undefined ? { index: member.index, reason } : { index: member.index, kid, reason },
      )
    }
    return error
  }
}
