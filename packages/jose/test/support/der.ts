/**
 * @module Test support: a minimal DER writer and a self-signed X.509 certificate builder (RFC 5280 §4.1),
 * so certificate import is tested on certificates made here, for keys made here (no opaque blobs).
 */
import { type KeyObject, sign } from 'node:crypto'

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length
  }
  return out
}

/** One DER element with a definite length (short form, or long form up to 2 bytes). */
export function tlv(tag: number, content: Uint8Array): Uint8Array {
  const n = content.length
  const header = n < 0x80 ? [tag, n] : n < 0x100 ? [tag, 0x81, n] : [tag, 0x82, n >> 8, n & 0xff]
  return concat(Uint8Array.from(header), content)
}

export const seq = (...parts: Uint8Array[]): Uint8Array => tlv(0x30, concat(...parts))
const oid = (hex: string): Uint8Array => tlv(0x06, Uint8Array.from(Buffer.from(hex, 'hex')))
const NULL = Uint8Array.from([0x05, 0x00])

// Signature algorithms (RFC 5758 §3.2, RFC 4055 §5, RFC 8410 §3), by the certificate key's type.
const SIGNATURE = {
  ec: { alg: seq(oid('2a8648ce3d040302')), hash: 'sha256' }, // ecdsa-with-SHA256
  rsa: { alg: seq(oid('2a864886f70d01010b'), NULL), hash: 'sha256' }, // sha256WithRSAEncryption
  ed25519: { alg: seq(oid('2b6570')), hash: null }, // Ed25519
} as const

function name(commonName: string): Uint8Array {
  // Name ::= SEQUENCE OF SET OF { type OID (2.5.4.3 commonName), value UTF8String }
  return seq(tlv(0x31, seq(oid('550403'), tlv(0x0c, new TextEncoder().encode(commonName)))))
}

/** A self-signed v3 certificate for `publicKey`, signed by `privateKey`, as PEM. */
export function selfSignedCertificate(publicKey: KeyObject, privateKey: KeyObject): string {
  const signature = SIGNATURE[publicKey.asymmetricKeyType as keyof typeof SIGNATURE]
  if (!signature) throw new Error(`no certificate signature algorithm for ${publicKey.asymmetricKeyType}`)
  const ascii = (s: string) => new TextEncoder().encode(s)
  const tbs = seq(
    tlv(0xa0, tlv(0x02, Uint8Array.from([2]))), // [0] EXPLICIT version v3
    tlv(0x02, Uint8Array.from([0x01, 0x23])), // serialNumber
    signature.alg,
    name('tessera test issuer'),
    seq(tlv(0x17, ascii('260101000000Z')), tlv(0x17, ascii('360101000000Z'))), // validity (UTCTime)
    name('tessera test subject'),
    publicKey.export({ type: 'spki', format: 'der' }),
  )
  const value = sign(signature.hash, tbs, privateKey)
  const der = seq(tbs, signature.alg, tlv(0x03, concat(Uint8Array.from([0]), value)))
  const body = Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n')
  return `-----BEGIN CERTIFICATE-----\n${body}${body.endsWith('\n') ? '' : '\n'}-----END CERTIFICATE-----\n`
}
