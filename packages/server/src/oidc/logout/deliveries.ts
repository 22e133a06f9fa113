/**
 * @module Delivers back-channel logout tokens in the background (OpenID Back-Channel Logout 1.0 §2.5):
 * queued in the store, claimed with a lease (`claimDue`) so two instances never send one at once, POSTed
 * form-encoded as `logout_token=…` with a timeout, retried with exponential back-off up to a cap, given up
 * after `maxAttempts`. The user's logout only enqueues and wakes this; it never waits for a relying party.
 * `stop()` (server close) aborts what is in flight; a leased delivery left undone is claimed again later.
 */
import type { Clock } from '../../clock.js'
import type { BackchannelLogoutRecord, Store } from '../../store/types.js'

export interface DeliveryPolicy {
  /** ms a relying party has to answer. */
  timeoutMs: number
  /** ms before the first retry; doubled each further attempt. */
  baseDelayMs: number
  maxDelayMs: number
  /** Attempts before a delivery is given up. */
  maxAttempts: number
  /** How often the queue is polled for due retries and other instances' work (ms). */
  pollMs: number
  batch: number
}

export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = {
  timeoutMs: 5_000,
  baseDelayMs: 2_000,
  maxDelayMs: 5 * 60_000,
  maxAttempts: 8,
  pollMs: 5_000,
  batch: 20,
}

/** "Never again": a given-up delivery keeps its row (for the operator), with no next attempt. */
const NEVER = Number.MAX_SAFE_INTEGER

export interface DeliveryDeps {
  store: Pick<Store, 'backchannelLogouts'>
  clock: Clock
  /** The logout token for a delivery, made fresh for each attempt; undefined when the client is gone. */
  token(record: BackchannelLogoutRecord): Promise<string | undefined>
  policy?: Partial<DeliveryPolicy>
  fetch?: typeof fetch
  onError?: (error: unknown) => void
}

export function retryDelay(attempts: number, policy: DeliveryPolicy): number {
  return Math.min(policy.baseDelayMs * 2 ** Math.max(0, attempts - 1), policy.maxDelayMs)
}

export class BackchannelDeliveries {
  readonly #d: DeliveryDeps
  readonly #policy: DeliveryPolicy
  readonly #stopping = new AbortController()
  #timer: NodeJS.Timeout | undefined
  #running: Promise<number> | undefined
  #again = false
  /** Batches started by `wake`, so `stop` can wait for them. */
  readonly #woken = new Set<Promise<unknown>>()

  constructor(deps: DeliveryDeps) {
    this.#d = deps
    this.#policy = { ...DEFAULT_DELIVERY_POLICY, ...deps.policy }
  }

  get policy(): DeliveryPolicy {
    return this.#policy
  }

  /** Polls the queue every `pollMs` until `stop()`. */
  start(): void {
    if (this.#timer || this.#stopping.signal.aborted) return
    this.#timer = setInterval(() => this.wake(), this.#policy.pollMs)
    this.#timer.unref()
  }

  /**
   * Claims and sends what is due now, without waiting for it (a logout calls this). Each wake claims its
   * own batch, so a delivery queued now never waits behind a relying party that is slow to answer; the
   * leases keep two batches from taking one delivery.
   */
  wake(): void {
    if (this.#stopping.signal.aborted) return
    const batch = this.#batch().catch((error) => this.#d.onError?.(error))
    this.#woken.add(batch)
    void batch.finally(() => this.#woken.delete(batch))
  }

  /**
   * Waits for the batches `wake` started, then sends every delivery due now; resolves with how many it
   * delivered. A call while a run is under way joins it and makes it go round once more.
   */
  async runOnce(): Promise<number> {
    // What a wake already claimed finishes first, so a caller sees its outcome (and its retry schedule).
    await Promise.all(this.#woken)
    if (this.#running) {
      // The run under way loops once more, so it also picks up what is due now.
      this.#again = true
      return this.#running
    }
    const run = (async () => {
      let delivered = 0
      do {
        this.#again = false
        delivered += await this.#batch()
      } while (this.#again && !this.#stopping.signal.aborted)
      return delivered
    })()
    this.#running = run
    try {
      return await run
    } finally {
      if (this.#running === run) this.#running = undefined
    }
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer)
    this.#timer = undefined
    this.#stopping.abort()
    await Promise.all([this.#running?.catch(() => {}), ...this.#woken])
  }

  async #batch(): Promise<number> {
    if (this.#stopping.signal.aborted) return 0
    const { store, clock } = this.#d
    // The lease outlasts one attempt, so a slow receiver is never sent the same token by a second instance.
    const leaseMs = this.#policy.timeoutMs + 10_000
    const due = await store.backchannelLogouts.claimDue(clock(), this.#policy.batch, leaseMs)
    const results = await Promise.all(due.map((record) => this.#deliver(record)))
    return results.filter(Boolean).length
  }

  async #deliver(record: BackchannelLogoutRecord): Promise<boolean> {
    const { store, clock } = this.#d
    let error: string
    try {
      const token = await this.#d.token(record)
      if (token === undefined) {
        await store.backchannelLogouts.reschedule(record.id, record.attempts + 1, NEVER, 'the client is gone')
        return false
      }
      const response = await (this.#d.fetch ?? fetch)(record.uri, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ logout_token: token }).toString(),
        // §2.8: a redirect is not a delivery; following one would send the token somewhere unregistered.
        redirect: 'manual',
        signal: AbortSignal.any([AbortSignal.timeout(this.#policy.timeoutMs), this.#stopping.signal]),
      })
      await response.body?.cancel().catch(() => {})
      if (response.status >= 200 && response.status < 300) {
        await store.backchannelLogouts.markDelivered(record.id, clock())
        return true
      }
      error = `the relying party answered ${response.status}`
    } catch (caught) {
      if (this.#stopping.signal.aborted) return false
      const name = (caught as { name?: string }).name
      error =
        name === 'TimeoutError'
          ? `no answer within ${this.#policy.timeoutMs} ms`
          : 'the relying party is unreachable'
    }
    const attempts = record.attempts + 1
    const next = attempts >= this.#policy.maxAttempts ? NEVER : clock() + retryDelay(attempts, this.#policy)
    await store.backchannelLogouts.reschedule(record.id, attempts, next, error)
    return false
  }
}
