/**
 * @module Loading keys for a command from what `--key` names: a JWK or JWK Set file (JSON), a PEM file
 * (SPKI, PKCS#8 or an X.509 certificate), a JWKS URL (verification only), or `env:NAME` for an HMAC
 * secret held in an environment variable (never on the command line, where `ps` would show it).
 */
import { readFile } from 'node:fs/promises'
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  exportJWK,
  getPublicKey,
  importJWK,
  importPEM,
  importSecret,
  isJoseKey,
  type JoseKey,
  type JWK,
  JWS_ALGORITHMS,
  type JWSHeaderParameters,
  type KeyLike,
} from '@tessera/jose'
import { ktyForJwsAlg, verifyingAlgsFor } from './alg-defaults.js'
import { CliKeyFileError } from './errors.js'

export type KeyPurpose = 'sign' | 'verify' | 'encrypt' | 'decrypt'

/** A key ready for one operation. */
export interface LoadedKey {
  /** A JoseKey, or a resolver picking one from a key set by the token's header. */
  key: KeyLike<JWSHeaderParameters>
  /** The algorithms this key implies (its `alg`, its curve), when it implies any. */
  algorithms: string[] | undefined
  /** The `kid` to put in a header when signing. */
  kid: string | undefined
  /** "EC P-256 private key from key.json": for messages, never material. */
  description: string
}

export interface LoadKeyOptions {
  purpose: KeyPurpose
  /** `--alg` as given (the first entry is used when importing a single key). */
  algorithms?: string[] | undefined
  /** `--kid`: picks one key out of a set. */
  kid?: string | undefined
}

function wrap(source: string, error: unknown): CliKeyFileError {
  const code = (error as { code?: string }).code
  const message = error instanceof Error ? error.message : String(error)
  return new CliKeyFileError(`${source}: ${message}${code ? ` (${code})` : ''}`, { cause: error })
}

