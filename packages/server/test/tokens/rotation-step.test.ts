/**
 * @module What a refresh asks the store to write for each policy decision (the successor, the revocation,
 * the audit row) and the typed error each refusal becomes; no store involved.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { describe, test } from 'node:test'
import { checkClient, configuredClients } from '../../src/tokens/clients.js'
import { refusalError, rotationStep } from '../../src/tokens/refresh.js'
import { deriveRefreshToken, hashRefreshToken } from '../../src/tokens/refresh-token.js'
import type { TokenPolicy } from '../../src/tokens/token-context.js'
import { activeRead, T0, tokenRecord } from './rotation-fixtures.js'

const refreshTokenKey = randomBytes(32)
const policy: TokenPolicy = {
  audience: 'api',
  accessTtl: 900,
  refreshTtl: 7200,
  refreshIdleTtl: 3600,
  refreshGrace: 15,
  clockSkew: 60,
  scope: 'api',
  clients: ['tessera-web', 'tessera-cli'],
}
const ctx = { refreshTokenKey, policy }

/** The family's fourth token (generation 3), still active. */
const read = activeRead({ token: tokenRecord({ hash: 'h3', generation: 3 }) })

describe('rotate', () => {
  test('inserts the derived successor of the next generation, idle-limited, and answers with it', () => {
    const now = T0 + 1000
    const step = rotationStep(ctx, read, { kind: 'rotate' }, now)
    const value = deriveRefreshToken(refreshTokenKey, 'fam-1', 4)
    assert.deepEqual(step.write, {
      kind: 'rotate',
      successor: {
        hash: hashRefreshToken(value),
        generation: 4,
        createdAt: now,
        idleExpiresAt: now + 3_600_000,
      },
    })
    assert.equal(step.audit, undefined)
    assert.deepEqual(step.result, {
      ok: true,
      issued: {
        userId: 'user-1',
        familyId: 'fam-1',
        clientId: 'tessera-web',
        scope: 'api',
        refreshToken: value,
        absoluteExpiresAt: T0 + 7_200_000,
      },
    })
  })

  test('the successor never outlives the family: its idle expiry stops at the absolute one', () => {
    const now = T0 + 7_000_000
    const step = rotationStep(ctx, read, { kind: 'rotate' }, now)
    assert.equal(step.write.kind === 'rotate' && step.write.successor.idleExpiresAt, T0 + 7_200_000)
  })
})

test('grace writes nothing, records refresh.grace, and answers with the successor it names', () => {
  const successor = { ...read.token, hash: 'h4', generation: 4 }
  const step = rotationStep(ctx, read, { kind: 'grace', successor }, T0 + 5)
  assert.deepEqual(step.write, { kind: 'none' })
  assert.deepEqual(step.audit, { at: T0 + 5, type: 'refresh.grace', userId: 'user-1', familyId: 'fam-1' })
  assert.equal(
    step.result.ok && step.result.issued.refreshToken,
    deriveRefreshToken(refreshTokenKey, 'fam-1', 4),
  )
})

describe('revocations carry their audit row into the same transaction', () => {
  for (const [reason, type] of [
    ['reuse', 'refresh.reuse_detected'],
    ['user_disabled', 'refresh.user_disabled'],
    ['user_unknown', 'refresh.user_unknown'],
  ] as const) {
    test(`${reason} → revoke "${reason}" + ${type}`, () => {
      const step = rotationStep(ctx, read, { kind: 'revoke', reason }, T0 + 7)
      assert.deepEqual(step.write, { kind: 'revoke', reason })
      assert.deepEqual(step.audit, { at: T0 + 7, type, userId: 'user-1', familyId: 'fam-1' })
      assert.deepEqual(step.result, { ok: false, reason })
    })
  }
})

test('a refusal writes nothing and records nothing', () => {
  const step = rotationStep(ctx, undefined, { kind: 'refuse', reason: 'unknown' }, T0)
  assert.deepEqual(step, { write: { kind: 'none' }, result: { ok: false, reason: 'unknown' } })
})

describe('each refusal becomes a typed error a person can act on', () => {
  const cases = [
    ['unknown', 'ERR_REFRESH_TOKEN_INVALID', /unknown, expired or revoked: log in again/],
    ['wrong_delivery_cookie', 'ERR_REFRESH_TOKEN_INVALID', /belongs in the refresh cookie/],
    ['wrong_delivery_body', 'ERR_REFRESH_TOKEN_INVALID', /issued in the body; send it as refresh_token/],
    ['revoked', 'ERR_REFRESH_TOKEN_INVALID', /was revoked: log in again/],
    ['expired_idle', 'ERR_REFRESH_TOKEN_INVALID', /has expired: log in again/],
    ['expired_absolute', 'ERR_REFRESH_TOKEN_INVALID', /has expired: log in again/],
    ['client_mismatch', 'ERR_REFRESH_TOKEN_INVALID', /another client_id/],
    ['user_disabled', 'ERR_REFRESH_TOKEN_INVALID', /the account is disabled/],
    ['user_unknown', 'ERR_REFRESH_TOKEN_INVALID', /no longer exists/],
    ['reuse', 'ERR_REFRESH_TOKEN_REUSED', /already used; as a precaution the whole session was ended/],
  ] as const
  for (const [reason, code, message] of cases) {
    test(`${reason} → ${code}`, () => {
      const error = refusalError(reason)
      assert.equal(error.code, code)
      assert.match(error.message, message)
      assert.equal(error.status, 400)
      assert.equal(error.oauthError, 'invalid_grant')
    })
  }
})

describe('clients', () => {
  const clients = configuredClients(['tessera-web', 'tessera-cli'])

  test('no client_id speaks for the first configured client', () => {
    assert.deepEqual(checkClient(clients, undefined), { id: 'tessera-web' })
  })

  test('a configured client_id is that client', () => {
    assert.deepEqual(checkClient(clients, 'tessera-cli'), { id: 'tessera-cli' })
  })

  test('any other client_id is ERR_CLIENT_UNKNOWN', () => {
    assert.throws(() => checkClient(clients, 'evil'), {
      code: 'ERR_CLIENT_UNKNOWN',
      message: 'client_id "evil" is not a client of this server',
    })
  })

  test('an empty client list is refused when built', () => {
    assert.throws(() => configuredClients([]), TypeError)
  })
})
