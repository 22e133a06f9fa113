/**
 * @module Duration flags (`--exp 15m`, `--leeway 30s`, `--duration 5s`): a number with a unit, read
 * into whole or fractional seconds here, so the library only ever sees a number the CLI checked.
 */
import { type ParsedArgs, stringFlag } from './args.js'
import { CliUsageError } from './errors.js'

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 }

/** What every duration flag accepts, for help texts and messages. */
export const DURATION_FORMS = 'a number with a unit: 30s, 15m, 2h or 7d'

/**
 * Seconds in a duration like "15m". A bare number is refused: whether `--exp 15` meant seconds or
 * minutes is exactly the guess a token's lifetime must not depend on.
 */
export function parseDuration(value: string, flag: string): number {
  const text = value.trim()
  if (/^\d+(\.\d+)?$/.test(text)) {
    throw new CliUsageError(
      `--${flag} ${text} has no unit: write ${text}s, ${text}m, ${text}h or ${text}d (${DURATION_FORMS})`,
    )
  }
  const match = /^(\d+(?:\.\d+)?)(s|m|h|d)$/.exec(text)
  if (!match) throw new CliUsageError(`--${flag} must be ${DURATION_FORMS}; got "${text.slice(0, 32)}"`)
  return Number(match[1]) * UNIT_SECONDS[match[2]!]!
}

/** A duration flag's value in seconds, or undefined when the flag was not given. */
export function durationFlag(args: ParsedArgs, flag: string): number | undefined {
  const value = stringFlag(args, flag)
  return value === undefined ? undefined : parseDuration(value, flag)
}
