/**
 * @module Decoding the parts of a JWE (IV, ciphertext, tag, encrypted key, AAD) and the size limit,
 * which is checked on the raw input before any of them is decoded.
 */
import { JOSEInputTooLarge, JWEInvalid } from '../errors.js'
import { decodeBase64url } from '../util/base64url.js'
import { isJsonObject } from '../util/json.js'

export function checkJweLength(length: number, limit: number): void {
  if (length > limit) {
    throw new JOSEInputTooLarge(
      `the JWE is ${length} characters, over the limit of ${limit} (maxTokenLength)`,
    )
  }
}

/** Sums the JSON serialization's string members (and its header objects) without decoding anything. */
export function jsonJweLength(jwe: Record<string, unknown>): number {
  let length = 0
  const add = (value: unknown) => {
    if (typeof value === 'string') length += value.length
    else if (isJsonObject(value)) length += JSON.stringify(value).length
  }
  for (const value of Object.values(jwe)) add(value)
  if (Array.isArray(jwe.recipients)) {
    for (const entry of jwe.recipients)
      if (isJsonObject(entry)) for (const value of Object.values(entry)) add(value)
  }
  return length
}

export function decodePart(segment: unknown, name: string): Uint8Array {
  if (typeof segment !== 'string') throw new JWEInvalid(`the JWE "${name}" must be a string`)
  const bytes = decodeBase64url(segment)
  if (!bytes) throw new JWEInvalid(`the JWE "${name}" is not canonical base64url`)
  return bytes
}

export function optionalPart(segment: unknown, name: string): Uint8Array | undefined {
  return segment === undefined ? undefined : decodePart(segment, name)
}
