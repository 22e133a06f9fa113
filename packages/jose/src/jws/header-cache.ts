/**
 * @module The decoded, checked protected header of a compact JWS, cached by its segment text
 * (util/segment-cache.ts says why that is safe). Decoding + checking it was a third of an async HS256
 * verify (`npm run bench -- --profile`, docs/benchmarks.md).
 */
import { deepFreeze } from '../util/freeze.js'
import { SegmentCache } from '../util/segment-cache.js'
import { type CheckedHeader, checkJwsHeader } from './header.js'
import { decodeProtectedSegment } from './segments.js'
import type { JWSHeaderParameters } from './types.js'

export interface DecodedHeader extends CheckedHeader {
  /** Deep-frozen: the same object is handed to every caller whose token carries this segment. */
  protectedHeader: JWSHeaderParameters
}

/** Decodes and checks a compact protected header segment (no unprotected header, caller's `crit` names). */
export function decodeCheckedHeader(
  segment: string,
  crit: Readonly<Record<string, boolean>> | undefined,
): DecodedHeader {
  const protectedHeader = decodeProtectedSegment(segment)
  const { alg, b64 } = checkJwsHeader(protectedHeader, undefined, crit)
  return Object.freeze({ protectedHeader: deepFreeze(protectedHeader), alg, b64 })
}

const shared = new SegmentCache<DecodedHeader>(64)
const decodeWithoutCrit = (segment: string): DecodedHeader => decodeCheckedHeader(segment, undefined)

/**
 * The decoded, checked header of a compact JWS. Stateless callers (`compactVerify`, `verifyJWT`) share one
 * process-wide cache when they pass no `crit` option — the common case, and the only one where the result
 * depends on the segment alone; with `crit` the header is parsed every time.
 */
export function compactHeader(
  segment: string,
  crit: Readonly<Record<string, boolean>> | undefined,
): DecodedHeader {
  return crit === undefined ? shared.get(segment, decodeWithoutCrit) : decodeCheckedHeader(segment, crit)
}
