/**
 * @module WebCrypto key import and generation: JWK, raw secrets, PEM (SPKI / PKCS#8 / X.509) and
 * CryptoKeys in; JoseKeys with the same type, curve and size facts the Node backend records out.
 */
import { jwsAlgorithm } from '../../alg/jws-algorithms.js'
import { JOSENotSupported, JOSEOptionInvalid, KeyTooWeak, PEMInvalid } from '../../errors.js'
import { createJoseKey, type JoseKey } from '../../jwk/key.js'
import type { KeySpec } from '../../jwk/spec.js'
import type { JWK, KeyType, Kty } from '../../jwk/types.js'
import { decodeBase64url, encodeBase64url } from '../../util/base64url.js'
import type { KeyPair } from '../types.js'
import { certificateSpki, type KeyAlgorithmId, pkcs8Algorithm, spkiAlgorithm } from './asn1.js'
import { bufferSource, createHandle, cryptoKeyFor, materialOf, type WebCryptoHandle } from './handle.js'
import {
  assertCurveSupported,
  CURVE_BITS,
  jwsKeyParams,
  type KeyParams,
  kindParams,
  notOnWebCrypto,
} from './params.js'
import { decodePem } from './pem.js'

export interface Binding {
  alg?: string | undefined
  use?: string | undefined
  keyOps?: readonly string[] | undefined
  kid?: string | undefined
  extractable?: boolean
}

interface KeyFacts {
  type: KeyType
  kty: Kty
  crv?: string | undefined
  bits: number
}

export function wrap(facts: KeyFacts, binding: Binding, handle: WebCryptoHandle): JoseKey<WebCryptoHandle> {
  return createJoseKey({
    ...facts,
    alg: binding.alg,
    use: binding.use,
    keyOps: binding.keyOps,
    kid: binding.kid,
    extractable: binding.extractable ?? true,
    handle,
  })
}

/** Bit length of a big-endian unsigned integer (an RSA modulus), as node:crypto's modulusLength reports it. */
function bitLength(bytes: Uint8Array): number {
  let i = 0
  while (i < bytes.length && bytes[i] === 0) i++
  if (i === bytes.length) return 0
  return (bytes.length - i - 1) * 8 + (32 - Math.clz32(bytes[i]!))
}

/** Type, kty, curve and size of JWK material (already structurally checked by jwk/validate.ts). */
function factsOf(material: JsonWebKey): KeyFacts {
  const kty = material.kty as Kty
  if (kty === 'oct') return { type: 'secret', kty, bits: decodeBase64url(material.k!)!.length * 8 }
  const type: KeyType = material.d !== undefined ? 'private' : 'public'
  if (kty === 'RSA') return { type, kty, bits: bitLength(decodeBase64url(material.n!)!) }
  assertCurveSupported(material.crv)
  return { type, kty, crv: material.crv, bits: CURVE_BITS[material.crv!]! }
}

/** Imports material once under its kind's neutral algorithm: bad points and inconsistent RSA values fail here. */
async function checkedKey(material: JsonWebKey, binding: Binding): Promise<JoseKey<WebCryptoHandle>> {
  const facts = factsOf(material)
  const key = wrap(facts, binding, createHandle(material))
  if (facts.kty !== 'oct') {
    const kind = kindParams(facts.kty, facts.crv)
    await cryptoKeyFor(key, kind.params, facts.type === 'private' ? kind.privateUsages : kind.publicUsages)
  }
  return key
}

export function importJwk(jwk: JWK, alg: string | undefined): Promise<JoseKey<WebCryptoHandle>> {
  return checkedKey(materialOf(jwk), { alg: alg ?? jwk.alg, use: jwk.use, keyOps: jwk.key_ops, kid: jwk.kid })
}

export function importSecret(bytes: Uint8Array, alg: string | undefined): JoseKey<WebCryptoHandle> {
  // An empty secret is the weakest possible key; refused here so no algorithm can ever use one (as on Node).
  if (bytes.length === 0) throw new KeyTooWeak('a secret must not be empty')
  return wrap(
    { type: 'secret', kty: 'oct', bits: bytes.length * 8 },
    { alg },
    createHandle({ kty: 'oct', k: encodeBase64url(bytes) }),
  )
}

