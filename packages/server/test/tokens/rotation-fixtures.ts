/**
 * @module The records the rotation tests hand the policy and the step, with no store: one family
 * (`fam-1` of `user-1`, client `tessera-web`), its first refresh token, its user, all made at `T0` with
 * the lifetimes below; each test overrides only the fields it is about.
 */
import type { RefreshFamily, RefreshTokenRecord, RotationRead, UserRecord } from '../../src/store/types.js'

export const T0 = 1_700_000_000_000
/** The idle lifetime of a token and the absolute lifetime of its family. */
export const IDLE_MS = 3_600_000
export const ABSOLUTE_MS = 7_200_000

export function familyRecord(over: Partial<RefreshFamily> = {}): RefreshFamily {
  return {
    id: 'fam-1',
    userId: 'user-1',
    clientId: 'tessera-web',
    scope: 'api',
    cookieBound: false,
    createdAt: T0,
    absoluteExpiresAt: T0 + ABSOLUTE_MS,
    revokedAt: null,
    revokedReason: null,
    sid: null,
    authTime: null,
    dpopJkt: null,
    ...over,
  }
}

export function tokenRecord(over: Partial<RefreshTokenRecord> = {}): RefreshTokenRecord {
  return {
    hash: 'hash-0',
    familyId: 'fam-1',
    generation: 0,
    state: 'active',
    createdAt: T0,
    idleExpiresAt: T0 + IDLE_MS,
    rotatedAt: null,
    successorHash: null,
    ...over,
  }
}

export const user: UserRecord = {
  id: 'user-1',
  username: 'dora',
  passwordHash: 'x',
  disabled: false,
  name: null,
  email: null,
  emailVerified: false,
  createdAt: T0,
  updatedAt: T0,
}

/** The family's active token, nothing rotated yet. */
export function activeRead(over: Partial<RotationRead> = {}): RotationRead {
  return { token: tokenRecord(), family: familyRecord(), successor: undefined, user, ...over }
}

/** A token rotated at `rotatedAt` whose successor (generation 1, made then) is still the active one. */
export function rotatedRead(
  rotatedAt: number,
  successor: Partial<RefreshTokenRecord> = {},
  family: RefreshFamily = familyRecord(),
): RotationRead {
  return {
    token: tokenRecord({ state: 'rotated', rotatedAt, successorHash: 'hash-1' }),
    family,
    successor: tokenRecord({
      hash: 'hash-1',
      generation: 1,
      createdAt: rotatedAt,
      idleExpiresAt: rotatedAt + IDLE_MS,
      ...successor,
    }),
    user,
  }
}
