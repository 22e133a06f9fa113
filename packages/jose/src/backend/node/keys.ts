/**
 * @module node:crypto key handling: JWK / PEM / raw import, export and generation over KeyObject.
 */
import {
  createPrivateKey,
  createPublicKey,
  createSecretKey,
  generateKeyPairSync,
  KeyObject,
  X509Certificate,
} from 'node:crypto'
import {
  JOSENotSupported,
  JWKInvalid,
  KeyInputInvalid,
  KeyTooWeak,
  KeyUsageForbidden,
  PEMInvalid,
} from '../../errors.js'
import { createJoseKey, type JoseKey } from '../../jwk/key.js'
import { rsaPublicKeyProblem } from '../../jwk/rsa-public-checks.js'
import type { KeySpec } from '../../jwk/spec.js'
import type { JWK, Kty } from '../../jwk/types.js'
import type { KeyPair } from '../types.js'

const NODE_CURVE_TO_CRV: Record<string, string> = {
  prime256v1: 'P-256',
  secp384r1: 'P-384',
  secp521r1: 'P-521',
  secp256k1: 'secp256k1',
}
const CRV_BITS: Record<string, number> = {
  'P-256': 256,
  'P-384': 384,
  'P-521': 521,
  secp256k1: 256,
  Ed25519: 256,
  X25519: 256,
  Ed448: 456,
  X448: 448,
}
const OKP_TYPES: Record<string, string> = {
  ed25519: 'Ed25519',
  ed448: 'Ed448',
  x25519: 'X25519',
  x448: 'X448',
}

interface Binding {
  alg?: string | undefined
  use?: string | undefined
  keyOps?: readonly string[] | undefined
  kid?: string | undefined
  extractable?: boolean
}

/** KeyObjects already checked by checkRsaValues (a KeyObject's key material never changes). */
const rsaChecked = new WeakSet<KeyObject>()

/** Refuses RSA keys with e = 1 (or even) or the ROCA fingerprint, whichever way they were imported. */
function checkRsaValues(keyObject: KeyObject): void {
  if (rsaChecked.has(keyObject)) return
  const exponent = keyObject.asymmetricKeyDetails?.publicExponent ?? 0n
  // JWK export (for the modulus) exists for "rsa" keys only; RSA-PSS keys get the exponent check.
  const modulus =
    keyObject.asymmetricKeyType === 'rsa'
      ? Buffer.from((keyObject.export({ format: 'jwk' }) as { n: string }).n, 'base64url')
      : new Uint8Array(0)
  const problem = rsaPublicKeyProblem(modulus, exponent)
  if (problem) throw new KeyTooWeak(`this RSA key must not be used: ${problem}`)
  rsaChecked.add(keyObject)
}

/** Describes a KeyObject as a JoseKey; throws for key types JOSE has no name for (DSA, DH…). */
export function wrapKeyObject(keyObject: KeyObject, binding: Binding = {}): JoseKey<KeyObject> {
  const common = {
    alg: binding.alg,
    use: binding.use,
    keyOps: binding.keyOps,
    kid: binding.kid,
    extractable: binding.extractable ?? true,
    handle: keyObject,
  }
  if (keyObject.type === 'secret') {
    return createJoseKey({ ...common, type: 'secret', kty: 'oct', bits: keyObject.symmetricKeySize! * 8 })
  }
  const type = keyObject.type
  const details = keyObject.asymmetricKeyDetails ?? {}
  if (keyObject.asymmetricKeyType === 'rsa' || keyObject.asymmetricKeyType === 'rsa-pss')
    checkRsaValues(keyObject)
  switch (keyObject.asymmetricKeyType) {
    case 'rsa':
      return createJoseKey({ ...common, type, kty: 'RSA', bits: details.modulusLength ?? 0 })
    case 'rsa-pss':
      return createJoseKey({
        ...common,
        type,
        kty: 'RSA',
        bits: details.modulusLength ?? 0,
        pss: {
          hash: details.hashAlgorithm,
          mgf1Hash: details.mgf1HashAlgorithm,
          saltLength: details.saltLength,
        },
      })
    case 'ec': {
      const crv = NODE_CURVE_TO_CRV[details.namedCurve ?? '']
      if (!crv)
        throw new JOSENotSupported('this EC curve has no JOSE name (use P-256, P-384, P-521 or secp256k1)')
      return createJoseKey({ ...common, type, kty: 'EC', crv, bits: CRV_BITS[crv]! })
    }
    default: {
      const crv = OKP_TYPES[keyObject.asymmetricKeyType ?? '']
      if (!crv) throw new JOSENotSupported(`"${keyObject.asymmetricKeyType}" keys have no JOSE algorithm`)
      return createJoseKey({ ...common, type, kty: 'OKP', crv, bits: CRV_BITS[crv]! })
    }
  }
}

