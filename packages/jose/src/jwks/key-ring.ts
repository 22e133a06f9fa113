/**
 * @module The issuer's key ring: the current signing key, the next one (published ahead, so verifiers
 * already hold it when it starts signing) and retired ones (published until every token they signed has
 * expired). It produces the public JWK Set, picks the signing key, and seals itself for storage.
 *
 * Rotation without downtime is an ordering problem: publish, wait for caches, sign, wait for tokens to
 * expire, unpublish. `rotate()` refuses to run early (publishAhead) and `jwks()` drops a retired key only
 * after retainRetired, so neither step can be skipped by accident.
 */
import { jwsAlgorithm } from '../alg/jws-algorithms.js'
import type { JweBackend } from '../backend/jwe-types.js'
import type { Backend } from '../backend/types.js'
import { JOSEError, JOSEOptionInvalid, KeyRingInvalid } from '../errors.js'
import type { JoseKey } from '../jwk/key.js'
import { importCheckedJwk } from '../jwk/key-input.js'
import { keyPairSpec } from '../jwk/spec.js'
import { calculateJwkThumbprintWith } from '../jwk/thumbprint.js'
import type { JWK, JWKSet } from '../jwk/types.js'
import { checkJwk } from '../jwk/validate.js'
import { utf8Decode, utf8Encode } from '../util/bytes.js'
import { isJsonObject } from '../util/json.js'
import { DEFAULT_ITERATIONS, seal, unseal } from './seal.js'

export type KeyState = 'next' | 'current' | 'retired'

export interface KeyRingOptions {
  /** The JWS algorithm every key of the ring signs with. */
  alg: string
  /** RSA modulus length / EdDSA curve for new keys (see generateKeyPair). */
  modulusLength?: number
  crv?: string
  /**
   * How long (ms) the next key must have been published before `rotate()` makes it current (default
   * 600000: `jose`'s and our default cacheMaxAge, so verifiers have fetched it by then).
   */
  publishAhead?: number
  /** How long (ms) a retired key stays published: at least the longest token lifetime (default 1 day). */
  retainRetired?: number
  /** Milliseconds since the epoch (default Date.now). */
  clock?: () => number
  /** PBKDF2 iterations for `serialize` (default 210000). */
  iterations?: number
}

/** What the ring says about one key; never any key material. */
export interface KeyRingEntryInfo {
  kid: string
  state: KeyState
  alg: string
  createdAt: number
  activatedAt?: number
  retiredAt?: number
  /** A retired key leaves the published set at this time. */
  removeAfter?: number
}

interface Entry extends KeyRingEntryInfo {
  privateKey: JoseKey
  privateJwk: JWK
  publicJwk: JWK
}

const CTY = 'tessera-keyring+json'
const FORMAT = 1

function span(value: unknown, fallback: number, option: string): number {
  if (value === undefined) return fallback
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value
  throw new JOSEOptionInvalid(`${option} must be a non-negative, finite number of milliseconds`)
}

function infoOf(entry: Entry): KeyRingEntryInfo {
  const { kid, state, alg, createdAt, activatedAt, retiredAt, removeAfter } = entry
  return JSON.parse(JSON.stringify({ kid, state, alg, createdAt, activatedAt, retiredAt, removeAfter }))
}

/** A private JWK from the ring as its public half (RFC 7517 members only: the ones a verifier reads). */
function publicJwkOf(jwk: JWK): JWK {
  const members = jwk.kty === 'RSA' ? ['kty', 'n', 'e'] : ['kty', 'crv', 'x', 'y']
  const out: JWK = {}
  for (const member of members) if (jwk[member] !== undefined) out[member] = jwk[member]
  return { ...out, kid: jwk.kid, alg: jwk.alg, use: 'sig' }
}

export class KeyRing {
  readonly alg: string
  private entries: Entry[]
  private readonly jwe: JweBackend
  private readonly backend: Backend
  private readonly settings: Required<Omit<KeyRingOptions, 'alg' | 'modulusLength' | 'crv'>> &
    Pick<KeyRingOptions, 'modulusLength' | 'crv'>

  private constructor(jwe: JweBackend, options: KeyRingOptions, entries: Entry[]) {
    this.jwe = jwe
    this.backend = jwe.keys
    this.alg = options.alg
    this.entries = entries
    this.settings = settingsOf(options)
  }

  /** @internal */
  static async create(jwe: JweBackend, options: KeyRingOptions): Promise<KeyRing> {
    const backend = jwe.keys
    const settings = settingsOf(options)
    const now = settings.clock()
    const current = await generateEntry(backend, options, 'current', now)
    current.activatedAt = now
    const next = await generateEntry(backend, options, 'next', now)
    return new KeyRing(jwe, options, [current, next])
  }

