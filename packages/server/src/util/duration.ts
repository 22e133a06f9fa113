/**
 * @module Reads setting spans ("15m", "30d", "15s", or seconds) into whole seconds. A span that cannot
 * be read is an error naming the setting — never a silent zero that would switch a check off.
 */
import { ConfigInvalid } from '../errors.js'

const UNIT: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 }
const SPAN = /^(\d+)(s|m|h|d|w)?$/

export function parseSpan(value: string | number, setting: string): number {
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= 0) return value
    throw new ConfigInvalid(setting, 'must be a whole, non-negative number of seconds')
  }
  const match = SPAN.exec(value.trim())
  if (!match) throw new ConfigInvalid(setting, `"${value}" is not a span like 30s, 15m, 2h, 30d (or seconds)`)
  return Number(match[1]) * UNIT[match[2] ?? 's']!
}

/** A span for display: the largest unit that divides it ("900" → "15m"). */
export function formatSpan(seconds: number): string {
  for (const [unit, size] of [
    ['d', 86400],
    ['h', 3600],
    ['m', 60],
  ] as const) {
    if (seconds >= size && seconds % size === 0) return `${seconds / size}${unit}`
  }
  return `${seconds}s`
}