/** Key algorithm OIDs (hex of the content bytes) and the key kind each names. */
const OID_KINDS: Record<string, { kty: Kty; crv?: string } | string> = {
  '2a864886f70d010101': { kty: 'RSA' }, // rsaEncryption 1.2.840.113549.1.1.1
  '2a8648ce3d0201': { kty: 'EC' }, // id-ecPublicKey 1.2.840.10045.2.1; the curve is the parameter
  '2b6570': { kty: 'OKP', crv: 'Ed25519' }, // 1.3.101.112 (RFC 8410)
  '2b656e': { kty: 'OKP', crv: 'X25519' }, // 1.3.101.110
  '2b6571': 'Ed448 keys', // 1.3.101.113
  '2b656f': 'X448 keys', // 1.3.101.111
  // id-RSASSA-PSS 1.2.840.113549.1.1.10: WebCrypto imports RSA keys only as rsaEncryption.
  '2a864886f70d01010a': 'RSA-PSS-restricted (id-RSASSA-PSS) keys',
}
const CURVE_OIDS: Record<string, string> = {
  '2a8648ce3d030107': 'P-256', // prime256v1 1.2.840.10045.3.1.7
  '2b81040022': 'P-384', // secp384r1 1.3.132.0.34
  '2b81040023': 'P-521', // secp521r1 1.3.132.0.35
  '2b8104000a': 'secp256k1', // 1.3.132.0.10
}

function kindOf(id: KeyAlgorithmId): { kty: Kty; crv?: string | undefined } {
  const kind = OID_KINDS[id.oid]
  if (typeof kind === 'string') throw notOnWebCrypto(kind)
  if (!kind) throw new JOSENotSupported('the PEM holds a key type JOSE has no algorithm for (e.g. DSA or DH)')
  if (kind.kty !== 'EC') return kind
  const crv = id.parameter === undefined ? undefined : CURVE_OIDS[id.parameter]
  if (!crv) throw new JOSENotSupported('the PEM holds an EC key on a curve JOSE has no name for')
  assertCurveSupported(crv)
  return { kty: 'EC', crv }
}

export async function importPem(pem: string, alg: string | undefined): Promise<JoseKey<WebCryptoHandle>> {
  if (alg === undefined) {
    throw new JOSEOptionInvalid(
      'importPEM needs the algorithm on WebCrypto, which binds every imported key to one: call importPEM(pem, "ES256")',
    )
  }
  const { label, der } = decodePem(pem)
  let format: 'spki' | 'pkcs8'
  let body: Uint8Array
  let id: KeyAlgorithmId
  switch (label) {
    case 'PUBLIC KEY':
      ;[format, body] = ['spki', der]
      id = spkiAlgorithm(body)
      break
    case 'PRIVATE KEY':
      ;[format, body] = ['pkcs8', der]
      id = pkcs8Algorithm(body)
      break
    case 'CERTIFICATE':
      ;[format, body] = ['spki', certificateSpki(der)]
      id = spkiAlgorithm(body)
      break
    default:
      throw new PEMInvalid(
        `PEM blocks labelled "${label}" are not accepted: use SPKI ("PUBLIC KEY"), PKCS#8 ("PRIVATE KEY") or an X.509 ` +
          '"CERTIFICATE" (convert with `openssl pkcs8 -topk8 -nocrypt` or `openssl pkey -pubout`)',
      )
  }
  const keyKind = kindOf(id)
  const kind = kindParams(keyKind.kty, keyKind.crv)
  let cryptoKey: CryptoKey
  try {
    const usages = format === 'pkcs8' ? kind.privateUsages : kind.publicUsages
    cryptoKey = await crypto.subtle.importKey(format, bufferSource(body), kind.params, true, usages)
  } catch {
    throw new PEMInvalid(`the ${label} PEM block does not hold a valid key`)
  }
  // The material is read back as a JWK so the key can serve any algorithm of its kind, like a JWK import.
  const material = materialOf(await crypto.subtle.exportKey('jwk', cryptoKey))
  return wrap(factsOf(material), { alg }, createHandle(material, cryptoKey))
}

