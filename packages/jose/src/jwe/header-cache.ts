/**
 * @module The decoded, checked protected header of a compact JWE, cached by its segment text (why that is
 * safe: util/segment-cache.ts). Parsing and checking it was about a third of a `dir`+A256GCM decrypt's
 * AES-GCM time (profile in docs/benchmarks.md); the AAD bytes are the same segment's, so they ride along.
 */
import { asciiBytes } from '../util/bytes.js'
import { deepFreeze } from '../util/freeze.js'
import { SegmentCache } from '../util/segment-cache.js'
import { type CheckedJweHeader, checkJweHeader, decodeJweProtectedHeader } from './header.js'
import type { JWEHeaderParameters } from './types.js'

export interface DecodedJweHeader {
  /** Deep-frozen, like `checked`: the same objects go to every caller whose token carries this segment. */
  protectedHeader: JWEHeaderParameters
  checked: CheckedJweHeader
  /** ASCII(BASE64URL(protected)), the compact serialization's AAD (RFC 7516 §5.1 step 14). Read only. */
  aad: Uint8Array
}

function decode(segment: string, crit: Readonly<Record<string, boolean>> | undefined): DecodedJweHeader {
  const protectedHeader = decodeJweProtectedHeader(segment)
  const checked = checkJweHeader(protectedHeader, undefined, undefined, crit)
  return Object.freeze({
    protectedHeader: deepFreeze(protectedHeader),
    checked: deepFreeze(checked),
    aad: asciiBytes(segment),
  })
}

const shared = new SegmentCache<DecodedJweHeader>(64)
const decodeWithoutCrit = (segment: string): DecodedJweHeader => decode(segment, undefined)

/** Shared by every caller passing no `crit` option (then the result depends on the segment alone). */
export function compactJweHeader(
  segment: string,
  crit: Readonly<Record<string, boolean>> | undefined,
): DecodedJweHeader {
  return crit === undefined ? shared.get(segment, decodeWithoutCrit) : decode(segment, crit)
}
