/**
 * @module Decryption options, checked once: the two allow-lists and the three limits. A limit that
 * cannot be read is an error, never a silent "unlimited".
 */
import { JOSEOptionInvalid } from '../errors.js'
import { type JweAllowList, jweAllowList } from './allow-list.js'
import { checkMaxDecompressedLength } from './compression.js'
import { checkMaxCount } from './pbes2.js'
import type { DecryptOptions } from './types.js'

/** 256 KiB: a JWE bigger than this is not a token; refused before any decoding. */
export const DEFAULT_MAX_JWE_LENGTH = 256 * 1024

export interface DecryptPolicy {
  allowed: JweAllowList
  maxDecompressedLength: number
  maxPBES2Count: number
  maxTokenLength: number
  crit: Readonly<Record<string, boolean>> | undefined
}

export function decryptPolicy(options: DecryptOptions | undefined): DecryptPolicy {
  const given = options ?? {}
  const allowed = jweAllowList(given)
  const maxTokenLength = given.maxTokenLength ?? DEFAULT_MAX_JWE_LENGTH
  if (typeof maxTokenLength !== 'number' || !Number.isSafeInteger(maxTokenLength) || maxTokenLength < 1) {
    throw new JOSEOptionInvalid('maxTokenLength must be a positive integer number of characters')
  }
  if (given.crit !== undefined && (typeof given.crit !== 'object' || given.crit === null)) {
    throw new JOSEOptionInvalid('crit must be an object of extension names to true')
  }
  return {
    allowed,
    maxDecompressedLength: checkMaxDecompressedLength(given.maxDecompressedLength),
    maxPBES2Count: checkMaxCount(given.maxPBES2Count),
    maxTokenLength,
    crit: given.crit,
  }
}