function bindingOf(jwk: JWK, alg: string | undefined): Binding {
  return { alg: alg ?? jwk.alg, use: jwk.use, keyOps: jwk.key_ops, kid: jwk.kid }
}

export function importJwk(jwk: JWK, alg: string | undefined): JoseKey<KeyObject> {
  if (jwk.kty === 'oct')
    return wrapKeyObject(createSecretKey(Buffer.from(jwk.k!, 'base64url')), bindingOf(jwk, alg))
  // Node reads only the members its key type defines; pass exactly those (no alg/use that could confuse it).
  const material: Record<string, unknown> = { kty: jwk.kty }
  for (const member of ['crv', 'x', 'y', 'n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi']) {
    if (jwk[member] !== undefined) material[member] = jwk[member]
  }
  let keyObject: KeyObject
  try {
    keyObject =
      jwk.d !== undefined
        ? createPrivateKey({ key: material as import('node:crypto').JsonWebKey, format: 'jwk' })
        : createPublicKey({ key: material as import('node:crypto').JsonWebKey, format: 'jwk' })
  } catch {
    throw new JWKInvalid(
      `the ${jwk.kty} JWK does not describe a valid key (a point off the curve, or inconsistent values)`,
    )
  }
  const key = wrapKeyObject(keyObject, bindingOf(jwk, alg))
  if (key.kty === 'OKP' && key.crv !== jwk.crv) throw new JWKInvalid('the OKP key does not match its "crv"')
  return key
}

export function importSecret(bytes: Uint8Array, alg: string | undefined): JoseKey<KeyObject> {
  // An empty secret is the weakest possible key; refused here so no algorithm can ever use one.
  if (bytes.length === 0) throw new KeyTooWeak('a secret must not be empty')
  return wrapKeyObject(createSecretKey(Buffer.from(bytes)), { alg })
}

const PEM_BLOCK = /^-----BEGIN ([A-Z0-9 ]+)-----\r?\n([A-Za-z0-9+/=\r\n]+)-----END \1-----\s*$/

export function importPem(pem: string, alg: string | undefined): JoseKey<KeyObject> {
  if (typeof pem !== 'string') throw new PEMInvalid('a PEM must be a string')
  const match = PEM_BLOCK.exec(pem.trim() + '\n')
  if (!match) throw new PEMInvalid('the text is not one PEM block (-----BEGIN …----- … -----END …-----)')
  const label = match[1]
  try {
    switch (label) {
      case 'PUBLIC KEY':
        return wrapKeyObject(createPublicKey({ key: pem, format: 'pem', type: 'spki' }), { alg })
      case 'PRIVATE KEY':
        return wrapKeyObject(createPrivateKey({ key: pem, format: 'pem', type: 'pkcs8' }), { alg })
      case 'CERTIFICATE':
        return wrapKeyObject(new X509Certificate(pem).publicKey, { alg })
    }
  } catch (error) {
    if (error instanceof JOSENotSupported) throw error
    throw new PEMInvalid(`the ${label} PEM block does not hold a valid key`)
  }
  throw new PEMInvalid(
    `PEM blocks labelled "${label}" are not accepted: use SPKI ("PUBLIC KEY"), PKCS#8 ("PRIVATE KEY") or an X.509 ` +
      '"CERTIFICATE" (convert with `openssl pkcs8 -topk8 -nocrypt` or `openssl pkey -pubout`)',
  )
}

