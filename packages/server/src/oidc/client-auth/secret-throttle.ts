/**
 * @module Throttles client-secret guessing with counters in the Store, shared by every instance, in the
 * style of users/throttle.ts: per client, exponential back-off after `freeFailures` failures (2^(n-free)
 * s, capped); per address, at most `ipMaxFailures` failures per `ipWindow`. A success clears the client's
 * counter. Secrets are high-entropy, so this stops online guessing long before it could matter, and it
 * keeps a leaked-but-rotated secret from being hammered.
 */
import { Throttled } from '../../errors.js'
import type { Store } from '../../store/types.js'
import { accountBackoffSeconds, type ThrottlePolicy } from '../../users/throttle.js'

const CLIENT_WINDOW_MS = 24 * 3600 * 1000

export class ClientSecretThrottle {
  readonly #store: Store
  readonly #policy: ThrottlePolicy

  constructor(store: Store, policy: ThrottlePolicy) {
    this.#store = store
    this.#policy = policy
  }

  /**
   * Throws Throttled when this client or address must wait before another secret is checked. Resolves
   * whether the client has a failure counter (so a success only clears one that exists: no write on the
   * hot path).
   */
  async check(clientId: string, ip: string | undefined, now: number): Promise<boolean> {
    if (ip) {
      const byIp = await this.#store.throttle.get(`client-ip:${ip}`)
      const windowMs = this.#policy.ipWindow * 1000
      if (byIp && now - byIp.firstAt < windowMs && byIp.count >= this.#policy.ipMaxFailures)
        throw new Throttled((byIp.firstAt + windowMs - now) / 1000, 'address')
    }
    const byClient = await this.#store.throttle.get(`client:${clientId}`)
    if (!byClient) return false
    if (now - byClient.firstAt >= CLIENT_WINDOW_MS) return true
    const wait = accountBackoffSeconds(byClient.count, this.#policy) * 1000 - (now - byClient.lastAt)
    if (wait > 0) throw new Throttled(wait / 1000, 'account')
    return true
  }

  async failure(clientId: string | undefined, ip: string | undefined, now: number): Promise<void> {
    if (clientId !== undefined) await this.#store.throttle.hit(`client:${clientId}`, now, CLIENT_WINDOW_MS)
    if (ip) await this.#store.throttle.hit(`client-ip:${ip}`, now, this.#policy.ipWindow * 1000)
  }

  async success(clientId: string): Promise<void> {
    await this.#store.throttle.clear(`client:${clientId}`)
  }
}
