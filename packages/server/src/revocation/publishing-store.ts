/**
 * @module The store every service is handed, with revocation notices published where the writes are:
 * after a family is revoked (logout, RFC 7009 revoke, reuse detection inside `rotate`), after a user's
 * families are revoked at once (logout everywhere, disable, provider-session logout) and after a user is
 * disabled or enabled. Publishing here, not in each caller, means no revocation path can forget it,
 * including ones added later. The same two writes that end provider sessions without a logout — a
 * revocation inside `rotate` of a family that came from a session (reuse, or its user disabled or gone),
 * and disabling a user — are announced (sessions/session-endings.ts), so the back channel ends those
 * sessions and tells their clients. Every other member is the underlying store's own.
 */
import { announceSessionsEnded } from '../sessions/session-endings.js'
import type { RefreshRepository, RevocationRepository, Store, UserRepository } from '../store/types.js'
import type { RevocationEvent } from './events.js'

type Publish = (event: RevocationEvent) => Promise<void>

/** Members bound to their owner, so private fields (`#purge`) still resolve. */
function delegate<T extends object>(target: T, overrides: Partial<T>): T {
  return new Proxy(target, {
    get(object, key) {
      if (Object.hasOwn(overrides, key)) return overrides[key as keyof T]
      const value = Reflect.get(object, key, object)
      return typeof value === 'function' ? value.bind(object) : value
    },
  })
}

export function publishingStore(store: Store, publish: Publish): Store {
  const refresh = store.refresh
  const revocations = store.revocations
  /** Bulk revocations return counts, not ids: ask which families were revoked at `now`. */
  const publishRevokedAt = async (now: number, userId?: string) => {
    if (!revocations) return
    const { families } = await revocations.since(now).catch(() => ({ families: [] }))
    for (const family of families)
      if (userId === undefined || family.userId === userId)
        await publish({ type: 'session', id: family.id, at: family.revokedAt })
  }
  const refreshOverrides: Partial<RefreshRepository> = {
    async revokeFamily(id, reason, now, audit) {
      const changed = await refresh.revokeFamily(id, reason, now, audit)
      if (changed) await publish({ type: 'session', id, at: now })
      return changed
    },
    async rotate(hash, now, decide) {
      let revoked: { id: string; sid: string | null; userId: string; reason: string } | undefined
      const result = await refresh.rotate(hash, now, (read) => {
        const step = decide(read)
        revoked =
          step.write.kind === 'revoke' && read
            ? {
                id: read.family.id,
                sid: read.family.sid,
                userId: read.family.userId,
                reason: step.write.reason,
              }
            : undefined
        return step
      })
      if (revoked) {
        await publish({ type: 'session', id: revoked.id, at: now })
        // Reuse means the token was stolen: the provider session it came from ends with it.
        if (revoked.sid !== null)
          await announceSessionsEnded(wrapped, {
            sid: revoked.sid,
            userId: revoked.userId,
            reason: revoked.reason,
          })
      }
      return result
    },
    async revokeUserFamilies(userId, reason, now) {
      const count = await refresh.revokeUserFamilies(userId, reason, now)
      if (count > 0) await publishRevokedAt(now, userId)
      return count
    },
  }
  if (typeof refresh.revokeSessionFamilies === 'function') {
    refreshOverrides.revokeSessionFamilies = async (sid, reason, now) => {
      const count = await refresh.revokeSessionFamilies(sid, reason, now)
      if (count > 0) await publishRevokedAt(now)
      return count
    }
  }
  const users = store.users
  const userOverrides: Partial<UserRepository> = {
    async setDisabled(userId, disabled, now) {
      const changed = await users.setDisabled(userId, disabled, now)
      if (changed) await publish({ type: 'user', id: userId, at: now, disabled })
      if (changed && disabled) await announceSessionsEnded(wrapped, { userId, reason: 'user_disabled' })
      return changed
    },
  }
  const wrapped = delegate<Store>(store, {
    refresh: delegate(refresh, refreshOverrides),
    users: delegate(users, userOverrides),
    ...(revocations ? { revocations: revocations satisfies RevocationRepository } : {}),
  })
  return wrapped
}
