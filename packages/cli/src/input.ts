/**
 * @module Reading what a command works on: the positional argument, or stdin when it is piped
 * (`-` forces stdin), plus the small value parsers (dates, JSON objects) commands share.
 */
import { CliInputError, CliUsageError } from './errors.js'

/** Most a command reads from stdin; far above any sane token or claims set, and bounds memory. */
const MAX_STDIN_BYTES = 1 << 20

/** All of stdin as text (refusing more than 1 MiB). */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  let total = 0
  for await (const chunk of process.stdin) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer)
    total += buffer.length
    if (total > MAX_STDIN_BYTES)
      throw new CliInputError('stdin is larger than 1 MiB; is this really a token?')
    chunks.push(buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/**
 * The command's input: the positional argument if given (and not "-"), otherwise stdin when it is not
 * a terminal. `fallback` is used when there is neither (undefined means the input is required).
 */
export async function argumentOrStdin(
  positional: string | undefined,
  what: string,
  command: string,
  fallback?: string,
): Promise<string> {
  if (positional !== undefined && positional !== '-') return positional
  if (positional === undefined && process.stdin.isTTY) {
    if (fallback !== undefined) return fallback
    throw new CliUsageError(
      `give the ${what} as an argument or pipe it on stdin; run "tessera ${command} --help"`,
    )
  }
  const text = (await readStdin()).trim()
  if (text === '') {
    if (fallback !== undefined) return fallback
    throw new CliInputError(`stdin was empty: pipe the ${what} in, or give it as an argument`)
  }
  return text
}

/** A token from the argument or stdin, with surrounding whitespace and a "Bearer " prefix removed. */
export async function readToken(positional: string | undefined, command: string): Promise<string> {
  const text = (await argumentOrStdin(positional, 'token', command)).trim()
  return text.replace(/^Bearer\s+/i, '')
}

/** Parses a JSON object (claims, a JWK); arrays and scalars are refused. */
export function parseJsonObject(text: string, what: string): Record<string, unknown> {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    const detail = error instanceof SyntaxError ? error.message : 'not JSON'
    throw new CliInputError(`the ${what} is not valid JSON (${detail}); quote it, e.g. '{"sub":"u1"}'`)
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CliInputError(`the ${what} must be a JSON object like {"sub":"u1"}`)
  }
  return value as Record<string, unknown>
}

/** A `--now` value: an ISO 8601 date or seconds since the epoch. */
export function dateValue(value: string | undefined, flag: string): Date | undefined {
  if (value === undefined) return undefined
  const date = /^\d+$/.test(value) ? new Date(Number(value) * 1000) : new Date(value)
  if (!Number.isFinite(date.getTime())) {
    throw new CliUsageError(`--${flag} must be an ISO date (2026-01-31T12:00:00Z) or seconds since the epoch`)
  }
  return date
}
