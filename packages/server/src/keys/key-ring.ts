/**
 * @module The issuer's signing keys: generated on first start, stored encrypted, published as a JWKS,
 * and rotated with overlap — one current key per algorithm in use: the access-token algorithm
 * (`--signing-alg`) and every ID-token algorithm clients may register (`--id-token-algs`, RS256 always),
 * all in the one JWKS and rotated together. `sign` signs access tokens; `signWith` signs with the
 * current key of a given algorithm (ID tokens, logout tokens), with its own `typ`.
 *
 * Rotation schedule (why the two margins):
 * - A new key is published `jwksMaxAge` before it signs, so every resource server that cached the
 *   JWKS has it by the time a token signed with it arrives (no unknown-`kid` refetch storm).
 * - The key it replaces stops signing at that moment and stays published for `accessTtl + clockSkew`
 *   more, so every token it signed can still be verified until that token expires.
 * The ring reloads from the store (other instances may have rotated) and decides "which key signs now"
 * from times, so all instances switch at the same instant without talking to each other.
 */
import {
  calculateJwkThumbprint,
  createSigner,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JoseKey,
  type JWK,
  JWKSNoMatchingKey,
  type JWTPayload,
  type Signer,
} from '@tessera/jose'
import type { Clock } from '../clock.js'
import type { SigningAlg } from '../config.js'
import { KeysUnavailable } from '../errors.js'
import type { SigningKeyRecord, Store } from '../store/types.js'
import { decryptPrivateJwk, encryptPrivateJwk } from './key-encryption.js'

export interface KeyRingOptions {
  store: Store
  clock: Clock
  keyEncryptionKey: Buffer
  /** The access-token algorithm. */
  alg: SigningAlg
  /** Further algorithms to keep a current key of (ID tokens). Never `none`: no key of it can exist. */
  idTokenAlgs?: readonly string[]
  /** Seconds. */
  jwksMaxAge: number
  accessTtl: number
  clockSkew: number
  /** Seconds between scheduled rotations (0: by command only). */
  rotationInterval: number
}

interface LoadedKey {
  record: SigningKeyRecord
  publicJwk: JWK
  publicKey: JoseKey
  privateKey: JoseKey
  /** The access-token signer (`typ: at+jwt`). */
  signer: Signer
}

export interface KeyInfo {
  kid: string
  alg: string
  createdAt: string
  activatesAt: string
  retiresAt: string | null
  removeAt: string | null
  status: 'pending' | 'signing' | 'retired'
}

export class KeyRing {
  readonly #o: KeyRingOptions
  /** The access-token algorithm first, then the ID-token ones, each once. */
  readonly #algs: readonly string[]
  #keys: LoadedKey[] = []
  /** Signers with another `typ` than at+jwt, made on first use per kid and typ. */
  #typed = new Map<string, Signer>()
  #timer: NodeJS.Timeout | undefined

  constructor(options: KeyRingOptions) {
    this.#o = options
    this.#algs = [...new Set([options.alg, ...(options.idTokenAlgs ?? [])])]
  }

  /** The algorithms the ring keeps a current key of. */
  get algorithms(): readonly string[] {
    return this.#algs
  }

