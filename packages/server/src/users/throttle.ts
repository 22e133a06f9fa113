/**
 * @module Brute-force throttling of logins, both kept in the Store so every instance shares them:
 * - per account: after `freeFailures` failures, each further attempt must wait 2^(n - free) seconds
 *   after the last failure, capped at `maxBackoff` (exponential back-off, OWASP Authentication Cheat
 *   Sheet); a success clears it. The account is never locked outright, so an attacker cannot lock a
 *   victim out for longer than the cap.
 * - per address: at most `ipMaxFailures` failed logins per `ipWindow`, whatever the accounts.
 * Attempts still under way in this process count as failures-to-be: without that, concurrent guesses all
 * read the counter before any of them stores its failure (measured: 200 parallel guesses at the defaults
 * got 136 password checks instead of 5). An attempt that would be over the limit only because of those
 * waits for their outcome and decides again, so parallel logins with the right password queue, never 429.
 * Across instances the store is the only arbiter: N instances allow up to N times the in-flight burst.
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
  /** Registrations per address per `ipWindow`. */
  registrationsPerIp?: number
}

const ACCOUNT_WINDOW_MS = 24 * 3600 * 1000

export function accountBackoffSeconds(failures: number, policy: ThrottlePolicy): number {
  if (failures < policy.accountFreeFailures) return 0
  return Math.min(2 ** (failures - policy.accountFreeFailures), policy.accountMaxBackoff)
}

export class LoginThrottle {
  readonly #store: Store
  readonly #policy: ThrottlePolicy
  /** Login attempts under way in this process, per throttle key, in the order they started. */
  readonly #inFlight = new Map<string, Set<Promise<void>>>()

  constructor(store: Store, policy: ThrottlePolicy) {
    this.#store = store
    this.#policy = policy
  }

  /**
   * Starts an attempt: throws Throttled when the account or address must wait. Attempts on the same key
   * still under way here count as failures; when only they make the difference, this waits for them and
   * checks again. Returns the function that ends the attempt: call it once `failure`/`success` is stored.
   */
  async begin(username: string, ip: string | undefined, now: number): Promise<() => void> {
    const keys = [`user:${username}`, ...(ip ? [`ip:${ip}`] : [])]
    let finish!: () => void
    const self = new Promise<void>((resolve) => {
      finish = resolve
    })
    // Registered synchronously, before any await, so each attempt sees exactly the ones that started first.
    for (const key of keys) {
      let set = this.#inFlight.get(key)
      if (!set) this.#inFlight.set(key, (set = new Set()))
      set.add(self)
    }
    const end = () => {
      for (const key of keys) {
        const set = this.#inFlight.get(key)
        set?.delete(self)
        if (set?.size === 0) this.#inFlight.delete(key)
      }
      finish()
    }
    const aheadOf = (key: string | undefined) => {
      const ahead: Promise<void>[] = []
      if (key === undefined) return ahead
      for (const attempt of this.#inFlight.get(key) ?? []) {
        if (attempt === self) break
        ahead.push(attempt)
      }
      return ahead
    }
    try {
      for (;;) {
        const account = aheadOf(keys[0])
        const address = aheadOf(keys[1])
        try {
          await this.check(username, ip, now, { account: account.length, address: address.length })
          return end
        } catch (error) {
          if (!(error instanceof Throttled) || account.length + address.length === 0) throw error
          await Promise.all([...account, ...address])
        }
      }
    } catch (error) {
      end()
      throw error
    }
  }

  /** Throws Throttled when this account or address must wait (`ahead`: attempts still under way). */
  async check(
    username: string,
    ip: string | undefined,
    now: number,
    ahead: { account: number; address: number } = { account: 0, address: 0 },
  ): Promise<void> {
    if (ip) {
      const byIp = await this.#store.throttle.get(`ip:${ip}`)
      const windowMs = this.#policy.ipWindow * 1000
      const inWindow = byIp !== undefined && now - byIp.firstAt < windowMs
      if ((inWindow ? byIp.count : 0) + ahead.address >= this.#policy.ipMaxFailures) {
        throw new Throttled(inWindow ? (byIp.firstAt + windowMs - now) / 1000 : 1, 'address')
      }
    }
    const byAccount = await this.#store.throttle.get(`user:${username}`)
    const inWindow = byAccount !== undefined && now - byAccount.firstAt < ACCOUNT_WINDOW_MS
    const failures = (inWindow ? byAccount.count : 0) + ahead.account
    // An attempt still under way may fail at any moment: its failure counts as happening now.
    const since = ahead.account > 0 ? 0 : inWindow ? now - byAccount.lastAt : Number.POSITIVE_INFINITY
    const wait = accountBackoffSeconds(failures, this.#policy) * 1000 - since
    if (wait > 0) throw new Throttled(wait / 1000, 'account')
  }

  /**
   * Counts a registration from `ip`, refusing it once the address has made `registrationsPerIp` within
   * `ipWindow`: every registration costs an argon2id hash (19 MiB, ~30 ms), so an unlimited endpoint is a
   * cheap way to load the server (measured: 60 parallel registrations from one address all succeeded).
   */
  async registration(ip: string | undefined, now: number): Promise<void> {
    const limit = this.#policy.registrationsPerIp
    if (!ip || limit === undefined) return
    const windowMs = this.#policy.ipWindow * 1000
    // Count first, then decide on the count the store returns: one atomic step, so parallel registrations
    // (or several instances) cannot all read a count below the limit.
    const record = await this.#store.throttle.hit(`register:${ip}`, now, windowMs)
    if (record.count > limit) throw new Throttled((record.firstAt + windowMs - now) / 1000, 'address')
  }

  async failure(username: string, ip: string | undefined, now: number): Promise<void> {
    await this.#store.throttle.hit(`user:${username}`, now, ACCOUNT_WINDOW_MS)
    if (ip) await this.#store.throttle.hit(`ip:${ip}`, now, this.#policy.ipWindow * 1000)
  }

  async success(username: string): Promise<void> {
    await this.#store.throttle.clear(`user:${username}`)
  }
}
