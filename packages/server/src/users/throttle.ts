/**
 * @module Brute-force throttling of logins, both kept in the Store so every instance shares them:
 * - per account: after `freeFailures` failures, each further attempt must wait 2^(n - free) seconds
 *   after the last failure, capped at `maxBackoff` (exponential back-off, OWASP Authentication Cheat
 *   Sheet); a success clears it. The account is never locked outright, so an attacker cannot lock a
 *   victim out for longer than the cap.
 * - per address: at most `ipMaxFailures` failed logins per `ipWindow`, whatever the accounts.
 */
import { Throttled } from '../errors.js'
import type { Store } from '../store/types.js'

export interface ThrottlePolicy {
  accountFreeFailures: number
  /** Seconds. */
  accountMaxBackoff: number
  ipMaxFailures: number
  /** Seconds. */
  ipWindow: number
}

const ACCOUNT_WINDOW_MS = 24 * 3600 * 1000

export function accountBackoffSeconds(failures: number, policy: ThrottlePolicy): number {
  if (failures < policy.accountFreeFailures) return 0
  return Math.min(2 ** (failures - policy.accountFreeFailures), policy.accountMaxBackoff)
}

export class LoginThrottle {
  readonly #store: Store
  readonly #policy: ThrottlePolicy

  constructor(store: Store, policy: ThrottlePolicy) {
    this.#store = store
    this.#policy = policy
  }

  /** Throws Throttled when this account or address must wait. */
  async check(username: string, ip: string | undefined, now: number): Promise<void> {
    if (ip) {
      const byIp = await this.#store.getThrottle(`ip:${ip}`)
      const windowMs = this.#policy.ipWindow * 1000
      if (byIp && now - byIp.firstAt < windowMs && byIp.count >= this.#policy.ipMaxFailures) {
        throw new Throttled((byIp.firstAt + windowMs - now) / 1000, 'address')
      }
    }
    const byAccount = await this.#store.getThrottle(`user:${username}`)
    if (byAccount && now - byAccount.firstAt < ACCOUNT_WINDOW_MS) {
      const wait = accountBackoffSeconds(byAccount.count, this.#policy) * 1000 - (now - byAccount.lastAt)
      if (wait > 0) throw new Throttled(wait / 1000, 'account')
    }
  }

  async failure(username: string, ip: string | undefined, now: number): Promise<void> {
    await this.#store.hitThrottle(`user:${username}`, now, ACCOUNT_WINDOW_MS)
    if (ip) await this.#store.hitThrottle(`ip:${ip}`, now, this.#policy.ipWindow * 1000)
  }

  async success(username: string): Promise<void> {
    await this.#store.clearThrottle(`user:${username}`)
  }
}