  /**
   * Loads the keys, creating the first key of each algorithm in use that has none that can sign.
   * Instances starting together on an empty store each make candidates; the store keeps exactly one
   * per algorithm.
   */
  async init(): Promise<void> {
    await this.reload()
    const now = this.#o.clock()
    let created = false
    for (const alg of this.#algs) {
      if (this.#signingKeyAt(now, alg) || this.#pending(now, alg)) continue
      // A new access-token algorithm while another one signs is a roll-over (ensureAlgorithm), not a first key.
      if (alg === this.#o.alg && this.#accessFallback(now)) continue
      await this.#o.store.signingKeys.insertFirst(await this.#newRecord(now, alg), now)
      created = true
    }
    if (created) await this.reload()
  }

  /**
   * At server start: when `--signing-alg` changed and no key of the new algorithm exists, roll over to
   * one with the usual overlap (the old algorithm's key keeps signing access tokens until then). (Not in
   * `init`, so an admin command run with other settings never rotates anything.)
   */
  async ensureAlgorithm(): Promise<KeyInfo | undefined> {
    const now = this.#o.clock()
    const alg = this.#o.alg
    if (this.#signingKeyAt(now, alg) || this.#pending(now, alg)) return undefined
    if (!this.#accessFallback(now)) return undefined
    await this.reload()
    const activatesAt = now + this.#o.jwksMaxAge * 1000
    const record = await this.#createKey(activatesAt, alg)
    // Keys of an algorithm no longer in use stop signing when the new one starts.
    await this.#retireWhere(
      (k) => k.record.kid !== record.kid && !this.#algs.includes(k.record.alg),
      activatesAt,
    )
    await this.reload()
    return this.#info(record, now)
  }

  /** Schedules the retirement at `at` of every key `which` picks that would still sign then. */
  async #retireWhere(which: (key: LoadedKey) => boolean, at: number): Promise<void> {
    const removeAt = at + (this.#o.accessTtl + this.#o.clockSkew) * 1000
    for (const key of this.#keys) {
      if (!which(key)) continue
      if (key.record.retiresAt === null || key.record.retiresAt > at)
        await this.#o.store.signingKeys.retire(key.record.kid, at, removeAt)
    }
  }

  async reload(): Promise<void> {
    const records = await this.#o.store.signingKeys.list()
    const known = new Map(this.#keys.map((k) => [k.record.kid, k]))
    const next: LoadedKey[] = []
    for (const record of records) {
      const existing = known.get(record.kid)
      if (existing) {
        next.push({ ...existing, record })
        continue
      }
      const privateJwk = JSON.parse(
        decryptPrivateJwk(record.encryptedPrivateJwk, this.#o.keyEncryptionKey, record.kid),
      ) as JWK
      const privateKey = await importJWK(privateJwk, record.alg)
      const publicJwk = JSON.parse(record.publicJwk) as JWK
      const publicKey = await importJWK(publicJwk, record.alg)
      // iat/exp come from the token service's clock, so the signer's own clock is not used (iat: false).
      const signer = createSigner({
        key: privateKey,
        alg: record.alg,
        kid: record.kid,
        typ: 'at+jwt',
        iat: false,
      })
      next.push({ record, publicJwk, publicKey, privateKey, signer })
    }
    this.#keys = next
    const live = new Set(next.map((k) => k.record.kid))
    for (const cacheKey of this.#typed.keys())
      if (!live.has(cacheKey.slice(0, cacheKey.indexOf('\u0000')))) this.#typed.delete(cacheKey)
  }

  /** The newest key of `alg` (any algorithm when undefined) that signs at `now`. */
  #signingKeyAt(now: number, alg?: string): LoadedKey | undefined {
    let best: LoadedKey | undefined
    for (const key of this.#keys) {
      const r = key.record
      if (alg !== undefined && r.alg !== alg) continue
      if (r.activatesAt <= now && (r.retiresAt === null || r.retiresAt > now)) {
        if (!best || r.activatesAt >= best.record.activatesAt) best = key
      }
    }
    return best
  }

  #pending(now: number, alg?: string): LoadedKey | undefined {
    return this.#keys.find((k) => k.record.activatesAt > now && (alg === undefined || k.record.alg === alg))
  }

  async #createKey(activatesAt: number, alg: string): Promise<SigningKeyRecord> {
    const record = await this.#newRecord(activatesAt, alg)
    await this.#o.store.signingKeys.insert(record)
    return record
  }

  /** A fresh key pair of `alg` (RSA: 2048-bit), sealed for the store. */
  async #newRecord(activatesAt: number, alg: string): Promise<SigningKeyRecord> {
    const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true })
    const privateJwk = await exportJWK(privateKey)
    const publicJwk = await exportJWK(publicKey)
    const kid = await calculateJwkThumbprint(publicJwk)
    const now = this.#o.clock()
    const record: SigningKeyRecord = {
      kid,
      alg,
      publicJwk: JSON.stringify({ ...publicJwk, kid, alg, use: 'sig' }),
      encryptedPrivateJwk: encryptPrivateJwk(
        JSON.stringify({ ...privateJwk, kid, alg }),
        this.#o.keyEncryptionKey,
        kid,
      ),
      createdAt: now,
      activatesAt,
      retiresAt: null,
      removeAt: null,
    }
    return record
  }

