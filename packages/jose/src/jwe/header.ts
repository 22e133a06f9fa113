/**
 * @module JWE header checks shared by every serialization: decoding the protected header, disjoint
 * names across the three headers (RFC 7516 §7.2.1), `zip` only where it is integrity-protected, and
 * `crit` (RFC 7515 §4.1.11 as RFC 7516 §4.1.13 adopts it).
 */
import { JOSENotSupported, JWEInvalid } from '../errors.js'
import { decodeBase64url } from '../util/base64url.js'
import { isJsonObject } from '../util/json.js'
import { checkCrit, decodeHeaderSegment } from '../util/protected-header.js'
import type { JWEHeaderParameters } from './types.js'

/** JWE defines no extension of its own that `crit` may name. */
const NO_BUILT_IN_CRIT: Readonly<Record<string, boolean>> = {}

export function decodeJweProtectedHeader(segment: string): JWEHeaderParameters {
  return decodeHeaderSegment(segment, JWEInvalid) as JWEHeaderParameters
}

export interface CheckedJweHeader {
  joined: JWEHeaderParameters
  alg: string
  enc: string
  zip: boolean
}

function optionalObject(value: unknown, member: string): JWEHeaderParameters | undefined {
  if (value === undefined) return undefined
  if (!isJsonObject(value) || Object.hasOwn(value, '__proto__')) {
    throw new JWEInvalid(`the JWE "${member}" member must be a JSON object`)
  }
  return value as JWEHeaderParameters
}

/** Checks one recipient's view: protected + shared unprotected + per-recipient header. */
export function checkJweHeader(
  protectedHeader: JWEHeaderParameters | undefined,
  sharedHeader: unknown,
  recipientHeader: unknown,
  understood: Readonly<Record<string, boolean>> | undefined,
): CheckedJweHeader {
  const shared = optionalObject(sharedHeader, 'unprotected')
  const recipient = optionalObject(recipientHeader, 'header')
  const parts = [protectedHeader, shared, recipient].filter((part) => part !== undefined)
  const joined: JWEHeaderParameters = {}
  for (const part of parts) {
    for (const name of Object.keys(part)) {
      if (Object.hasOwn(joined, name)) {
        throw new JWEInvalid(
          `the header parameter "${name.slice(0, 32)}" appears in more than one header (RFC 7516 §7.2.1)`,
        )
      }
      joined[name] = part[name]
    }
  }
  for (const part of [shared, recipient]) {
    if (part?.zip !== undefined) {
      throw new JWEInvalid(
        '"zip" must be in the protected header (RFC 7516 §4.1.3): an unprotected one could be swapped',
      )
    }
    if (part?.crit !== undefined) throw new JWEInvalid('"crit" must be in the protected header')
  }
  const { alg, enc, zip } = joined
  if (typeof alg !== 'string' || alg === '')
    throw new JWEInvalid('the JWE header needs "alg", a non-empty string')
  if (typeof enc !== 'string' || enc === '')
    throw new JWEInvalid('the JWE header needs "enc", a non-empty string')
  if (zip !== undefined && zip !== 'DEF') {
    throw new JOSENotSupported(
      `"zip": "${String(zip).slice(0, 16)}" is not supported; only "DEF" is (RFC 7518 §7.3)`,
    )
  }
  checkCrit(protectedHeader, NO_BUILT_IN_CRIT, understood, JWEInvalid, 'decrypter')
  return { joined, alg, enc, zip: zip === 'DEF' }
}

/** A base64url header member decoded, or JWEInvalid naming it. */
export function headerBytes(
  header: JWEHeaderParameters,
  member: string,
  required: boolean,
): Uint8Array | undefined {
  const value = header[member]
  if (value === undefined) {
    if (required) throw new JWEInvalid(`the JWE header needs "${member}" for "${header.alg}"`)
    return undefined
  }
  const bytes = typeof value === 'string' ? decodeBase64url(value) : undefined
  if (!bytes) throw new JWEInvalid(`the JWE header's "${member}" is not canonical base64url`)
  return bytes
}
