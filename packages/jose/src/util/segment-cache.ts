/**
 * @module Bounded caches keyed by the exact text of a header segment. A protected header repeats on every
 * token of one issuer and key, and base64url text → bytes → JSON → checks is a deterministic function of
 * that text, so a hit is exactly the decision the parse would make again. Only successes are stored, values
 * are frozen by their makers (several callers share them), and a full cache is simply cleared, so an
 * attacker sending ever-new headers costs us the parse we would have done anyway, never memory or a wrong
 * answer.
 */

/** Segments longer than this are parsed every time: real headers are ~40–200 characters. */
const MAX_SEGMENT_LENGTH = 1024

/** A map from segment text to a derived value, holding at most `max` entries and short segments only. */
export class SegmentCache<V> {
  readonly #entries = new Map<string, V>()
  readonly #max: number

  constructor(max: number) {
    this.#max = max
  }

  /** The cached value for `segment`, or `make(segment)` (stored when it returns; a throw stores nothing). */
  get(segment: string, make: (segment: string) => V): V {
    let value = this.#entries.get(segment)
    if (value === undefined) {
      value = make(segment)
      if (segment.length <= MAX_SEGMENT_LENGTH) {
        if (this.#entries.size >= this.#max) this.#entries.clear()
        this.#entries.set(segment, value)
      }
    }
    return value
  }
}