  /** @internal */
  static async restore(
    jwe: JweBackend,
    sealed: string,
    secret: unknown,
    options: KeyRingOptions,
  ): Promise<KeyRing> {
    settingsOf(options)
    const text = utf8Decode(await unseal(jwe, sealed, secret, CTY))
    let data: unknown
    try {
      data = text === undefined ? undefined : JSON.parse(text)
    } catch {}
    if (!isJsonObject(data) || data.format !== FORMAT || !Array.isArray(data.keys)) {
      throw new KeyRingInvalid(`the sealed key ring does not hold a format ${FORMAT} key ring`)
    }
    if (data.alg !== options.alg) {
      throw new KeyRingInvalid(
        `the stored key ring signs with "${String(data.alg).slice(0, 16)}", not "${options.alg}"`,
      )
    }
    const entries: Entry[] = []
    for (const raw of data.keys) entries.push(await restoreEntry(jwe.keys, options.alg, raw))
    const count = (state: KeyState) => entries.filter((e) => e.state === state).length
    if (count('current') !== 1 || count('next') > 1) {
      throw new KeyRingInvalid('a stored key ring must have exactly one current key and at most one next key')
    }
    return new KeyRing(jwe, options, entries)
  }

  /** The key to sign with now, its `kid` and `alg`: pass them to signJWT / createSigner. */
  signingKey(): { key: JoseKey; kid: string; alg: string } {
    const current = this.entries.find((e) => e.state === 'current')!
    return { key: current.privateKey, kid: current.kid, alg: this.alg }
  }

  /** The public JWK Set to publish: next, current, and retired keys not yet past retainRetired. */
  jwks(): JWKSet {
    this.prune()
    const order: Record<KeyState, number> = { current: 0, next: 1, retired: 2 }
    const published = [...this.entries].sort((a, b) => order[a.state] - order[b.state])
    return { keys: published.map((e) => structuredClone(e.publicJwk)) }
  }

  /** What the ring holds, newest state first; no key material. */
  keys(): KeyRingEntryInfo[] {
    return this.entries.map(infoOf)
  }

  /**
   * next → current, current → retired (kept for retainRetired), and a fresh next key. Refused while the
   * next key has been published for less than publishAhead, unless `force` (a compromised current key).
   */
  async rotate(options: { force?: boolean } = {}): Promise<KeyRingEntryInfo> {
    const now = this.settings.clock()
    const next = this.entries.find((e) => e.state === 'next')
    if (next && !options.force && now - next.createdAt < this.settings.publishAhead) {
      const wait = Math.ceil((this.settings.publishAhead - (now - next.createdAt)) / 1000)
      throw new KeyRingInvalid(
        `the next key has been published for less than publishAhead; rotate in ${wait} s (verifiers may not have ` +
          'fetched it yet) or pass { force: true }',
      )
    }
    const spec = { alg: this.alg, modulusLength: this.settings.modulusLength, crv: this.settings.crv }
    const incoming = next ?? (await generateEntry(this.backend, spec, 'next', now))
    const fresh = await generateEntry(this.backend, spec, 'next', now)
    for (const entry of this.entries) {
      if (entry.state === 'current') {
        entry.state = 'retired'
        entry.retiredAt = now
        entry.removeAfter = now + this.settings.retainRetired
      }
    }
    incoming.state = 'current'
    incoming.activatedAt = now
    this.entries = [...this.entries.filter((e) => e !== incoming), incoming, fresh]
    this.prune()
    return infoOf(incoming)
  }

  /** Drops retired keys past their removeAfter; returns their kids. */
  prune(): string[] {
    const now = this.settings.clock()
    const gone = this.entries.filter((e) => e.state === 'retired' && e.removeAfter! <= now)
    this.entries = this.entries.filter((e) => !gone.includes(e))
    return gone.map((e) => e.kid)
  }

  /** Removes a retired or next key now (it leaked, say). The current key must be rotated away first. */
  remove(kid: string): void {
    const entry = this.entries.find((e) => e.kid === kid)
    if (!entry) throw new KeyRingInvalid('no key in the ring has this kid')
    if (entry.state === 'current') {
      throw new KeyRingInvalid(
        'the current key cannot be removed: rotate({ force: true }) first, then remove it',
      )
    }
    this.entries = this.entries.filter((e) => e !== entry)
  }

  /** The ring as one JWE (PBES2-HS512+A256KW, A256GCM) under `secret`: safe to store, useless without it. */
  serialize(secret: string | Uint8Array): Promise<string> {
    const keys = this.entries.map((e) => ({ ...infoOf(e), jwk: e.privateJwk }))
    const plaintext = utf8Encode(JSON.stringify({ format: FORMAT, alg: this.alg, keys }))
    return seal(this.jwe, plaintext, secret, CTY, this.settings.iterations)
  }

