/**
 * @module PBES2 (RFC 7518 §4.8): the key-wrapping key from a password, salt `UTF8(alg) || 0x00 || p2s`
 * and `p2c` iterations. `p2c` is attacker-chosen on decryption, so it is capped (`maxPBES2Count`,
 * default 10,000) before PBKDF2 runs; `p2s` must be at least 8 bytes (§4.8.1.1).
 */
import type { KeyManagementAlgorithm } from '../alg/jwe-algorithms.js'
import type { HashName } from '../alg/jws-algorithms.js'
import type { JweBackend } from '../backend/jwe-types.js'
import type { MaybePromise } from '../backend/types.js'
import { JOSEOptionInvalid, JWEInvalid, JWEPBES2CountExceeded } from '../errors.js'
import { concatBytes, utf8Encode } from '../util/bytes.js'

export const DEFAULT_MAX_PBES2_COUNT = 10_000
/** The sender's default: under the default cap, as RFC 7520 §5.3 uses. */
export const DEFAULT_PBES2_COUNT = 8192
const MIN_SALT_BYTES = 8

export function pbes2Kek(
  jwe: JweBackend,
  alg: KeyManagementAlgorithm,
  password: Uint8Array,
  p2s: Uint8Array,
  p2c: number,
): MaybePromise<Uint8Array> {
  const salt = concatBytes(utf8Encode(alg.name), new Uint8Array([0]), p2s)
  return jwe.pbkdf2(alg.hash as HashName, password, salt, p2c, alg.kekBytes!)
}

/** Checks a received `p2s`/`p2c` pair before any derivation. */
export function checkReceivedPbes2(p2s: Uint8Array | undefined, p2c: unknown, maxCount: number): number {
  if (p2s === undefined) throw new JWEInvalid('a PBES2 token needs a "p2s" salt input')
  if (p2s.length < MIN_SALT_BYTES) {
    throw new JWEInvalid(
      `the PBES2 "p2s" is ${p2s.length} bytes; at least ${MIN_SALT_BYTES} are required (RFC 7518 §4.8.1.1)`,
    )
  }
  if (typeof p2c !== 'number' || !Number.isSafeInteger(p2c) || p2c < 1) {
    throw new JWEInvalid('the PBES2 "p2c" must be a positive integer')
  }
  if (p2c > maxCount) {
    throw new JWEPBES2CountExceeded(
      `the PBES2 "p2c" of ${p2c} is over the limit of ${maxCount} (maxPBES2Count); refused before deriving`,
    )
  }
  return p2c
}

/** Checks the sender's own `p2s`/`p2c` options. */
export function checkSenderPbes2(p2s: unknown, p2c: unknown): { p2s: Uint8Array | undefined; p2c: number } {
  if (p2s !== undefined && (!(p2s instanceof Uint8Array) || p2s.length < MIN_SALT_BYTES)) {
    throw new JOSEOptionInvalid(`p2s must be a Uint8Array of at least ${MIN_SALT_BYTES} bytes`)
  }
  const count = p2c ?? DEFAULT_PBES2_COUNT
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 1000) {
    throw new JOSEOptionInvalid(
      'p2c must be an integer of at least 1000 (RFC 7518 §4.8.1.2 recommends 1000 or more)',
    )
  }
  return { p2s: p2s as Uint8Array | undefined, p2c: count }
}

export function checkMaxCount(value: unknown): number {
  if (value === undefined) return DEFAULT_MAX_PBES2_COUNT
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new JOSEOptionInvalid('maxPBES2Count must be a positive integer')
  }
  return value
}
