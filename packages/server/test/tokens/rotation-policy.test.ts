/**
 * @module The refresh-rotation policy alone, branch by branch, with no store: every refusal, the
 * revocations, rotation, and the grace, idle and absolute boundaries to the millisecond.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { RefreshFamily, RefreshTokenRecord, RotationRead, UserRecord } from '../../src/store/types.js'
import { decideRotation, type RotationInput } from '../../src/tokens/rotation-policy.js'

const T0 = 1_700_000_000_000
const GRACE = 15_000
const IDLE = 3_600_000
const ABSOLUTE = 7_200_000

const web = { id: 'tessera-web' }
const cli = { id: 'tessera-cli' }

function family(over: Partial<RefreshFamily> = {}): RefreshFamily {
  return {
    id: 'fam-1',
    userId: 'user-1',
    clientId: web.id,
    scope: 'api',
    cookieBound: false,
    createdAt: T0,
    absoluteExpiresAt: T0 + ABSOLUTE,
    revokedAt: null,
    revokedReason: null,
    ...over,
  }
}

function token(over: Partial<RefreshTokenRecord> = {}): RefreshTokenRecord {
  return {
    hash: 'hash-0',
    familyId: 'fam-1',
    generation: 0,
    state: 'active',
    createdAt: T0,
    idleExpiresAt: T0 + IDLE,
    rotatedAt: null,
    successorHash: null,
    ...over,
  }
}

const user: UserRecord = {
  id: 'user-1',
  username: 'dora',
  passwordHash: 'x',
  disabled: false,
  createdAt: T0,
  updatedAt: T0,
}

/** A token rotated at `rotatedAt` whose successor (generation 1) is still the active one. */
function rotated(rotatedAt: number, successor: Partial<RefreshTokenRecord> = {}): RotationRead {
  return {
    token: token({ state: 'rotated', rotatedAt, successorHash: 'hash-1' }),
    family: family(),
    successor: token({
      hash: 'hash-1',
      generation: 1,
      createdAt: rotatedAt,
      idleExpiresAt: rotatedAt + IDLE,
      ...successor,
    }),
    user,
  }
}

function active(over: Partial<RotationRead> = {}): RotationRead {
  return { token: token(), family: family(), successor: undefined, user, ...over }
}

function decide(read: RotationRead | undefined, over: Partial<RotationInput> = {}) {
  return decideRotation({ read, client: web, delivery: 'body', now: T0 + 1000, graceMs: GRACE, ...over })
}

describe('refusals that change nothing', () => {
  test('an unknown hash is refused as unknown', () => {
    assert.deepEqual(decide(undefined), { kind: 'refuse', reason: 'unknown' })
  })

  test('a cookie-bound family presented in the body is refused (wrong_delivery_cookie)', () => {
    const read = active({ family: family({ cookieBound: true }) })
    assert.deepEqual(decide(read, { delivery: 'body' }), { kind: 'refuse', reason: 'wrong_delivery_cookie' })
  })

  test('a body family presented in the cookie is refused (wrong_delivery_body)', () => {
    assert.deepEqual(decide(active(), { delivery: 'cookie' }), {
      kind: 'refuse',
      reason: 'wrong_delivery_body',
    })
  })

  test('a cookie-bound family presented in the cookie rotates', () => {
    const read = active({ family: family({ cookieBound: true }) })
    assert.deepEqual(decide(read, { delivery: 'cookie' }), { kind: 'rotate' })
  })

  test('wrong delivery of a rotated token is refused, not called theft', () => {
    const read = rotated(T0 - 60_000)
    assert.deepEqual(decide(read, { delivery: 'cookie' }), { kind: 'refuse', reason: 'wrong_delivery_body' })
  })

  test('a revoked family is refused as revoked', () => {
    const read = active({ family: family({ revokedAt: T0, revokedReason: 'logout' }) })
    assert.deepEqual(decide(read), { kind: 'refuse', reason: 'revoked' })
  })

  test('a revoked token in a live family is refused as revoked', () => {
    assert.deepEqual(decide(active({ token: token({ state: 'revoked' }) })), {
      kind: 'refuse',
      reason: 'revoked',
    })
  })

  test('a revoked family is refused as revoked even when its user is disabled (nothing left to revoke)', () => {
    const read = active({
      family: family({ revokedAt: T0, revokedReason: 'user_disabled' }),
      user: { ...user, disabled: true },
    })
    assert.deepEqual(decide(read), { kind: 'refuse', reason: 'revoked' })
  })

  test('another client presenting the active token is refused as client_mismatch', () => {
    assert.deepEqual(decide(active(), { client: cli }), { kind: 'refuse', reason: 'client_mismatch' })
  })
})

describe('absolute lifetime', () => {
  test('one millisecond before absoluteExpiresAt the token still rotates', () => {
    const read = active({ token: token({ idleExpiresAt: T0 + ABSOLUTE }) })
    assert.deepEqual(decide(read, { now: T0 + ABSOLUTE - 1 }), { kind: 'rotate' })
  })

  test('at exactly absoluteExpiresAt it is expired_absolute', () => {
    const read = active({ token: token({ idleExpiresAt: T0 + ABSOLUTE + 1 }) })
    assert.deepEqual(decide(read, { now: T0 + ABSOLUTE }), { kind: 'refuse', reason: 'expired_absolute' })
  })

  test('a rotated token past the absolute lifetime is expired, not reuse', () => {
    const read = rotated(T0 + ABSOLUTE - 1000)
    assert.deepEqual(decide(read, { now: T0 + ABSOLUTE }), { kind: 'refuse', reason: 'expired_absolute' })
  })
})

