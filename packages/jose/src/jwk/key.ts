/**
 * @module JoseKey: the one key type every operation works on, whatever form the caller gave.
 *
 * It records what the checks need (type, kty, curve, size, bound `alg`, `use`, `key_ops`) next to the
 * backend's own handle (a node:crypto KeyObject, or WebCrypto material). It cannot be forged from a
 * plain object: instances are made only by backends, through `createJoseKey`.
 */
import type { KeyType, Kty } from './types.js'

const brand = Symbol('tessera.JoseKey')

export interface JoseKeyFields<Handle = unknown> {
  type: KeyType
  kty: Kty
  /** EC / OKP curve name as in JWK `crv`. */
  crv?: string | undefined
  /** Bits: HMAC/AES secret length, RSA modulus, EC field size. */
  bits: number
  /** The one algorithm this key may be used with, when it was imported or generated with one. */
  alg?: string | undefined
  use?: string | undefined
  keyOps?: readonly string[] | undefined
  kid?: string | undefined
  /** RSA-PSS keys restricted by their SPKI/PKCS#8 parameters (Node `rsa-pss` keys). */
  pss?:
    | { hash?: string | undefined; mgf1Hash?: string | undefined; saltLength?: number | undefined }
    | undefined
  /** Whether private material may be exported (generateKeyPair's `extractable`). */
  extractable: boolean
  handle: Handle
}

export class JoseKey<Handle = unknown> {
  readonly type: KeyType
  readonly kty: Kty
  readonly crv: string | undefined
  readonly bits: number
  readonly alg: string | undefined
  readonly use: string | undefined
  readonly keyOps: readonly string[] | undefined
  readonly kid: string | undefined
  readonly pss:
    | {
        readonly hash?: string | undefined
        readonly mgf1Hash?: string | undefined
        readonly saltLength?: number | undefined
      }
    | undefined
  readonly extractable: boolean
  /** The backend's own key material. Not part of the public contract. */
  readonly handle: Handle
  readonly [brand] = true

  private constructor(fields: JoseKeyFields<Handle>) {
    this.type = fields.type
    this.kty = fields.kty
    this.crv = fields.crv
    this.bits = fields.bits
    this.alg = fields.alg
    this.use = fields.use
    this.keyOps = fields.keyOps ? Object.freeze([...fields.keyOps]) : undefined
    this.kid = fields.kid
    this.pss = fields.pss
    this.extractable = fields.extractable
    this.handle = fields.handle
    Object.freeze(this)
  }

  /** @internal */
  static create<H>(fields: JoseKeyFields<H>): JoseKey<H> {
    return new JoseKey(fields)
  }

  /** A short description for error messages: never any key material. */
  describe(): string {
    const curve = this.crv ? ` ${this.crv}` : ''
    const size = this.kty === 'RSA' || this.kty === 'oct' ? ` (${this.bits} bits)` : ''
    return `${this.type} ${this.kty}${curve}${size} key`
  }

  toJSON(): Record<string, unknown> {
    // Keys must never serialize their material by accident (logs, JSON.stringify of an options object).
    return { type: this.type, kty: this.kty, crv: this.crv, alg: this.alg, kid: this.kid }
  }
}

export function isJoseKey(value: unknown): value is JoseKey {
  return typeof value === 'object' && value !== null && (value as { [brand]?: boolean })[brand] === true
}

export function createJoseKey<H>(fields: JoseKeyFields<H>): JoseKey<H> {
  return JoseKey.create(fields)
}
