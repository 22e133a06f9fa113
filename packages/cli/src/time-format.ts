/**
 * @module Human-readable times for NumericDate claims: the ISO date and "expires in 12 min" /
 * "expired 3 h ago", as the debugger shows them.
 */

/** "12 min", "3 h", "2 d": the largest unit that keeps the number readable. */
export function spanText(seconds: number): string {
  const s = Math.abs(Math.round(seconds))
  if (s < 90) return `${s} s`
  if (s < 90 * 60) return `${Math.round(s / 60)} min`
  if (s < 36 * 3600) return `${Math.round(s / 3600)} h`
  return `${Math.round(s / 86400)} d`
}

/** Describes a time claim relative to `now` (both in seconds since the epoch). */
export function describeTimeClaim(claim: string, value: number, now: number): string {
  const delta = value - now
  const future = delta > 0
  switch (claim) {
    case 'exp':
      return future ? `expires in ${spanText(delta)}` : `expired ${spanText(delta)} ago`
    case 'nbf':
      return future ? `not valid for another ${spanText(delta)}` : `valid since ${spanText(delta)} ago`
    default:
      return future ? `${spanText(delta)} in the future` : `${spanText(delta)} ago`
  }
}

/** An ISO date for a NumericDate, or undefined when the value is not a usable number. */
export function isoDate(value: unknown): string | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined
  const date = new Date(value * 1000)
  return Number.isFinite(date.getTime()) ? date.toISOString() : undefined
}
