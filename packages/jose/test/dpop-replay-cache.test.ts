/**
 * @module `createMemoryReplayCache`: an id is seen until its expiresAt and forgotten after; a full cache evicts
 * the entry closest to expiry (and counts it), never a random one, and never refuses new ids; bad input is an
 * option error. Time is a clock the test moves.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createMemoryReplayCache } from '../src/node.ts'
import { expectCodeSync } from './support/vectors.ts'

const T0 = 1_780_000_000

function clockAt(seconds: number) {
  const clock = { now: seconds * 1000, read: () => clock.now }
  return clock
}

test('an id is seen until its expiresAt, and forgotten after it', () => {
  const clock = clockAt(T0)
  const cache = createMemoryReplayCache({ clock: clock.read })
  assert.equal(cache.seen('a', T0 + 10), false)
  assert.equal(cache.seen('a', T0 + 10), true)
  clock.now = (T0 + 10) * 1000
  assert.equal(cache.seen('a', T0 + 20), true, 'still inside the window at expiresAt itself')
  clock.now = (T0 + 10) * 1000 + 1
  assert.equal(cache.size, 1)
  assert.equal(cache.seen('b', T0 + 30), false)
  assert.equal(cache.size, 1, 'a was dropped once expired')
  assert.equal(cache.seen('a', T0 + 30), false)
})

test('an id already past its expiresAt is not recorded (the verifier refuses such a proof as stale)', () => {
  const cache = createMemoryReplayCache({ clock: clockAt(T0).read })
  assert.equal(cache.seen('late', T0 - 1), false)
  assert.equal(cache.size, 0)
})

test('when full, the entry closest to expiry is evicted and counted; later ones stay', () => {
  const clock = clockAt(T0)
  const cache = createMemoryReplayCache({ maxEntries: 3, clock: clock.read })
  cache.seen('long', T0 + 300)
  cache.seen('short', T0 + 20)
  cache.seen('middle', T0 + 100)
  assert.equal(cache.seen('new', T0 + 300), false)
  assert.equal(cache.evicted, 1)
  assert.equal(cache.size, 3)
  assert.equal(cache.seen('long', T0 + 300), true)
  assert.equal(cache.seen('middle', T0 + 300), true)
  assert.equal(cache.seen('new', T0 + 300), true)
  assert.equal(
    cache.seen('short', T0 + 300),
    false,
    'the evicted id is the one with the shortest window left',
  )
})

test('expired entries are dropped before anything is evicted', () => {
  const clock = clockAt(T0)
  const cache = createMemoryReplayCache({ maxEntries: 2, clock: clock.read })
  cache.seen('a', T0 + 5)
  cache.seen('b', T0 + 300)
  clock.now = (T0 + 6) * 1000
  cache.seen('c', T0 + 306)
  assert.equal(cache.evicted, 0)
  assert.equal(cache.seen('b', T0 + 306), true)
})

test('a heap of many entries with mixed expiries evicts in expiry order', () => {
  const cache = createMemoryReplayCache({ maxEntries: 100, clock: clockAt(T0).read })
  const expiries = Array.from({ length: 100 }, (_, i) => T0 + 1 + ((i * 37) % 100))
  for (const [i, expiresAt] of expiries.entries()) cache.seen(`id-${i}`, expiresAt)
  for (let k = 0; k < 10; k++) cache.seen(`extra-${k}`, T0 + 1000)
  assert.equal(cache.evicted, 10)
  // The ten shortest windows (expiresAt T0+1 … T0+10) are the ones gone. Survivors are asked first: asking for
  // an evicted id records it again, which evicts another.
  const order = expiries.map((expiresAt, i) => ({ expiresAt, i })).sort((a, b) => b.expiresAt - a.expiresAt)
  for (const { expiresAt, i } of order) {
    assert.equal(cache.seen(`id-${i}`, T0 + 1000), expiresAt > T0 + 10, `id-${i} (expires ${expiresAt - T0})`)
  }
})

test('bad options and bad input are option errors', () => {
  for (const maxEntries of [0, -1, 1.5, Number.NaN]) {
    expectCodeSync(() => createMemoryReplayCache({ maxEntries }), 'ERR_JOSE_OPTION_INVALID')
  }
  const cache = createMemoryReplayCache()
  expectCodeSync(() => cache.seen('', T0), 'ERR_JOSE_OPTION_INVALID')
  expectCodeSync(() => cache.seen('x'.repeat(513), T0), 'ERR_JOSE_OPTION_INVALID')
  expectCodeSync(() => cache.seen('a', Number.POSITIVE_INFINITY), 'ERR_JOSE_OPTION_INVALID')
})