/** What a caller's CryptoKey is, in JOSE terms. */
function factsOfCryptoKey(cryptoKey: CryptoKey): KeyFacts {
  const algorithm = cryptoKey.algorithm as KeyAlgorithm & {
    length?: number
    modulusLength?: number
    namedCurve?: string
  }
  const type = cryptoKey.type
  switch (algorithm.name) {
    case 'HMAC':
    case 'AES-KW':
    case 'AES-GCM':
    case 'AES-CBC':
    case 'AES-CTR':
      return { type, kty: 'oct', bits: algorithm.length ?? 0 }
    case 'RSASSA-PKCS1-v1_5':
    case 'RSA-PSS':
    case 'RSA-OAEP':
      return { type, kty: 'RSA', bits: algorithm.modulusLength ?? 0 }
    case 'ECDSA':
    case 'ECDH':
      assertCurveSupported(algorithm.namedCurve)
      return { type, kty: 'EC', crv: algorithm.namedCurve, bits: CURVE_BITS[algorithm.namedCurve!]! }
    case 'Ed25519':
    case 'X25519':
      return { type, kty: 'OKP', crv: algorithm.name, bits: 256 }
    case 'Ed448':
    case 'X448':
      throw notOnWebCrypto(`${algorithm.name} keys`)
    default:
      throw new JOSENotSupported(`"${algorithm.name}" CryptoKeys have no JOSE algorithm`)
  }
}

/** Wraps a caller's CryptoKey; undefined for anything else. */
export function importNative(value: unknown, alg: string | undefined): JoseKey<WebCryptoHandle> | undefined {
  const CryptoKeyClass = (globalThis as { CryptoKey?: abstract new () => CryptoKey }).CryptoKey
  if (!CryptoKeyClass || !(value instanceof CryptoKeyClass)) return undefined
  const facts = factsOfCryptoKey(value)
  // A public CryptoKey can always be read; a private or secret one only when the caller made it extractable.
  return wrap(
    facts,
    { alg, extractable: value.type === 'public' || value.extractable },
    createHandle(undefined, value),
  )
}

/**
 * JWS algorithms get a CryptoKey of their own algorithm, extractable only when asked. Other algorithms (the
 * JWE ones) get their kind's neutral algorithm and keep the material, so any algorithm of that kind can be
 * imported from it later; `extractable` is then enforced by this library, as on Node.
 */
function generationPlan(
  spec: KeySpec,
  alg: string,
): { params: KeyParams; usages: KeyUsage[]; strict: boolean } {
  const crv = spec.kty === 'RSA' ? undefined : spec.crv
  assertCurveSupported(crv)
  const entry = jwsAlgorithm(alg)
  if (entry) return { params: jwsKeyParams(entry, crv), usages: ['sign', 'verify'], strict: true }
  const kind = kindParams(spec.kty, crv)
  return {
    params: kind.params,
    usages: [...new Set([...kind.privateUsages, ...kind.publicUsages])],
    strict: false,
  }
}

export async function generateKeyPair(spec: KeySpec, alg: string, extractable: boolean): Promise<KeyPair> {
  const entry = jwsAlgorithm(alg)
  if (entry && !entry.webCrypto) throw notOnWebCrypto(alg)
  const plan = generationPlan(spec, alg)
  const params =
    spec.kty === 'RSA'
      ? { ...plan.params, modulusLength: spec.modulusLength, publicExponent: new Uint8Array([1, 0, 1]) }
      : plan.params
  const pair = (await crypto.subtle.generateKey(
    params,
    !plan.strict || extractable,
    plan.usages,
  )) as CryptoKeyPair
  const publicMaterial = materialOf(await crypto.subtle.exportKey('jwk', pair.publicKey))
  const publicKey = wrap(factsOf(publicMaterial), { alg }, createHandle(publicMaterial, pair.publicKey))
  const privateMaterial = pair.privateKey.extractable
    ? materialOf(await crypto.subtle.exportKey('jwk', pair.privateKey))
    : undefined
  const privateFacts = { ...factsOf(publicMaterial), type: 'private' as const }
  const privateKey = wrap(
    privateFacts,
    { alg, extractable },
    createHandle(privateMaterial, pair.privateKey, publicKey),
  )
  return { publicKey, privateKey }
}

export async function generateSecret(
  bytes: Uint8Array<ArrayBuffer>,
  alg: string,
  extractable: boolean,
): Promise<JoseKey<WebCryptoHandle>> {
  const entry = jwsAlgorithm(alg)
  const facts: KeyFacts = { type: 'secret', kty: 'oct', bits: bytes.length * 8 }
  if (entry?.family === 'hmac' && !extractable) {
    // WebCrypto keeps the secret: no copy stays in JavaScript memory.
    const cryptoKey = await crypto.subtle.importKey('raw', bytes, jwsKeyParams(entry, undefined), false, [
      'sign',
      'verify',
    ])
    bytes.fill(0)
    return wrap(facts, { alg, extractable }, createHandle(undefined, cryptoKey))
  }
  return wrap(facts, { alg, extractable }, createHandle({ kty: 'oct', k: encodeBase64url(bytes) }))
}