function assertExportable(key: JoseKey): void {
  if (key.type === 'private' || key.type === 'secret') {
    if (!key.extractable) {
      throw new KeyUsageForbidden(
        'this key was created non-extractable; generate it with { extractable: true }',
      )
    }
  }
}

export function exportJwk(key: JoseKey<KeyObject>): JWK {
  assertExportable(key)
  // JWK has no way to say "RSA-PSS only, with these parameters" (Node throws a plain Error for such keys).
  if (key.pss !== undefined) {
    throw new JOSENotSupported('an RSA-PSS-restricted key has no JWK form; export it with exportPEM')
  }
  const jwk: JWK =
    key.type === 'secret'
      ? { kty: 'oct', k: key.handle.export().toString('base64url') }
      : (key.handle.export({ format: 'jwk' }) as JWK)
  if (key.kid !== undefined) jwk.kid = key.kid
  if (key.alg !== undefined) jwk.alg = key.alg
  if (key.use !== undefined) jwk.use = key.use
  if (key.keyOps !== undefined) jwk.key_ops = [...key.keyOps]
  return jwk
}

export function exportPem(key: JoseKey<KeyObject>): string {
  if (key.type === 'secret')
    throw new KeyInputInvalid('secret keys have no PEM form; export them with exportJWK')
  assertExportable(key)
  return key.type === 'public'
    ? (key.handle.export({ format: 'pem', type: 'spki' }) as string)
    : (key.handle.export({ format: 'pem', type: 'pkcs8' }) as string)
}

export function publicKeyOf(key: JoseKey<KeyObject>): JoseKey<KeyObject> {
  if (key.type === 'public') return key
  if (key.type === 'secret') throw new KeyInputInvalid('a secret key has no public half')
  return wrapKeyObject(createPublicKey(key.handle), {
    alg: key.alg,
    use: key.use,
    keyOps: key.keyOps?.filter((op) => op === 'verify' || op === 'encrypt' || op === 'wrapKey'),
    kid: key.kid,
  })
}

const CRV_TO_NODE: Record<string, string> = {
  'P-256': 'prime256v1',
  'P-384': 'secp384r1',
  'P-521': 'secp521r1',
  secp256k1: 'secp256k1',
}

export function generateKeyPair(spec: KeySpec, alg: string, extractable: boolean): KeyPair {
  let pair: { publicKey: KeyObject; privateKey: KeyObject }
  switch (spec.kty) {
    case 'RSA':
      pair = generateKeyPairSync('rsa', {
        modulusLength: spec.modulusLength,
        publicExponent: spec.publicExponent,
      })
      break
    case 'EC':
      pair = generateKeyPairSync('ec', { namedCurve: CRV_TO_NODE[spec.crv]! })
      break
    case 'OKP':
      pair = generateKeyPairSync(spec.crv.toLowerCase() as 'ed25519', {})
      break
  }
  return {
    publicKey: wrapKeyObject(pair.publicKey, { alg }),
    privateKey: wrapKeyObject(pair.privateKey, { alg, extractable }),
  }
}

export function generateSecret(bytes: Uint8Array, alg: string, extractable: boolean): JoseKey<KeyObject> {
  return wrapKeyObject(createSecretKey(Buffer.from(bytes)), { alg, extractable })
}

/** A node:crypto KeyObject, or a WebCrypto CryptoKey (which Node converts without copying policy). */
export function toKeyObject(value: unknown): KeyObject | undefined {
  if (value instanceof KeyObject) return value
  const CryptoKeyClass = (globalThis as { CryptoKey?: abstract new () => object }).CryptoKey
  if (CryptoKeyClass && value instanceof CryptoKeyClass) return KeyObject.from(value as CryptoKey)
  return undefined
}

export type { Kty }
