/**
 * @module `zip: "DEF"` (RFC 7516 §4.1.3, RFC 7518 §7.3). Inflation is capped by `maxDecompressedLength`
 * (default 250,000 bytes) and the backend stops as soon as its output passes the cap, so a
 * decompression bomb costs at most the cap in memory, never its full inflated size.
 */

import type { JweBackend } from '../backend/jwe-types.js'
import type { MaybePromise } from '../backend/types.js'
import { JOSEOptionInvalid } from '../errors.js'

export const DEFAULT_MAX_DECOMPRESSED_LENGTH = 250_000

export function checkMaxDecompressedLength(value: unknown): number {
  if (value === undefined) return DEFAULT_MAX_DECOMPRESSED_LENGTH
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new JOSEOptionInvalid('maxDecompressedLength must be a positive integer number of bytes')
  }
  return value
}

export function compress(jwe: JweBackend, zip: boolean, plaintext: Uint8Array): MaybePromise<Uint8Array> {
  return zip ? jwe.deflate(plaintext) : plaintext
}

export function decompress(
  jwe: JweBackend,
  zip: boolean,
  plaintext: Uint8Array,
  maxLength: number,
): MaybePromise<Uint8Array> {
  return zip ? jwe.inflate(plaintext, maxLength) : plaintext
}
