/**
 * @module The key that seals pending authorization requests into the sign-in pages: HKDF-SHA256 (RFC
 * 5869) of TESSERA_SECRET under its own label, so it is independent of the keys derived for other uses
 * and the same on every instance (a page shown by one can be posted to another).
 */
import { hkdfSync } from 'node:crypto'

export function deriveInteractionKey(secret: string): Buffer {
  return Buffer.from(
    hkdfSync('sha256', Buffer.from(secret, 'utf8'), 'tessera', 'tessera authorize interaction v1', 32),
  )
}
