/**
 * @module The in-memory set of ended sessions and disabled users, each kept until every access token it
 * could affect has expired (`windowMs` = access-token lifetime + clock skew after the event), with the
 * recent events in arrival order for the resource-server feed. Lookups are two Map reads.
 */
import type { Clock } from '../clock.js'
import type { RevocationSnapshot } from '../store/types.js'
import type { RevocationEvent } from './events.js'

export type Refusal = 'session' | 'user'

export class RevocationSet {
  readonly windowMs: number
  readonly #clock: Clock
  /** sid → when it was ended. */
  readonly #sessions = new Map<string, number>()
  /** user id → when it was disabled. */
  readonly #users = new Map<string, number>()
  /** What happened, in arrival order with a sequence number, for `GET /oauth/revocations`. */
  #log: { seq: number; event: RevocationEvent }[] = []
  #seq = 0
  #latest = 0

  constructor(clock: Clock, windowMs: number) {
    this.#clock = clock
    this.windowMs = windowMs
  }

  get size(): { sessions: number; users: number } {
    return { sessions: this.#sessions.size, users: this.#users.size }
  }

  /** The newest event time seen (ms). */
  get latest(): number {
    return this.#latest
  }

  /** The arrival number of the last event applied (the feed's cursor on this instance). */
  get seq(): number {
    return this.#seq
  }

  /** Applies one event; false when it changed nothing (a duplicate, or already past its window). */
  apply(event: RevocationEvent): boolean {
    if (event.at + this.windowMs <= this.#clock()) return false
    if (event.type === 'session') {
      const known = this.#sessions.get(event.id)
      if (known !== undefined && known <= event.at) return false
      this.#sessions.set(event.id, event.at)
    } else if (event.disabled) {
      if (this.#users.get(event.id) === event.at) return false
      this.#users.set(event.id, event.at)
    } else {
      // Enabled again: the families it had were ended one by one, so their sids stay refused.
      const since = this.#users.get(event.id)
      if (since !== undefined && since > event.at) return false
      this.#users.delete(event.id)
    }
    this.#log.push({ seq: ++this.#seq, event })
    if (event.at > this.#latest) this.#latest = event.at
    return true
  }

  /** Applies what the store says (start, reconnect, reconcile); returns how many events were new. */
  load(snapshot: RevocationSnapshot): number {
    let added = 0
    for (const f of snapshot.families) if (this.apply({ type: 'session', id: f.id, at: f.revokedAt })) added++
    for (const u of snapshot.disabledUsers)
      if (!this.#users.has(u.id) && this.apply({ type: 'user', id: u.id, at: u.disabledAt, disabled: true }))
        added++
    return added
  }

  /**
   * Why a token of session `sid` and user `sub` is refused, or undefined. An entry past its window is
   * never consulted: every token it could affect has expired, and the verifier refuses those itself.
   */
  refused(sid: string | undefined, sub: string): Refusal | undefined {
    const now = this.#clock()
    if (sid !== undefined) {
      const at = this.#sessions.get(sid)
      if (at !== undefined && at + this.windowMs > now) return 'session'
    }
    const at = this.#users.get(sub)
    if (at !== undefined && at + this.windowMs > now) return 'user'
    return undefined
  }

  /** Events that arrived after number `seq`, in arrival order (0: every event still in its window). */
  eventsAfter(seq: number): RevocationEvent[] {
    const start = this.#log.findIndex((entry) => entry.seq > seq)
    return start === -1 ? [] : this.#log.slice(start).map((entry) => entry.event)
  }

  /** Drops every entry whose window has passed. */
  prune(): void {
    const cutoff = this.#clock() - this.windowMs
    for (const [id, at] of this.#sessions) if (at <= cutoff) this.#sessions.delete(id)
    for (const [id, at] of this.#users) if (at <= cutoff) this.#users.delete(id)
    if (this.#log.some((entry) => entry.event.at <= cutoff))
      this.#log = this.#log.filter((entry) => entry.event.at > cutoff)
  }
}
