/**
 * @module The store every service is handed, with revocation notices published where the writes are:
 * after a family is revoked (logout, RFC 7009 revoke, reuse detection inside `rotate`), after a user's
 * families are revoked at once (logout everywhere, disable, provider-session logout) and after a user is
 * disabled or enabled. Publishing here, not in each caller, means no revocation path can forget it,
 * including ones added later. Every other member is the underlying store's own.
 */
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
      let revoked: string | undefined
      const result = await refresh.rotate(hash, now, (read) => {
        const step = decide(read)
        revoked = step.write.kind === 'revoke' ? read?.family.id : undefined
        return step
      })
      if (revoked) await publish({ type: 'session', id: revoked, at: now })
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
      return changed
    },
  }
  return delegate<Store>(store, {
    refresh: delegate(refresh, refreshOverrides),
    users: delegate(users, userOverrides),
    ...(revocations ? { revocations: revocations satisfies RevocationRepository } : {}),
  })
}
