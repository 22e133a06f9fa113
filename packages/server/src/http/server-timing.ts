/**
 * @module The `Server-Timing` header of an authenticated request: each named part of the work timed with
 * `process.hrtime` inside the request, and a `total` taken from the same clock when the header is written,
 * so the parts (run one after another inside it) never sum to more than the whole.
 */

/** The parts a request can report, with the words the header gives them (`desc`). */
export const TIMING_PARTS = {
  // An issuer's verifier may keep a cache of verified tokens: a hit is not a signature check, say so.
  signature: 'signature check, or a hit in the verified-token cache',
  revocation: 'revocation-set check',
  session: 'session lookup in the store',
  sid: 'signature check + session-id lookup in the store',
  user: 'user lookup in the store',
} as const

export type TimingPart = keyof typeof TIMING_PARTS

// Microsecond steps, parts rounded down and the total up: rounding cannot make the parts exceed it.
const down = (ns: bigint) => (Math.floor(Number(ns) / 1000) / 1000).toFixed(3)
const up = (ns: bigint) => (Math.ceil(Number(ns) / 1000) / 1000).toFixed(3)

export class ServerTiming {
  readonly #start = process.hrtime.bigint()
  readonly #parts: { name: TimingPart; ns: bigint }[] = []

  /** Runs `work` as the part `name` (synchronous or a promise) and records how long it took. */
  time<T>(name: TimingPart, work: () => T): T {
    const start = process.hrtime.bigint()
    const done = () => {
      this.#parts.push({ name, ns: process.hrtime.bigint() - start })
    }
    let result: T
    try {
      result = work()
    } catch (error) {
      done()
      throw error
    }
    if (result instanceof Promise) {
      return result.then(
        (value) => {
          done()
          return value
        },
        (error: unknown) => {
          done()
          throw error
        },
      ) as T
    }
    done()
    return result
  }

  /** The header value: every part in the order it ran, then `total` (from creation until now). */
  header(): string {
    const total = process.hrtime.bigint() - this.#start
    return [
      ...this.#parts.map(({ name, ns }) => `${name};desc="${TIMING_PARTS[name]}";dur=${down(ns)}`),
      `total;dur=${up(total)}`,
    ].join(', ')
  }
}

/** Starts timing a request; call it first thing in the handler. */
export function startTiming(): ServerTiming {
  return new ServerTiming()
}
