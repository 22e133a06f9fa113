/**
 * @module HTTP Basic client authentication (RFC 6749 §2.3.1) for introspection callers. Credentials are
 * compared as SHA-256 digests with timingSafeEqual, so the comparison time says nothing about the secret.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import type { ClientCredential } from '../config.js'
import { ClientAuthFailed } from '../errors.js'

const digest = (value: string) => createHash('sha256').update(value).digest()

/** The authenticated client id, or ClientAuthFailed. */
export function authenticateClient(
  authorization: string | undefined,
  clients: readonly ClientCredential[],
): string {
  if (clients.length === 0) {
    throw new ClientAuthFailed('introspection is off: start the server with --introspection-client id:secret')
  }
  const match = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(authorization ?? '')
  if (!match) throw new ClientAuthFailed()
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 0) throw new ClientAuthFailed()
  // RFC 6749 §2.3.1: id and secret are form-urlencoded before Basic encoding.
  let id: string
  let secret: string
  try {
    id = decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '))
    secret = decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' '))
  } catch {
    throw new ClientAuthFailed()
  }
  let found: string | undefined
  for (const client of clients) {
    const idOk = timingSafeEqual(digest(client.id), digest(id))
    const secretOk = timingSafeEqual(digest(client.secret), digest(secret))
    if (idOk && secretOk) found = client.id
  }
  if (!found) throw new ClientAuthFailed()
  return found
}