  /**
   * Makes a new key of every algorithm in use. Each is published now and signs after `jwksMaxAge` (or
   * at once with `immediate`, for an emergency such as a leaked key: caches may then miss it for up to
   * `jwksMaxAge`). Every older key still signing (of any algorithm: one no longer in use retires too)
   * stops then and stays published for `accessTtl + clockSkew` more, so what it signed still verifies.
   * Returns the new access-token key.
   */
  async rotate(options: { immediate?: boolean } = {}): Promise<KeyInfo> {
    const now = this.#o.clock()
    const activatesAt = options.immediate ? now : now + this.#o.jwksMaxAge * 1000
    await this.reload()
    const records: SigningKeyRecord[] = []
    for (const alg of this.#algs) records.push(await this.#createKey(activatesAt, alg))
    const fresh = new Set(records.map((r) => r.kid))
    // A reload triggered by these very inserts (another instance's notice path, or our own) may already
    // have put a new key in the ring: never retire it.
    await this.#retireWhere((k) => !fresh.has(k.record.kid), activatesAt)
    await this.reload()
    return this.#info(records[0]!, now)
  }

  /**
   * Signs an access token's claims with the access-token key that signs now. Right after a change of
   * `--signing-alg`, until the new algorithm's key activates, the previous key (still published) signs.
   */
  sign(claims: JWTPayload): { token: string; kid: string } {
    const now = this.#o.clock()
    const key = this.#signingKeyAt(now, this.#o.alg) ?? this.#accessFallback(now)
    if (!key) throw new KeysUnavailable('no signing key is active: run `tessera keys rotate --immediate`')
    return { token: key.signer(claims), kid: key.record.kid }
  }

  /** During a roll-over to another access-token algorithm: the newest signing key of a former one. */
  #accessFallback(now: number): LoadedKey | undefined {
    const accessAlgs = ['ES256', 'EdDSA']
    return this.#keys
      .filter((k) => accessAlgs.includes(k.record.alg) && k === this.#signingKeyAt(now, k.record.alg))
      .sort((a, b) => b.record.activatesAt - a.record.activatesAt)[0]
  }

  /**
   * Signs `claims` with the current key of `alg` (ID tokens: the client's `id_token_signed_response_alg`;
   * logout tokens), with header `typ` (default `JWT`) and any further header members. Throws
   * KeysUnavailable for an algorithm the ring keeps no key of — `none` included, which it never has.
   */
  signWith(
    alg: string,
    claims: JWTPayload,
    header: { typ?: string } & Record<string, unknown> = {},
  ): {
    token: string
    kid: string
  } {
    const key = this.#signingKeyAt(this.#o.clock(), alg)
    if (!key)
      throw new KeysUnavailable(
        `no ${alg.slice(0, 16)} signing key is active: list it in --id-token-algs and restart, or run \`tessera keys rotate --immediate\``,
      )
    const { typ = 'JWT', ...rest } = header
    const cacheKey = `${key.record.kid}\u0000${typ}\u0000${JSON.stringify(rest)}`
    let signer = this.#typed.get(cacheKey)
    if (!signer) {
      signer = createSigner({
        key: key.privateKey,
        alg: key.record.alg,
        kid: key.record.kid,
        typ,
        header: rest,
        iat: false,
      })
      this.#typed.set(cacheKey, signer)
    }
    return { token: signer(claims), kid: key.record.kid }
  }

  /** An ID token: signed with the current key of `alg`, `typ: JWT`. */
  signIdToken(claims: JWTPayload, alg: string): string {
    return this.signWith(alg, claims, { typ: 'JWT' }).token
  }

  /** The published key set (RFC 7517 §5): pending, signing and recently retired keys. */
  jwks(): { keys: JWK[] } {
    const now = this.#o.clock()
    return {
      keys: this.#keys
        .filter((k) => k.record.removeAt === null || k.record.removeAt > now)
        .map((k) => k.publicJwk),
    }
  }

  /** The public key for a token's `kid`, if it is still published. */
  publicKey(kid: unknown): JoseKey {
    const now = this.#o.clock()
    const key = this.#keys.find(
      (k) => k.record.kid === kid && (k.record.removeAt === null || k.record.removeAt > now),
    )
    if (!key) throw new JWKSNoMatchingKey('no published signing key has this kid')
    return key.publicKey
  }

  list(): KeyInfo[] {
    const now = this.#o.clock()
    return this.#keys.map((k) => this.#info(k.record, now))
  }

  #info(r: SigningKeyRecord, now: number): KeyInfo {
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())
    const status =
      r.activatesAt > now ? 'pending' : r.retiresAt !== null && r.retiresAt <= now ? 'retired' : 'signing'
    return {
      kid: r.kid,
      alg: r.alg,
      createdAt: iso(r.createdAt)!,
      activatesAt: iso(r.activatesAt)!,
      retiresAt: iso(r.retiresAt),
      removeAt: iso(r.removeAt),
      status,
    }
  }

  /**
   * One housekeeping step (the schedule calls it every `tickSeconds`): pick up other instances'
   * rotations, drop keys past their removal time, and rotate when the signing key is due.
   */
  async tick(): Promise<void> {
    await this.reload()
    const now = this.#o.clock()
    if (await this.#o.store.signingKeys.deleteRemovedBefore(now)) await this.reload()
    const interval = this.#o.rotationInterval * 1000
    // Start the next keys early enough that they sign exactly when the current ones reach the interval.
    const due = (alg: string) => {
      const current = this.#signingKeyAt(now, alg)
      return (
        current !== undefined &&
        !this.#pending(now, alg) &&
        now - current.record.activatesAt >= interval - this.#o.jwksMaxAge * 1000
      )
    }
    if (interval > 0 && this.#algs.some(due)) {
      // Several instances may find the rotation due at the same tick: on a shared store one of them
      // rotates (under its cross-instance lock) and the others, finding the lock taken or a pending key
      // after reloading, do nothing.
      const exclusive = this.#o.store.exclusive?.bind(this.#o.store)
      if (!exclusive) return void (await this.rotate())
      await exclusive('signing-key-rotation', async () => {
        await this.reload()
        if (!this.#pending(this.#o.clock())) await this.rotate()
      })
    }
  }

  startSchedule(tickSeconds = 30, onError: (error: unknown) => void = () => {}): void {
    this.stopSchedule()
    this.#timer = setInterval(() => {
      this.tick().catch(onError)
    }, tickSeconds * 1000)
    this.#timer.unref()
  }

  stopSchedule(): void {
    if (this.#timer) clearInterval(this.#timer)
    this.#timer = undefined
  }
}
