/**
 * @module Everything the CLI prints: results on stdout (text or `--json`), failures on stderr as one
 * `code: message` line, and the exit status that goes with each kind of failure.
 */
import { CliError, type CliErrorCode } from './errors.js'
import { cliWording } from './library-wording.js'

/** Writes one block of text to stdout, ending it with a newline. */
export function print(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`)
}

/** Writes a value as pretty JSON to stdout (what `--json` promises: one JSON document). */
export function printJson(value: unknown): void {
  print(JSON.stringify(value, null, 2))
}

/** A note for humans on stderr (warnings, progress): never part of the machine-readable output. */
export function note(text: string): void {
  process.stderr.write(text.endsWith('\n') ? text : `${text}\n`)
}

/** The stable code of any error: ours, @tessera/jose's and @tessera/server's all carry one. */
export function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' && code.startsWith('ERR_')
    ? code
    : ('ERR_CLI_INTERNAL' satisfies CliErrorCode)
}

/**
 * The message to show, in the CLI's words (library function and option names replaced by commands and
 * flags). Library messages never hold a token, secret or key, so they are safe to print.
 */
export function errorMessage(error: unknown): string {
  return cliWording(error instanceof Error ? error.message : String(error))
}

/** Codes of @tessera/server errors that mean "the command was called wrong" (a bad setting or name). */
const USAGE_CODES = new Set(['ERR_CONFIG_INVALID', 'ERR_REQUEST_INVALID', 'ERR_CLIENT_INVALID'])

/** 2 for usage and input problems, 1 for everything else (an invalid token, a failed call). */
export function exitCodeFor(error: unknown): number {
  if (error instanceof CliError) return error.exitCode
  return USAGE_CODES.has(errorCode(error)) ? 2 : 1
}

/** Prints `code: message` on stderr and returns the exit status for the error. */
export function reportError(error: unknown): number {
  const code = errorCode(error)
  // An unexpected error is a bug: its stack helps the report, and TESSERA_DEBUG shows it.
  if (code === 'ERR_CLI_INTERNAL' && process.env.TESSERA_DEBUG && error instanceof Error)
    note(error.stack ?? '')
  note(`${code}: ${errorMessage(error)}`)
  return exitCodeFor(error)
}

/** The `{ code, message }` object `--json` output uses for a failure. */
export function errorJson(error: unknown): { code: string; message: string } {
  return { code: errorCode(error), message: errorMessage(error) }
}