/** Loads the key `spec` names (see the module comment) for `options.purpose`. */
export async function loadKey(spec: string, options: LoadKeyOptions): Promise<LoadedKey> {
  if (spec.startsWith('env:')) return loadEnvSecret(spec.slice(4), options)
  if (/^https?:\/\//i.test(spec)) {
    if (options.purpose !== 'verify') {
      throw new CliKeyFileError(
        'a JWKS URL holds public keys and can only verify; give a key file with --key',
      )
    }
    return remoteKeySet(spec, options)
  }
  let text: string
  try {
    text = await readFile(spec, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new CliKeyFileError(
      code === 'ENOENT'
        ? `key file "${spec}" does not exist; create one with "tessera keys generate --alg ES256 --out ${spec}"`
        : `cannot read key file "${spec}" (${code ?? 'read error'}); check the path and its permissions`,
    )
  }
  const trimmed = text.trim()
  if (trimmed.startsWith('-----BEGIN')) return loadPem(trimmed, spec, options)
  let json: unknown
  try {
    json = JSON.parse(trimmed)
  } catch {
    throw new CliKeyFileError(
      `"${spec}" is neither JSON (a JWK or JWK Set) nor PEM; give a file made by "tessera keys generate"`,
    )
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new CliKeyFileError(`"${spec}" must hold a JWK object or a JWK Set { "keys": [...] }`)
  }
  const object = json as Record<string, unknown>
  if (Array.isArray(object.keys)) return keySet(object.keys as JWK[], spec, options)
  return loadJwk(object as JWK, spec, options)
}

/** The single key a sign/encrypt/decrypt load returned (key sets were narrowed to one by then). */
export function singleKey(loaded: LoadedKey): JoseKey {
  if (!isJoseKey(loaded.key)) throw new CliKeyFileError(`${loaded.description}: pick one key with --kid`)
  return loaded.key
}

async function forPurpose(key: JoseKey, purpose: KeyPurpose): Promise<JoseKey> {
  // Verifying or encrypting needs only the public half; using it keeps the private key out of the operation.
  if (key.type === 'private' && (purpose === 'verify' || purpose === 'encrypt')) return getPublicKey(key)
  return key
}

async function loadJwk(jwk: JWK, source: string, options: LoadKeyOptions): Promise<LoadedKey> {
  if (typeof jwk.kty !== 'string') {
    throw new CliKeyFileError(
      `"${source}" has no "kty": it is not a JWK; give a file made by "tessera keys generate"`,
    )
  }
  const alg = jwk.alg ? undefined : options.algorithms?.length === 1 ? options.algorithms[0] : undefined
  let key: JoseKey
  try {
    key = await forPurpose(await importJWK(jwk, alg), options.purpose)
  } catch (error) {
    throw wrap(source, error)
  }
  return {
    key,
    algorithms: verifyingAlgsFor({ kty: key.kty, crv: key.crv, alg: key.alg }),
    kid: jwk.kid,
    description: `${key.describe()} from ${source}`,
  }
}

async function loadPem(pem: string, source: string, options: LoadKeyOptions): Promise<LoadedKey> {
  const alg = options.algorithms?.length === 1 ? options.algorithms[0] : undefined
  let key: JoseKey
  try {
    key = await forPurpose(await importPEM(pem, alg), options.purpose)
  } catch (error) {
    throw wrap(source, error)
  }
  return {
    key,
    algorithms: verifyingAlgsFor({ kty: key.kty, crv: key.crv, alg: key.alg }),
    kid: undefined,
    description: `${key.describe()} from ${source}`,
  }
}

async function loadEnvSecret(name: string, options: LoadKeyOptions): Promise<LoadedKey> {
  const value = process.env[name]
  if (!name || value === undefined || value === '') {
    throw new CliKeyFileError(`environment variable "${name}" is not set; export it with the HMAC secret`)
  }
  const alg = options.algorithms?.length === 1 ? options.algorithms[0] : undefined
  try {
    const key = await importSecret(new TextEncoder().encode(value), alg)
    return { key, algorithms: alg ? [alg] : undefined, kid: undefined, description: `secret from $${name}` }
  } catch (error) {
    throw wrap(`$${name}`, error)
  }
}

/** The keys of a set that may serve `purpose`, judged by their own `use` and `key_ops`. */
function usable(keys: JWK[], purpose: KeyPurpose): JWK[] {
  const signing = purpose === 'sign' || purpose === 'verify'
  return keys.filter((jwk) => {
    if (typeof jwk !== 'object' || jwk === null || typeof jwk.kty !== 'string') return false
    if (jwk.use !== undefined && jwk.use !== (signing ? 'sig' : 'enc')) return false
    if (Array.isArray(jwk.key_ops) && !jwk.key_ops.includes(purpose)) return false
    return true
  })
}

/** Every asymmetric JWS algorithm: what a set of public keys may mean when no --alg narrows it. */
function asymmetricJwsAlgorithms(): string[] {
  // Safe as a default only because jose checks that each key fits the algorithm (an EC P-256 key verifies
  // ES256 only) and no HMAC name is in it: a public key can never be used as an HMAC secret.
  return JWS_ALGORITHMS.filter((alg) => ktyForJwsAlg(alg) !== 'oct')
}

function impliedAlgorithms(keys: readonly JWK[]): string[] | undefined {
  const implied = new Set<string>()
  for (const jwk of keys) {
    const algs = verifyingAlgsFor(jwk)
    if (!algs) return keys.every((key) => key.kty !== 'oct') ? asymmetricJwsAlgorithms() : undefined
    for (const alg of algs) implied.add(alg)
  }
  return [...implied]
}

async function remoteKeySet(url: string, options: LoadKeyOptions): Promise<LoadedKey> {
  let remote: ReturnType<typeof createRemoteJWKSet>
  try {
    remote = createRemoteJWKSet(url)
  } catch (error) {
    throw wrap(url, error)
  }
  // The issuer's set may hold RSA keys without "alg"; any asymmetric algorithm a fetched key fits is fine.
  return {
    key: remote,
    algorithms: options.algorithms ?? asymmetricJwsAlgorithms(),
    kid: undefined,
    description: `JWK Set at ${url}`,
  }
}

async function keySet(keys: JWK[], source: string, options: LoadKeyOptions): Promise<LoadedKey> {
  const candidates = usable(keys, options.purpose).filter((jwk) => !options.kid || jwk.kid === options.kid)
  if (candidates.length === 0) {
    throw new CliKeyFileError(
      options.kid
        ? `"${source}" has no key with "kid": "${options.kid}" for ${options.purpose}ing; list the kids with "jq '.keys[].kid' ${source}"`
        : `"${source}" has no key usable for ${options.purpose}ing`,
    )
  }
  if (options.purpose !== 'verify' || options.kid) {
    if (candidates.length > 1) {
      throw new CliKeyFileError(`"${source}" holds ${candidates.length} keys: pick one with --kid`)
    }
    return loadJwk(candidates[0]!, source, options)
  }
  // Verification: the token's header picks the key, as a relying party does with the issuer's JWKS.
  const publicKeys = await Promise.all(
    candidates.map(async (jwk) =>
      jwk.kty === 'oct'
        ? jwk
        : { ...(await exportJWK(await getPublicKey(await importJWK(jwk)))), ...meta(jwk) },
    ),
  ).catch((error: unknown) => {
    throw wrap(source, error)
  })
  let set: ReturnType<typeof createLocalJWKSet>
  try {
    set = createLocalJWKSet(
      { keys: publicKeys },
      { allowPrivate: publicKeys.some((jwk) => jwk.kty === 'oct') },
    )
  } catch (error) {
    throw wrap(source, error)
  }
  return {
    key: set,
    algorithms: impliedAlgorithms(candidates),
    kid: undefined,
    description: `key set ${source} (${set.kids.length || candidates.length} key${candidates.length === 1 ? '' : 's'})`,
  }
}

/** The JWK members that describe a key's use, kept when its public half is taken. */
function meta(jwk: JWK): JWK {
  const out: JWK = {}
  if (jwk.kid !== undefined) out.kid = jwk.kid
  if (jwk.alg !== undefined) out.alg = jwk.alg
  if (jwk.use !== undefined) out.use = jwk.use
  if (Array.isArray(jwk.key_ops)) out.key_ops = jwk.key_ops.filter((op) => op === 'verify')
  return out
}
