/**
 * @module The server secret (TESSERA_SECRET) and the keys derived from it with HKDF-SHA256 (RFC 5869):
 * one for encrypting signing keys at rest, one for refresh-token HMACs, one for client-secret hashes, one
 * for DPoP nonces.
 * Separate `info` labels keep the uses independent. Outside production, a missing secret is generated once
 * and kept next to the database (mode 0600) with a loud warning; production refuses to start without one
 * (config.ts).
 */

import { hkdfSync, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { KeysUnavailable } from '../errors.js'

export interface DerivedSecrets {
  /** AES-256-GCM key for private JWKs at rest. */
  keyEncryptionKey: Buffer
  /** HMAC-SHA256 key that derives refresh tokens from (family, generation). */
  refreshTokenKey: Buffer
  /** HMAC-SHA256 key under which client secrets are stored (oidc/clients/client-secret.ts). */
  clientSecretKey: Buffer
  /** HMAC-SHA256 key of the stateless DPoP nonces every instance accepts (dpop/nonces.ts). */
  dpopNonceKey: Buffer
}

export interface ResolvedSecret {
  secret: string
  /** Where a generated development secret was written, when one was. */
  generatedAt?: string
  /** Read from the development secret file. */
  fromFile?: string
}

export function deriveSecrets(secret: string): DerivedSecrets {
  const ikm = Buffer.from(secret, 'utf8')
  const derive = (info: string) => Buffer.from(hkdfSync('sha256', ikm, 'tessera', info, 32))
  return {
    keyEncryptionKey: derive('tessera signing-key encryption v1'),
    refreshTokenKey: derive('tessera refresh-token hmac v1'),
    clientSecretKey: derive('tessera client-secret hmac v1'),
    dpopNonceKey: derive('tessera dpop-nonce hmac v1'),
  }
}

/**
 * The configured secret, or (outside production) the one persisted in `<dir>/tessera-secret`, created
 * on first use. `dir` undefined (in-memory database) gives a fresh secret for this process only.
 */
export function resolveSecret(
  configured: string | undefined,
  production: boolean,
  dir: string | undefined,
): ResolvedSecret {
  if (configured !== undefined) return { secret: configured }
  if (production) {
    throw new KeysUnavailable(
      'production mode needs TESSERA_SECRET (32+ characters) to encrypt signing keys at rest',
    )
  }
  if (dir === undefined) return { secret: randomBytes(32).toString('base64url') }
  const file = join(dir, 'tessera-secret')
  if (existsSync(file)) return { secret: readFileSync(file, 'utf8').trim(), fromFile: file }
  mkdirSync(dirname(file), { recursive: true })
  const secret = randomBytes(32).toString('base64url')
  writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' })
  return { secret, generatedAt: file }
}