  /** Never serialize keys by accident (a log line, JSON.stringify of a config). */
  toJSON(): Record<string, unknown> {
    return { alg: this.alg, keys: this.keys() }
  }
}

function settingsOf(options: KeyRingOptions) {
  if (!isJsonObject(options)) throw new JOSEOptionInvalid('a key ring needs an options object with "alg"')
  const entry = jwsAlgorithm(options.alg)
  if (!entry || entry.family === 'hmac') {
    throw new JOSEOptionInvalid(
      'a key ring needs an asymmetric JWS "alg" (e.g. "ES256"): its public keys are published',
    )
  }
  const clock = options.clock ?? Date.now
  if (typeof clock !== 'function')
    throw new JOSEOptionInvalid('clock must be a function returning milliseconds')
  const iterations = options.iterations ?? DEFAULT_ITERATIONS
  if (!Number.isInteger(iterations) || iterations < 10_000 || iterations > 5_000_000) {
    throw new JOSEOptionInvalid('iterations must be an integer from 10000 to 5000000')
  }
  return {
    publishAhead: span(options.publishAhead, 600_000, 'publishAhead'),
    retainRetired: span(options.retainRetired, 86_400_000, 'retainRetired'),
    clock,
    iterations,
    modulusLength: options.modulusLength,
    crv: options.crv,
  }
}

async function bindKid(
  backend: Backend,
  privateJwk: JWK,
  alg: string,
): Promise<{ privateJwk: JWK; privateKey: JoseKey }> {
  const bound: JWK = { ...privateJwk, alg, use: 'sig' }
  delete bound.key_ops
  delete bound.ext
  // RFC 7638 thumbprint: a kid derived from the key cannot name two different keys.
  bound.kid = await calculateJwkThumbprintWith(backend, bound)
  return { privateJwk: bound, privateKey: await importCheckedJwk(backend, bound, alg) }
}

async function generateEntry(
  backend: Backend,
  options: Pick<KeyRingOptions, 'alg' | 'modulusLength' | 'crv'>,
  state: KeyState,
  now: number,
): Promise<Entry> {
  const spec = keyPairSpec(options.alg, { modulusLength: options.modulusLength, crv: options.crv })
  const pair = await backend.generateKeyPair(spec, options.alg, true)
  const { privateJwk, privateKey } = await bindKid(
    backend,
    await backend.exportJWK(pair.privateKey),
    options.alg,
  )
  return {
    kid: privateJwk.kid!,
    state,
    alg: options.alg,
    createdAt: now,
    privateKey,
    privateJwk,
    publicJwk: publicJwkOf(privateJwk),
  }
}

const STATES: readonly string[] = ['next', 'current', 'retired']
const isTime = (value: unknown) => typeof value === 'number' && Number.isFinite(value)

async function restoreEntry(backend: Backend, alg: string, raw: unknown): Promise<Entry> {
  if (
    !isJsonObject(raw) ||
    !STATES.includes(raw.state as string) ||
    !isTime(raw.createdAt) ||
    (raw.state === 'retired' && !isTime(raw.removeAfter))
  ) {
    throw new KeyRingInvalid('a stored key ring entry is malformed (state, createdAt or removeAfter)')
  }
  try {
    const checked = checkJwk(raw.jwk)
    if (!checked.isPrivate || checked.kty === 'oct')
      throw new KeyRingInvalid('a stored key ring entry is not a private key')
    const { privateJwk, privateKey } = await bindKid(backend, checked.jwk, alg)
    if (privateJwk.kid !== raw.kid) throw new KeyRingInvalid('a stored key ring entry does not match its kid')
    const info: KeyRingEntryInfo = {
      kid: privateJwk.kid!,
      state: raw.state as KeyState,
      alg,
      createdAt: raw.createdAt as number,
    }
    if (isTime(raw.activatedAt)) info.activatedAt = raw.activatedAt as number
    if (isTime(raw.retiredAt)) info.retiredAt = raw.retiredAt as number
    if (isTime(raw.removeAfter)) info.removeAfter = raw.removeAfter as number
    return {
      ...info,
      privateKey,
      privateJwk,
      publicJwk: publicJwkOf(privateJwk),
    }
  } catch (error) {
    if (error instanceof KeyRingInvalid || !(error instanceof JOSEError)) throw error
    throw new KeyRingInvalid(`a stored key ring entry does not import: ${error.message}`)
  }
}

export function createKeyRingWith(jwe: JweBackend, options: KeyRingOptions): Promise<KeyRing> {
  return KeyRing.create(jwe, options)
}

export function restoreKeyRingWith(
  jwe: JweBackend,
  sealed: string,
  secret: string | Uint8Array,
  options: KeyRingOptions,
): Promise<KeyRing> {
  return KeyRing.restore(jwe, sealed, secret, options)
}
