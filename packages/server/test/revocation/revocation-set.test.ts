/**
 * @module The in-memory revocation set on its own (a manual clock): what it refuses, when an entry is
 * dropped, what a user enabled again means, and the feed's arrival order.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { manualClock } from '../../src/clock.js'
import { parseEvent } from '../../src/revocation/events.js'
import { RevocationSet } from '../../src/revocation/revocation-set.js'

const WINDOW = 960_000

test('an ended session is refused until every token it could affect has expired, then dropped', () => {
  const clock = manualClock(1_000_000)
  const set = new RevocationSet(clock, WINDOW)
  assert.equal(set.apply({ type: 'session', id: 'fam-1', at: clock() }), true)
  assert.equal(set.refused('fam-1', 'user-1'), 'session')
  assert.equal(set.refused('fam-2', 'user-1'), undefined)
  clock.advance(WINDOW - 1)
  assert.equal(set.refused('fam-1', 'user-1'), 'session')
  clock.advance(1)
  assert.equal(set.refused('fam-1', 'user-1'), undefined)
  set.prune()
  assert.deepEqual(set.size, { sessions: 0, users: 0 })
  assert.deepEqual(set.eventsAfter(0), [])
})

test('a disabled user is refused on every session; enabled again, only the ended sessions stay refused', () => {
  const clock = manualClock(1_000_000)
  const set = new RevocationSet(clock, WINDOW)
  set.apply({ type: 'session', id: 'fam-1', at: clock() })
  set.apply({ type: 'user', id: 'user-1', at: clock(), disabled: true })
  assert.equal(set.refused('fam-9', 'user-1'), 'user')
  clock.advance(1000)
  set.apply({ type: 'user', id: 'user-1', at: clock(), disabled: false })
  assert.equal(set.refused('fam-9', 'user-1'), undefined)
  assert.equal(set.refused('fam-1', 'user-1'), 'session')
})

test('duplicates (two transports, a reload) change nothing and are not logged twice; events past their window are ignored', () => {
  const clock = manualClock(5_000_000)
  const set = new RevocationSet(clock, WINDOW)
  assert.equal(set.apply({ type: 'session', id: 'fam-1', at: clock() }), true)
  assert.equal(set.apply({ type: 'session', id: 'fam-1', at: clock() }), false)
  assert.equal(
    set.load({ families: [{ id: 'fam-1', userId: 'u', revokedAt: clock() }], disabledUsers: [] }),
    0,
  )
  assert.equal(set.apply({ type: 'session', id: 'old', at: clock() - WINDOW }), false)
  assert.equal(set.seq, 1)
  set.apply({ type: 'session', id: 'fam-2', at: clock() })
  assert.deepEqual(
    set.eventsAfter(1).map((e) => e.id),
    ['fam-2'],
  )
  assert.deepEqual(
    set.eventsAfter(0).map((e) => e.id),
    ['fam-1', 'fam-2'],
  )
})

test('a notice from the wire is parsed strictly', () => {
  assert.deepEqual(parseEvent({ type: 'session', id: 'abc', at: 1 }), { type: 'session', id: 'abc', at: 1 })
  for (const bad of [
    null,
    'x',
    { type: 'session', id: 'abc' },
    { type: 'session', id: 'a b', at: 1 },
    { type: 'session', id: 'abc', at: -1 },
    { type: 'session', id: 'abc', at: 1.5 },
    { type: 'user', id: 'abc', at: 1 },
    { type: 'other', id: 'abc', at: 1 },
    { type: 'session', id: 'x'.repeat(201), at: 1 },
  ])
    assert.equal(parseEvent(bad), undefined, JSON.stringify(bad))
})
