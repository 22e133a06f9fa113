/**
 * @module Client secrets: 256 random bits, shown once, stored as HMAC-SHA-256 under a key derived from
 * TESSERA_SECRET. A secret this long cannot be guessed, so a fast keyed hash is as strong as a slow
 * password hash here (and costs microseconds per token request, not ~50 ms of argon2); the key means a
 * copy of the database alone cannot even test a candidate. Checked in constant time.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

/** The tag a stored hash starts with, so another scheme could be told apart later. */
const SCHEME = 'hmac-sha256:'

/** A new client secret: 32 random bytes, base64url (43 characters). */
export function generateClientSecret(): string {
  return randomBytes(32).toString('base64url')
}

export function hashClientSecret(key: Buffer, secret: string): string {
  return SCHEME + createHmac('sha256', key).update(secret, 'utf8').digest('base64url')
}

/** True when `secret` is the one `stored` was made from; constant time in the secret. */
export function verifyClientSecret(key: Buffer, secret: string, stored: string | null): boolean {
  const presented = Buffer.from(hashClientSecret(key, secret), 'utf8')
  // Compared against itself when nothing is stored, so an unknown or public client costs the same.
  const expected = stored === null ? presented : Buffer.from(stored, 'utf8')
  if (expected.length !== presented.length) return false
  return timingSafeEqual(presented, expected) && stored !== null
}
