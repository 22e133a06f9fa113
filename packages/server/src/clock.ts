/**
 * @module The clock services read: milliseconds since the epoch. Injected, so tests move time instead
 * of sleeping on it.
 */
export type Clock = () => number

export const systemClock: Clock = () => Date.now()

/** A clock tests can move: `clock.advance(ms)`. */
export interface ManualClock extends Clock {
  advance(ms: number): void
  set(ms: number): void
}

export function manualClock(start = Date.now()): ManualClock {
  let now = start
  const clock = (() => now) as ManualClock
  clock.advance = (ms) => {
    now += ms
  }
  clock.set = (ms) => {
    now = ms
  }
  return clock
}
