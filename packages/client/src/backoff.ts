/**
 * @module When to try a failed refresh again: exponential back-off with full jitter (1 s, 2 s, 4 s … at
 * most 60 s apart), so a provider that is down sees a few tabs trickle in, not a synchronised burst.
 */

const FIRST_MS = 1000
const MAX_MS = 60_000

export class Backoff {
  #failures = 0
  #notBefore = 0

  /** Records a failure at `now`; returns how long to wait before the next attempt. */
  fail(now: number): number {
    const ceiling = Math.min(MAX_MS, FIRST_MS * 2 ** this.#failures)
    this.#failures++
    // Full jitter between half the ceiling and the ceiling: never sooner than FIRST_MS / 2.
    const delay = Math.round(ceiling / 2 + Math.random() * (ceiling / 2))
    this.#notBefore = now + delay
    return delay
  }

  succeed(): void {
    this.#failures = 0
    this.#notBefore = 0
  }

  /** Milliseconds until the next attempt is allowed (0: now). */
  waitFrom(now: number): number {
    return Math.max(0, this.#notBefore - now)
  }

  get failures(): number {
    return this.#failures
  }
}