describe('idle lifetime', () => {
  test('one millisecond before idleExpiresAt the token rotates', () => {
    assert.deepEqual(decide(active(), { now: T0 + IDLE - 1 }), { kind: 'rotate' })
  })

  test('at exactly idleExpiresAt it is expired_idle', () => {
    assert.deepEqual(decide(active(), { now: T0 + IDLE }), { kind: 'refuse', reason: 'expired_idle' })
  })

  test('a token idle past its expiry and presented by another client is client_mismatch (checked first)', () => {
    assert.deepEqual(decide(active(), { now: T0 + IDLE, client: cli }), {
      kind: 'refuse',
      reason: 'client_mismatch',
    })
  })
})

describe('the user', () => {
  test('a disabled user ends the family before anything rotates', () => {
    assert.deepEqual(decide(active({ user: { ...user, disabled: true } })), {
      kind: 'revoke',
      reason: 'user_disabled',
    })
  })

  test('a disabled user ends the family even inside the grace window', () => {
    const read = { ...rotated(T0), user: { ...user, disabled: true } }
    assert.deepEqual(decide(read, { now: T0 + 1 }), { kind: 'revoke', reason: 'user_disabled' })
  })

  test('a user that no longer exists ends the family', () => {
    assert.deepEqual(decide(active({ user: undefined })), { kind: 'revoke', reason: 'user_unknown' })
  })
})

describe('rotation', () => {
  test('the active token, presented by its client, in time, rotates', () => {
    assert.deepEqual(decide(active()), { kind: 'rotate' })
  })
})

describe('replays of a rotated token', () => {
  const rotatedAt = T0 + 10_000

  test('inside the grace window, same client, live successor: the same successor (grace)', () => {
    const read = rotated(rotatedAt)
    assert.deepEqual(decide(read, { now: rotatedAt + 10_000 }), { kind: 'grace', successor: read.successor })
  })

  test('at the very instant of rotation (concurrent requests): grace', () => {
    const read = rotated(rotatedAt)
    assert.equal(decide(read, { now: rotatedAt }).kind, 'grace')
  })

  test('at exactly graceMs after the rotation: still grace (the window is inclusive)', () => {
    const read = rotated(rotatedAt)
    assert.equal(decide(read, { now: rotatedAt + GRACE }).kind, 'grace')
  })

  test('one millisecond after the window: reuse, the family is revoked', () => {
    const read = rotated(rotatedAt)
    assert.deepEqual(decide(read, { now: rotatedAt + GRACE + 1 }), { kind: 'revoke', reason: 'reuse' })
  })

  test('a zero grace window: a replay at the same millisecond is grace, one later is reuse', () => {
    const read = rotated(rotatedAt)
    assert.equal(decide(read, { now: rotatedAt, graceMs: 0 }).kind, 'grace')
    assert.deepEqual(decide(read, { now: rotatedAt + 1, graceMs: 0 }), { kind: 'revoke', reason: 'reuse' })
  })

  test('another client inside the window: reuse', () => {
    const read = rotated(rotatedAt)
    assert.deepEqual(decide(read, { now: rotatedAt + 1, client: cli }), { kind: 'revoke', reason: 'reuse' })
  })

  test('inside the window but the successor has itself rotated (an older token): reuse', () => {
    const read = rotated(rotatedAt, { state: 'rotated', rotatedAt: rotatedAt + 1, successorHash: 'hash-2' })
    assert.deepEqual(decide(read, { now: rotatedAt + 2 }), { kind: 'revoke', reason: 'reuse' })
  })

  test('inside the window but the successor was revoked: reuse', () => {
    const read = rotated(rotatedAt, { state: 'revoked' })
    assert.deepEqual(decide(read, { now: rotatedAt + 1 }), { kind: 'revoke', reason: 'reuse' })
  })

  test('inside the window but the successor is idle-expired: reuse; one millisecond before: grace', () => {
    const read = rotated(rotatedAt, { idleExpiresAt: rotatedAt + 5_000 })
    assert.equal(decide(read, { now: rotatedAt + 4_999 }).kind, 'grace')
    assert.deepEqual(decide(read, { now: rotatedAt + 5_000 }), { kind: 'revoke', reason: 'reuse' })
  })

  test('no successor row read (purged): reuse', () => {
    const read = { ...rotated(rotatedAt), successor: undefined }
    assert.deepEqual(decide(read, { now: rotatedAt + 1 }), { kind: 'revoke', reason: 'reuse' })
  })

  test('a successor row that is not the one the token names: reuse', () => {
    const read = rotated(rotatedAt, { hash: 'hash-other' })
    assert.deepEqual(decide(read, { now: rotatedAt + 1 }), { kind: 'revoke', reason: 'reuse' })
  })

  test('a rotated token with no rotatedAt recorded: reuse', () => {
    const read = rotated(rotatedAt)
    read.token.rotatedAt = null
    assert.deepEqual(decide(read, { now: rotatedAt + 1 }), { kind: 'revoke', reason: 'reuse' })
  })

  test('a rotated token replayed after its own idle expiry but inside the window still gets grace', () => {
    // Idle expiry bounds how long an unused token lives; a just-rotated token was used moments ago.
    const read = rotated(rotatedAt)
    read.token.idleExpiresAt = rotatedAt + 1
    assert.equal(decide(read, { now: rotatedAt + 2 }).kind, 'grace')
  })
})

test('the policy is pure: the same input gives the same answer and the input is left as it was', () => {
  const read = rotated(T0)
  const copy = structuredClone(read)
  const input = { read, client: web, delivery: 'body' as const, now: T0 + 1, graceMs: GRACE }
  assert.deepEqual(decideRotation(input), decideRotation(input))
  assert.deepEqual(read, copy)
})
