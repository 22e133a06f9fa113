/**
 * @module The refresh-rotation policy alone, branch by branch, with no store: every refusal, the
 * revocations, rotation, and the grace, idle and absolute boundaries to the millisecond.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { RotationRead } from '../../src/store/types.js'
import { decideRotation, type RotationInput } from '../../src/tokens/rotation-policy.js'
import {
  ABSOLUTE_MS,
  activeRead,
  familyRecord,
  IDLE_MS,
  rotatedRead,
  T0,
  tokenRecord,
  user,
} from './rotation-fixtures.js'

const GRACE = 15_000

const web = { id: 'tessera-web' }
const cli = { id: 'tessera-cli' }

function decide(read: RotationRead | undefined, over: Partial<RotationInput> = {}) {
  return decideRotation({ read, client: web, delivery: 'body', now: T0 + 1000, graceMs: GRACE, ...over })
}

describe('refusals that change nothing', () => {
  test('an unknown hash is refused as unknown', () => {
    assert.deepEqual(decide(undefined), { kind: 'refuse', reason: 'unknown' })
  })

  test('a cookie-bound family presented in the body is refused (wrong_delivery_cookie)', () => {
    const read = activeRead({ family: familyRecord({ cookieBound: true }) })
    assert.deepEqual(decide(read, { delivery: 'body' }), { kind: 'refuse', reason: 'wrong_delivery_cookie' })
  })

  test('a body family presented in the cookie is refused (wrong_delivery_body)', () => {
    assert.deepEqual(decide(activeRead(), { delivery: 'cookie' }), {
      kind: 'refuse',
      reason: 'wrong_delivery_body',
    })
  })

  test('a cookie-bound family presented in the cookie rotates', () => {
    const read = activeRead({ family: familyRecord({ cookieBound: true }) })
    assert.deepEqual(decide(read, { delivery: 'cookie' }), { kind: 'rotate' })
  })

  test('wrong delivery of a rotated token is refused, not called theft', () => {
    const read = rotatedRead(T0 - 60_000)
    assert.deepEqual(decide(read, { delivery: 'cookie' }), { kind: 'refuse', reason: 'wrong_delivery_body' })
  })

  test('a revoked family is refused as revoked', () => {
    const read = activeRead({ family: familyRecord({ revokedAt: T0, revokedReason: 'logout' }) })
    assert.deepEqual(decide(read), { kind: 'refuse', reason: 'revoked' })
  })

  test('a revoked token in a live family is refused as revoked', () => {
    assert.deepEqual(decide(activeRead({ token: tokenRecord({ state: 'revoked' }) })), {
      kind: 'refuse',
      reason: 'revoked',
    })
  })

  test('a revoked family is refused as revoked even when its user is disabled (nothing left to revoke)', () => {
    const read = activeRead({
      family: familyRecord({ revokedAt: T0, revokedReason: 'user_disabled' }),
      user: { ...user, disabled: true },
    })
    assert.deepEqual(decide(read), { kind: 'refuse', reason: 'revoked' })
  })

  test('another client presenting the active token is refused as client_mismatch', () => {
    assert.deepEqual(decide(activeRead(), { client: cli }), { kind: 'refuse', reason: 'client_mismatch' })
  })
})

describe('absolute lifetime', () => {
  test('one millisecond before absoluteExpiresAt the token still rotates', () => {
    const read = activeRead({ token: tokenRecord({ idleExpiresAt: T0 + ABSOLUTE_MS }) })
    assert.deepEqual(decide(read, { now: T0 + ABSOLUTE_MS - 1 }), { kind: 'rotate' })
  })

  test('at exactly absoluteExpiresAt it is expired_absolute', () => {
    const read = activeRead({ token: tokenRecord({ idleExpiresAt: T0 + ABSOLUTE_MS + 1 }) })
    assert.deepEqual(decide(read, { now: T0 + ABSOLUTE_MS }), { kind: 'refuse', reason: 'expired_absolute' })
  })

  test('a rotated token past the absolute lifetime is expired, not reuse', () => {
    const read = rotatedRead(T0 + ABSOLUTE_MS - 1000)
    assert.deepEqual(decide(read, { now: T0 + ABSOLUTE_MS }), { kind: 'refuse', reason: 'expired_absolute' })
  })
})

describe('idle lifetime', () => {
  test('one millisecond before idleExpiresAt the token rotates', () => {
    assert.deepEqual(decide(activeRead(), { now: T0 + IDLE_MS - 1 }), { kind: 'rotate' })
  })

  test('at exactly idleExpiresAt it is expired_idle', () => {
    assert.deepEqual(decide(activeRead(), { now: T0 + IDLE_MS }), { kind: 'refuse', reason: 'expired_idle' })
  })

  test('a token idle past its expiry and presented by another client is client_mismatch (checked first)', () => {
    assert.deepEqual(decide(activeRead(), { now: T0 + IDLE_MS, client: cli }), {
      kind: 'refuse',
      reason: 'client_mismatch',
    })
  })
})

describe('the user', () => {
  test('a disabled user ends the family before anything rotates', () => {
    assert.deepEqual(decide(activeRead({ user: { ...user, disabled: true } })), {
      kind: 'revoke',
      reason: 'user_disabled',
    })
  })

  test('a disabled user ends the family even inside the grace window', () => {
    const read = { ...rotatedRead(T0), user: { ...user, disabled: true } }
    assert.deepEqual(decide(read, { now: T0 + 1 }), { kind: 'revoke', reason: 'user_disabled' })
  })

  test('a user that no longer exists ends the family', () => {
    assert.deepEqual(decide(activeRead({ user: undefined })), { kind: 'revoke', reason: 'user_unknown' })
  })
})

describe('rotation', () => {
  test('the active token, presented by its client, in time, rotates', () => {
    assert.deepEqual(decide(activeRead()), { kind: 'rotate' })
  })
})

describe('replays of a rotated token', () => {
  const rotatedAt = T0 + 10_000

  test('inside the grace window, same client, live successor: the same successor (grace)', () => {
    const read = rotatedRead(rotatedAt)
    assert.deepEqual(decide(read, { now: rotatedAt + 10_000 }), { kind: 'grace', successor: read.successor })
  })

  test('at the very instant of rotation (concurrent requests): grace', () => {
    const read = rotatedRead(rotatedAt)
    assert.equal(decide(read, { now: rotatedAt }).kind, 'grace')
  })

  test('at exactly graceMs after the rotation: still grace (the window is inclusive)', () => {
    const read = rotatedRead(rotatedAt)
    assert.equal(decide(read, { now: rotatedAt + GRACE }).kind, 'grace')
  })

  test('one millisecond after the window: reuse, the family is revoked', () => {
    const read = rotatedRead(rotatedAt)
    assert.deepEqual(decide(read, { now: rotatedAt + GRACE + 1 }), { kind: 'revoke', reason: 'reuse' })
  })

  test('a zero grace window: a replay at the same millisecond is grace, one later is reuse', () => {
    const read = rotatedRead(rotatedAt)
    assert.equal(decide(read, { now: rotatedAt, graceMs: 0 }).kind, 'grace')
    assert.deepEqual(decide(read, { now: rotatedAt + 1, graceMs: 0 }), { kind: 'revoke', reason: 'reuse' })
  })

  test('another client inside the window: reuse', () => {
    const read = rotatedRead(rotatedAt)
    assert.deepEqual(decide(read, { now: rotatedAt + 1, client: cli }), { kind: 'revoke', reason: 'reuse' })
  })

  test('inside the window but the successor has itself rotated (an older token): reuse', () => {
    const read = rotatedRead(rotatedAt, {
      state: 'rotated',
      rotatedAt: rotatedAt + 1,
      successorHash: 'hash-2',
    })
    assert.deepEqual(decide(read, { now: rotatedAt + 2 }), { kind: 'revoke', reason: 'reuse' })
  })

  test('inside the window but the successor was revoked: reuse', () => {
    const read = rotatedRead(rotatedAt, { state: 'revoked' })
    assert.deepEqual(decide(read, { now: rotatedAt + 1 }), { kind: 'revoke', reason: 'reuse' })
  })

  test('inside the window but the successor is idle-expired: reuse; one millisecond before: grace', () => {
    const read = rotatedRead(rotatedAt, { idleExpiresAt: rotatedAt + 5_000 })
    assert.equal(decide(read, { now: rotatedAt + 4_999 }).kind, 'grace')
    assert.deepEqual(decide(read, { now: rotatedAt + 5_000 }), { kind: 'revoke', reason: 'reuse' })
  })

  test('no successor row read (purged): reuse', () => {
    const read = { ...rotatedRead(rotatedAt), successor: undefined }
    assert.deepEqual(decide(read, { now: rotatedAt + 1 }), { kind: 'revoke', reason: 'reuse' })
  })

  test('a successor row that is not the one the token names: reuse', () => {
    const read = rotatedRead(rotatedAt, { hash: 'hash-other' })
    assert.deepEqual(decide(read, { now: rotatedAt + 1 }), { kind: 'revoke', reason: 'reuse' })
  })

  test('a rotated token with no rotatedAt recorded: reuse', () => {
    const read = rotatedRead(rotatedAt)
    read.token.rotatedAt = null
    assert.deepEqual(decide(read, { now: rotatedAt + 1 }), { kind: 'revoke', reason: 'reuse' })
  })

  test('a rotated token replayed after its own idle expiry but inside the window still gets grace', () => {
    // Idle expiry bounds how long an unused token lives; a just-rotated token was used moments ago.
    const read = rotatedRead(rotatedAt)
    read.token.idleExpiresAt = rotatedAt + 1
    assert.equal(decide(read, { now: rotatedAt + 2 }).kind, 'grace')
  })
})

test('the policy is pure: the same input gives the same answer and the input is left as it was', () => {
  const read = rotatedRead(T0)
  const copy = structuredClone(read)
  const input = { read, client: web, delivery: 'body' as const, now: T0 + 1, graceMs: GRACE }
  assert.deepEqual(decideRotation(input), decideRotation(input))
  assert.deepEqual(read, copy)
})
