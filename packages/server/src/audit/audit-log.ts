/**
 * @module The audit log as a service: routes and admin commands record what happened here, stamped with
 * the injected clock, instead of writing to the store themselves.
 */
import type { Clock } from '../clock.js'
import type { AuditEvent, AuditRepository } from '../store/types.js'

export class AuditLog {
  readonly #audit: AuditRepository
  readonly #clock: Clock

  constructor(deps: { audit: AuditRepository; clock: Clock }) {
    this.#audit = deps.audit
    this.#clock = deps.clock
  }

  /** Appends one event, at the clock's now. */
  record(event: Omit<AuditEvent, 'at'>): Promise<void> {
    return this.#audit.append({ at: this.#clock(), ...event })
  }
}
