/**
 * @module What one revocation notice says, and how it crosses a wire (NOTIFY payload, pub/sub message,
 * the feed's JSON): parsed strictly, because a notice from the channel is input like any other.
 */

/** A refresh family (the access token's `sid`) was ended at `at` (ms). */
export interface SessionEnded {
  type: 'session'
  id: string
  at: number
}

/** A user was disabled (or enabled again) at `at` (ms). */
export interface UserDisabled {
  type: 'user'
  id: string
  at: number
  disabled: boolean
}

export type RevocationEvent = SessionEnded | UserDisabled

/** Ids are ours (random base64url/uuid); anything longer or stranger is not a notice we sent. */
const ID = /^[A-Za-z0-9_.:-]{1,200}$/

/** The event in `value`, or undefined when it is not a well-formed notice. */
export function parseEvent(value: unknown): RevocationEvent | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const v = value as Record<string, unknown>
  if (typeof v.id !== 'string' || !ID.test(v.id)) return undefined
  if (typeof v.at !== 'number' || !Number.isSafeInteger(v.at) || v.at < 0) return undefined
  if (v.type === 'session') return { type: 'session', id: v.id, at: v.at }
  if (v.type === 'user' && typeof v.disabled === 'boolean')
    return { type: 'user', id: v.id, at: v.at, disabled: v.disabled }
  return undefined
}

/** The wire form: the namespace (a database schema, a Redis prefix) and the event. */
export function encodeNotice(scope: string, event: RevocationEvent): string {
  return JSON.stringify({ scope, event })
}

export function decodeNotice(scope: string, text: string): RevocationEvent | undefined {
  try {
    const parsed = JSON.parse(text) as { scope?: unknown; event?: unknown }
    return parsed.scope === scope ? parseEvent(parsed.event) : undefined
  } catch {
    return undefined
  }
}
