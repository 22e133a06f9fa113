/**
 * @module A small, bounded DER reader: just enough to find the key algorithm of an SPKI / PKCS#8 and the
 * SubjectPublicKeyInfo inside an X.509 certificate (RFC 5280 §4.1). Parsing only, no crypto.
 *
 * Bounded on purpose: single-byte tags, definite lengths of at most 4 bytes, every element checked to lie
 * inside its parent, and no recursion, so hostile input costs at most one pass over its bytes.
 */
import { PEMInvalid } from '../../errors.js'

export const TAG = { integer: 0x02, bitString: 0x03, octetString: 0x04, oid: 0x06, sequence: 0x30 } as const

export interface Tlv {
  tag: number
  /** Offset of the tag byte. */
  offset: number
  /** Offset of the first content byte. */
  start: number
  /** Offset just past the last content byte. */
  end: number
}

function invalid(what: string): never {
  throw new PEMInvalid(`the DER inside the PEM block is malformed (${what})`)
}

/** Reads the element at `offset`, which must end by `limit`. */
export function readTlv(der: Uint8Array, offset: number, limit: number): Tlv {
  if (offset + 2 > limit) invalid('truncated element')
  const tag = der[offset]!
  if ((tag & 0x1f) === 0x1f) invalid('multi-byte tag')
  let length = der[offset + 1]!
  let start = offset + 2
  if (length & 0x80) {
    const count = length & 0x7f
    // 0x80 is BER's indefinite length, which DER forbids; more than 4 bytes is far beyond any key.
    if (count === 0 || count > 4) invalid('unsupported length encoding')
    if (start + count > limit) invalid('truncated length')
    length = 0
    for (let i = 0; i < count; i++) length = length * 256 + der[start + i]!
    start += count
  }
  const end = start + length
  if (end > limit) invalid('element longer than its container')
  return { tag, offset, start, end }
}

/** Reads the element at `offset` inside `parent` and checks its tag. */
export function expectTlv(der: Uint8Array, offset: number, parent: Tlv, tag: number, what: string): Tlv {
  const tlv = readTlv(der, offset, parent.end)
  if (tlv.tag !== tag) invalid(`expected ${what}`)
  return tlv
}

/** The outermost element, which must span all of `der`. */
export function readRoot(der: Uint8Array): Tlv {
  const root = readTlv(der, 0, der.length)
  if (root.tag !== TAG.sequence || root.end !== der.length) invalid('not one SEQUENCE')
  return root
}

/** An OBJECT IDENTIFIER's content bytes as lowercase hex (compared against known OIDs). */
export function oidHex(der: Uint8Array, tlv: Tlv): string {
  let out = ''
  for (let i = tlv.start; i < tlv.end; i++) out += der[i]!.toString(16).padStart(2, '0')
  return out
}

export interface KeyAlgorithmId {
  /** The key algorithm OID, hex. */
  oid: string
  /** The parameters' OID (the named curve of an EC key), hex, when the parameters are one. */
  parameter?: string
}

function algorithmIdentifier(der: Uint8Array, offset: number, parent: Tlv): KeyAlgorithmId {
  const algId = expectTlv(der, offset, parent, TAG.sequence, 'an AlgorithmIdentifier')
  const oid = expectTlv(der, algId.start, algId, TAG.oid, 'an algorithm OID')
  if (oid.end < algId.end) {
    const parameter = readTlv(der, oid.end, algId.end)
    if (parameter.tag === TAG.oid) return { oid: oidHex(der, oid), parameter: oidHex(der, parameter) }
  }
  return { oid: oidHex(der, oid) }
}

/** SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING } */
export function spkiAlgorithm(der: Uint8Array): KeyAlgorithmId {
  const root = readRoot(der)
  const id = algorithmIdentifier(der, root.start, root)
  const algId = readTlv(der, root.start, root.end)
  expectTlv(der, algId.end, root, TAG.bitString, 'the public key BIT STRING')
  return id
}

/** PrivateKeyInfo ::= SEQUENCE { version INTEGER, privateKeyAlgorithm AlgorithmIdentifier, privateKey OCTET STRING, … } */
export function pkcs8Algorithm(der: Uint8Array): KeyAlgorithmId {
  const root = readRoot(der)
  const version = expectTlv(der, root.start, root, TAG.integer, 'the PKCS#8 version')
  const id = algorithmIdentifier(der, version.end, root)
  const algId = readTlv(der, version.end, root.end)
  expectTlv(der, algId.end, root, TAG.octetString, 'the private key OCTET STRING')
  return id
}

/**
 * The DER of the SubjectPublicKeyInfo of an X.509 certificate:
 * Certificate ::= SEQUENCE { tbsCertificate SEQUENCE { [0] version OPTIONAL, serialNumber, signature,
 * issuer, validity, subject, subjectPublicKeyInfo, … }, signatureAlgorithm, signatureValue }
 */
export function certificateSpki(der: Uint8Array): Uint8Array {
  const root = readRoot(der)
  const tbs = expectTlv(der, root.start, root, TAG.sequence, 'the TBSCertificate')
  let element = readTlv(der, tbs.start, tbs.end)
  if (element.tag === 0xa0) element = readTlv(der, element.end, tbs.end)
  if (element.tag !== TAG.integer) invalid('expected the certificate serial number')
  // signature AlgorithmIdentifier, issuer Name, validity, subject Name: four SEQUENCEs to skip.
  for (let i = 0; i < 4; i++) element = expectTlv(der, element.end, tbs, TAG.sequence, 'a certificate field')
  const spki = expectTlv(der, element.end, tbs, TAG.sequence, 'the SubjectPublicKeyInfo')
  return der.slice(spki.offset, spki.end)
}
