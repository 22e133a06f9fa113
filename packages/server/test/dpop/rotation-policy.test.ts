/**
 * @module The rotation policy's DPoP rule alone, with no store: a family bound to a key refuses a refresh
 * without a proof or with another key's proof — and refuses, never revokes, even for a rotated token
 * that would otherwise count as reuse — while the key's own proof rotates (or gets the grace successor).
 * An unbound family ignores proofs.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { RefreshFamily, RotationRead } from '../../src/store/types.js'
import { decideRotation } from '../../src/tokens/rotation-policy.js'
import { activeRead, familyRecord, rotatedRead, T0 } from '../tokens/rotation-fixtures.js'

const JKT = 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs'
const OTHER = '0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I'

/** The active token of a family bound to `dpopJkt` (unbound for null). */
const active = (dpopJkt: string | null) => activeRead({ family: familyRecord({ dpopJkt }) })

/** A token rotated 1 s ago (inside the grace window) whose successor is still active. */
const rotated = (dpopJkt: string | null) => rotatedRead(T0 + 1000, {}, familyRecord({ dpopJkt }))

const decide = (read: RotationRead, proofJkt?: string, graceMs = 15_000) =>
  decideRotation({
    read,
    client: { id: familyRecord().clientId },
    delivery: 'body',
    proofJkt,
    now: T0 + 2000,
    graceMs,
  })

test('a bound family without a proof: refused (dpop_proof_missing)', () => {
  assert.deepEqual(decide(active(JKT)), { kind: 'refuse', reason: 'dpop_proof_missing' })
})

test("a bound family with another key's proof: refused (dpop_key_mismatch)", () => {
  assert.deepEqual(decide(active(JKT), OTHER), { kind: 'refuse', reason: 'dpop_key_mismatch' })
})

test("a bound family with its key's proof rotates", () => {
  assert.deepEqual(decide(active(JKT), JKT), { kind: 'rotate' })
})

test('a rotated token of a bound family, replayed without the key: refused, the family not revoked', () => {
  // Outside the grace window this would be reuse (revoke) — but only the key holder may cause that.
  assert.deepEqual(decide(rotated(JKT), undefined, 0), { kind: 'refuse', reason: 'dpop_proof_missing' })
  assert.deepEqual(decide(rotated(JKT), OTHER, 0), { kind: 'refuse', reason: 'dpop_key_mismatch' })
})

test('a rotated token of a bound family, replayed with the key: grace inside the window, reuse outside', () => {
  assert.equal(decide(rotated(JKT), JKT).kind, 'grace')
  assert.deepEqual(decide(rotated(JKT), JKT, 0), { kind: 'revoke', reason: 'reuse' })
})

test('an unbound family ignores whether a proof came', () => {
  assert.deepEqual(decide(active(null)), { kind: 'rotate' })
  assert.deepEqual(decide(active(null), OTHER), { kind: 'rotate' })
})

test('a family read by a store that predates the column (dpopJkt absent) counts as unbound', () => {
  const read = active(null)
  const { dpopJkt: _, ...legacy } = read.family
  assert.deepEqual(decide({ ...read, family: legacy as RefreshFamily }), { kind: 'rotate' })
})
