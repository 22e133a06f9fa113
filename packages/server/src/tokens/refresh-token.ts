/**
 * @module Refresh-token values. A token is HMAC-SHA256(refreshTokenKey, familyId ‖ generation): 256 bits
 * no one can guess without the server secret, stored only as its SHA-256. Deriving it (instead of drawing
 * fresh randomness) lets any instance recompute the successor of a token, which is what makes the grace
 * window idempotent (the same successor, byte for byte) and lets two racing instances agree on the one
 * successor without coordination.
 */
import { createHash, createHmac } from 'node:crypto'

/** 43 base64url characters = 32 bytes. Anything else is not ours and is refused before any lookup. */
const SHAPE = /^[A-Za-z0-9_-]{43}$/

export function deriveRefreshToken(key: Buffer, familyId: string, generation: number): string {
  return createHmac('sha256', key).update(`${familyId}.${generation}`).digest('base64url')
}

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

export function looksLikeRefreshToken(value: string): boolean {
  return SHAPE.test(value)
}
