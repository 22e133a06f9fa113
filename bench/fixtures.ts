/**
 * @module The bench's shared inputs: one key per algorithm and one claims set, generated once per run by
 * the orchestrator and handed to every child process as JWK, PEM and raw bytes, so each library gets the
 * key in the form it prefers and imports it once, outside the timed loop.
 */
import {
  createPrivateKey,
  createPublicKey,
  createSecretKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
} from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'

/** The JWS algorithms every row of the table covers (issue 5). */
export const JWS_ALGS = ['HS256', 'RS256', 'PS256', 'ES256', 'EdDSA'] as const
export type JwsAlg = (typeof JWS_ALGS)[number]

/** The JWE rows: key management + content encryption. */
export const JWE_CASES = [
  { name: 'dir+A256GCM', alg: 'dir', enc: 'A256GCM' },
  { name: 'A256KW+A256GCM', alg: 'A256KW', enc: 'A256GCM' },
  { name: 'ECDH-ES+A256KW+A256GCM', alg: 'ECDH-ES+A256KW', enc: 'A256GCM' },
  { name: 'RSA-OAEP-256+A256GCM', alg: 'RSA-OAEP-256', enc: 'A256GCM' },
] as const
export type JweCase = (typeof JWE_CASES)[number]

export const ISSUER = 'https://issuer.bench.example'
export const AUDIENCE = 'bench-api'
export const LIFETIME_SECONDS = 3600

/**
 * A typical access-token body: the peers and we sign exactly these claims plus iss/aud/iat/exp. A plain
 * object, as callers pass: a frozen one would hide V8's slow path for `{ ...claims, more }` copies (it hits
 * ordinary objects only), which costs several µs per token — more than HS256 itself.
 */
export const CLAIMS: { sub: string; scope: string; sid: string; roles: string[] } = {
  sub: 'user-8f14e45f',
  scope: 'openid profile email orders:read',
  sid: 'b1c2d3e4f5',
  roles: ['customer'],
}

/** The JWE plaintext: the size of a small signed token, as a nested JWT would carry. */
export const JWE_PLAINTEXT = Buffer.from(JSON.stringify({ ...CLAIMS, iss: ISSUER, aud: AUDIENCE })).toString(
  'base64url',
)

export interface KeyMaterial {
  /** Private (or secret) key as JWK. */
  privateJwk: Record<string, unknown>
  /** Public key as JWK (same as privateJwk for secrets). */
  publicJwk: Record<string, unknown>
  privatePem?: string
  publicPem?: string
  /** Secret bytes, base64url (secrets only). */
  secret?: string
}

export interface Fixtures {
  jws: Record<JwsAlg, KeyMaterial>
  jwe: Record<string, KeyMaterial>
}

function asymmetric(type: 'rsa' | 'ec' | 'ed25519'): KeyMaterial {
  const { privateKey, publicKey } =
    type === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : type === 'ec'
        ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
        : generateKeyPairSync('ed25519')
  return {
    privateJwk: privateKey.export({ format: 'jwk' }) as Record<string, unknown>,
    publicJwk: publicKey.export({ format: 'jwk' }) as Record<string, unknown>,
    privatePem: privateKey.export({ format: 'pem', type: 'pkcs8' }) as string,
    publicPem: publicKey.export({ format: 'pem', type: 'spki' }) as string,
  }
}

function secret(bytes: number): KeyMaterial {
  const value = randomBytes(bytes).toString('base64url')
  const jwk = { kty: 'oct', k: value }
  return { privateJwk: jwk, publicJwk: jwk, secret: value }
}

export function generateFixtures(): Fixtures {
  return {
    jws: {
      HS256: secret(32),
      RS256: asymmetric('rsa'),
      PS256: asymmetric('rsa'),
      ES256: asymmetric('ec'),
      EdDSA: asymmetric('ed25519'),
    },
    jwe: {
      'dir+A256GCM': secret(32),
      'A256KW+A256GCM': secret(32),
      'ECDH-ES+A256KW+A256GCM': asymmetric('ec'),
      'RSA-OAEP-256+A256GCM': asymmetric('rsa'),
    },
  }
}

export function writeFixtures(path: string, fixtures: Fixtures): void {
  writeFileSync(path, JSON.stringify(fixtures))
}

export function readFixtures(path: string): Fixtures {
  return JSON.parse(readFileSync(path, 'utf8')) as Fixtures
}

/** node:crypto KeyObjects for a key: the form raw node:crypto and jsonwebtoken take. */
export function keyObjects(material: KeyMaterial): { privateKey: KeyObject; publicKey: KeyObject } {
  if (material.secret !== undefined) {
    const key = createSecretKey(Buffer.from(material.secret, 'base64url'))
    return { privateKey: key, publicKey: key }
  }
  return {
    privateKey: createPrivateKey({ key: material.privateJwk, format: 'jwk' } as never),
    publicKey: createPublicKey({ key: material.publicJwk, format: 'jwk' } as never),
  }
}
