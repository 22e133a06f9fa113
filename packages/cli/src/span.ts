/**
 * @module Reading a span flag ("5s", "2m", "1h") into seconds, for the CLI's own settings.
 */
import { CliUsageError } from './errors.js'

const UNITS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 }

export function parseSpanSeconds(value: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/.exec(value.trim())
  if (!match) throw new CliUsageError(`${flag} must be a span like 5s, 2m or 1h`)
  return Number(match[1]) * UNITS[match[2] ?? 's']!
}
