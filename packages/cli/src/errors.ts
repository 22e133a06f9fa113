/**
 * @module The CLI's own typed errors. Each carries a stable `code` and the exit status a script sees:
 * 2 for "you called it wrong" (usage, unreadable input or key files), 1 for "the operation failed".
 */

/** Every code the CLI itself emits (docs/cli.md lists exactly these; a test checks both ways). */
export type CliErrorCode =
  | 'ERR_CLI_USAGE'
  | 'ERR_CLI_INPUT'
  | 'ERR_CLI_KEY_FILE'
  | 'ERR_CLI_REMOTE'
  | 'ERR_CLI_SYSTEM'
  | 'ERR_CLI_INTERNAL'

/** Base class: `exitCode` is what the process exits with when this error ends a command. */
export abstract class CliError extends Error {
  abstract readonly code: CliErrorCode
  abstract readonly exitCode: 1 | 2
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = this.constructor.name
  }
}

/** Unknown command or flag, a missing or malformed argument or flag value. */
export class CliUsageError extends CliError {
  readonly code = 'ERR_CLI_USAGE'
  readonly exitCode = 2
}

/** Input the command was pointed at cannot be read or parsed (claims JSON, stdin, a file). */
export class CliInputError extends CliError {
  readonly code = 'ERR_CLI_INPUT'
  readonly exitCode = 2
}

/** A key file, JWK Set or JWKS URL could not be loaded or does not fit the command. */
export class CliKeyFileError extends CliError {
  readonly code = 'ERR_CLI_KEY_FILE'
  readonly exitCode = 2
}

/** A remote call (`compare`, a JWKS URL) failed: server down, unexpected status or body. */
export class CliRemoteError extends CliError {
  readonly code = 'ERR_CLI_REMOTE'
  readonly exitCode = 1
}

/** The operating system refused (a port in use, a permission): the message names the resource. */
export class CliSystemError extends CliError {
  readonly code = 'ERR_CLI_SYSTEM'
  readonly exitCode = 1
}

/** Something failed without a code of its own: a bug in the CLI (TESSERA_DEBUG=1 prints the stack). */
export class CliInternalError extends CliError {
  readonly code = 'ERR_CLI_INTERNAL'
  readonly exitCode = 1
}
