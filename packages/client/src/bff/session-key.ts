/**
 * @module The store key of a cookie value: its SHA-256 digest, so the store never holds a usable cookie.
 */
import { createHash } from 'node:crypto'

export function sessionKey(cookieValue: string): string {
  return createHash('sha256').update(cookieValue).digest('base64url')
}
