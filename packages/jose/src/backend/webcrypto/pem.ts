/**
 * @module PEM text (RFC 7468) to DER and back, with the platform's atob/btoa (no Buffer: this file runs
 * in browsers and edge runtimes).
 */
import { PEMInvalid } from '../../errors.js'

const PEM_BLOCK = /^-----BEGIN ([A-Z0-9 ]+)-----\r?\n([A-Za-z0-9+/=\r\n]+)-----END \1-----\s*$/

export interface PemBlock {
  label: string
  der: Uint8Array
}

/** Exactly one PEM block (the same grammar the Node backend accepts). */
export function decodePem(pem: unknown): PemBlock {
  if (typeof pem !== 'string') throw new PEMInvalid('a PEM must be a string')
  const match = PEM_BLOCK.exec(pem.trim() + '\n')
  if (!match) throw new PEMInvalid('the text is not one PEM block (-----BEGIN …----- … -----END …-----)')
  let binary: string
  try {
    binary = atob(match[2]!.replace(/[\r\n]/g, ''))
  } catch {
    throw new PEMInvalid(`the ${match[1]} PEM block is not valid base64`)
  }
  const der = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) der[i] = binary.charCodeAt(i)
  return { label: match[1]!, der }
}

/** DER as a PEM block: 64-character lines and a final newline, like OpenSSL writes it. */
export function encodePem(label: string, der: Uint8Array): string {
  let binary = ''
  for (let i = 0; i < der.length; i++) binary += String.fromCharCode(der[i]!)
  const body = btoa(binary).replace(/.{64}/g, '$&\n')
  return `-----BEGIN ${label}-----\n${body}${body.endsWith('\n') ? '' : '\n'}-----END ${label}-----\n`
}
