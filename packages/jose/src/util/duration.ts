/**
 * @module Time spans ("15m", "30 s", "2h", "1d") and NumericDate (RFC 7519 §2) helpers.
 *
 * Only numbers and strings of this exact shape are accepted: a span that cannot be read is an error,
 * never a silent zero or Infinity that would disable a check (see jose b3471826 / 282f9aaa).
 */
import { JOSEOptionInvalid } from '../errors.js'

const UNIT_SECONDS: Record<string, number> = {
  s: 1,
  sec: 1,
  secs: 1,
  second: 1,
  seconds: 1,
  m: 60,
  min: 60,
  mins: 60,
  minute: 60,
  minutes: 60,
  h: 3600,
  hr: 3600,
  hrs: 3600,
  hour: 3600,
  hours: 3600,
  d: 86400,
  day: 86400,
  days: 86400,
  w: 604800,
  week: 604800,
  weeks: 604800,
  y: 31557600,
  yr: 31557600,
  yrs: 31557600,
  year: 31557600,
  years: 31557600,
}
const SPAN = /^(\d+(?:\.\d+)?) ?([a-z]+)$/i

/** Seconds in a span: a finite non-negative number of seconds, or a string like "15m". */
export function parseSpanSeconds(value: unknown, option: string): number {
  if (typeof value === 'number') {
    if (Number.isFinite(value) && value >= 0) return value
    throw new JOSEOptionInvalid(
      `${option} must be a finite, non-negative number of seconds or a span like "15m"`,
    )
  }
  if (typeof value === 'string') {
    const match = SPAN.exec(value.trim())
    const unit = match ? UNIT_SECONDS[match[2]!.toLowerCase()] : undefined
    if (match && unit !== undefined) {
      const seconds = Number(match[1]) * unit
      if (Number.isFinite(seconds)) return Math.round(seconds)
    }
  }
  throw new JOSEOptionInvalid(
    `${option} must be a span like "30s", "15m", "2h" or "7d", or a number of seconds`,
  )
}

/** Whole seconds since the epoch for a Date (or now). */
export function epochSeconds(date: Date = new Date()): number {
  return Math.floor(date.getTime() / 1000)
}

/** Validates a `currentDate` option. */
export function currentSeconds(currentDate: unknown): number {
  if (currentDate === undefined) return Math.floor(Date.now() / 1000)
  if (currentDate instanceof Date && Number.isFinite(currentDate.getTime())) return epochSeconds(currentDate)
  throw new JOSEOptionInvalid('currentDate must be a valid Date')
}
