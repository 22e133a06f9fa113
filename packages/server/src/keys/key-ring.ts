/**
 * @module The issuer's signing keys: generated on first start, stored encrypted, published as a JWKS,
 * and rotated with overlap.
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
  alg: SigningAlg
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
  #keys: LoadedKey[] = []
  #timer: NodeJS.Timeout | undefined

  constructor(options: KeyRingOptions) {
    this.#o = options
  }

  /**
   * Loads the keys, creating the first one when the store has none that can sign. Instances starting
   * together on an empty store each make a candidate; the store keeps exactly one of them.
   */
  async init(): Promise<void> {
    await this.reload()
    const now = this.#o.clock()
    if (!this.#signingKeyAt(now)) {
      await this.#o.store.signingKeys.insertFirst(await this.#newRecord(now), now)
      await this.reload()
    }
  }

  /**
   * At server start: when `--signing-alg` changed, roll over to a key of the new algorithm with the usual
   * overlap. (Not in `init`, so an admin command run with other settings never rotates anything.)
   */
  async ensureAlgorithm(): Promise<KeyInfo | undefined> {
    const now = this.#o.clock()
    const current = this.#signingKeyAt(now)
    const pending = this.#pending(now)
    if (current && current.record.alg !== this.#o.alg && pending?.record.alg !== this.#o.alg)
      return this.rotate()
    return undefined
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
      next.push({ record, publicJwk, publicKey, signer })
    }
    this.#keys = next
  }

  #signingKeyAt(now: number): LoadedKey | undefined {
    let best: LoadedKey | undefined
    for (const key of this.#keys) {
      const r = key.record
      if (r.activatesAt <= now && (r.retiresAt === null || r.retiresAt > now)) {
        if (!best || r.activatesAt >= best.record.activatesAt) best = key
      }
    }
    return best
  }

  #pending(now: number): LoadedKey | undefined {
    return this.#keys.find((k) => k.record.activatesAt > now)
  }

  async #createKey(activatesAt: number): Promise<SigningKeyRecord> {
    const record = await this.#newRecord(activatesAt)
    await this.#o.store.signingKeys.insert(record)
    return record
  }

  /** A fresh key pair of the configured algorithm, sealed for the store. */
  async #newRecord(activatesAt: number): Promise<SigningKeyRecord> {
    const alg = this.#o.alg
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
   * Makes a new key. It is published now and signs after `jwksMaxAge` (or at once with `immediate`,
   * for an emergency such as a leaked key: caches may then miss it for up to `jwksMaxAge`). Every older
   * key still signing stops then and stays published for `accessTtl + clockSkew` more.
   */
  async rotate(options: { immediate?: boolean } = {}): Promise<KeyInfo> {
    const now = this.#o.clock()
    const activatesAt = options.immediate ? now : now + this.#o.jwksMaxAge * 1000
    await this.reload()
    const record = await this.#createKey(activatesAt)
    const removeAt = activatesAt + (this.#o.accessTtl + this.#o.clockSkew) * 1000
    for (const key of this.#keys) {
      // A reload triggered by this very insert (another instance's notice path, or our own) may already
      // have put the new key in the ring: never retire it.
      if (key.record.kid === record.kid) continue
      if (key.record.retiresAt === null || key.record.retiresAt > activatesAt) {
        await this.#o.store.signingKeys.retire(key.record.kid, activatesAt, removeAt)
      }
    }
    await this.reload()
    return this.#info(record, now)
  }

  /** Signs an access token's claims with the key that signs now. */
  sign(claims: JWTPayload): { token: string; kid: string } {
    const key = this.#signingKeyAt(this.#o.clock())
    if (!key) throw new KeysUnavailable('no signing key is active: run `tessera keys rotate --immediate`')
    return { token: key.signer(claims), kid: key.record.kid }
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
    const current = this.#signingKeyAt(now)
    // Start the next key early enough that it signs exactly when the current one reaches the interval.
    if (
      interval > 0 &&
      current &&
      !this.#pending(now) &&
      now - current.record.activatesAt >= interval - this.#o.jwksMaxAge * 1000
    ) {
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
