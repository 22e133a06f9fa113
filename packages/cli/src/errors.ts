/**
 * @module The CLI's own typed errors. Each carries a stable `code` and the exit status a script sees:
 * 2 for "you called it wrong" (usage, unreadable input or key files), 1 for "the operation failed".
 */

/** Base class: `exitCode` is what the process exits with when this error ends a command. */
export class CliError extends Error {
  readonly code: string = 'ERR_CLI_GENERIC'
  readonly exitCode: number = 1
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = this.constructor.name
  }
}

/** Unknown command or flag, a missing or malformed argument. */
export class CliUsageError extends CliError {
  override readonly code = 'ERR_CLI_USAGE'
  override readonly exitCode = 2
}

/** Input the command was pointed at cannot be read or parsed (claims JSON, stdin, a file). */
export class CliInputError extends CliError {
  override readonly code = 'ERR_CLI_INPUT'
  override readonly exitCode = 2
}

/** A key file, JWK Set or JWKS URL could not be loaded or does not fit the command. */
export class CliKeyFileError extends CliError {
  override readonly code = 'ERR_CLI_KEY_FILE'
  override readonly exitCode = 2
}

/** The feature needs something this build does not have yet (it says what). */
export class CliNotAvailable extends CliError {
  override readonly code = 'ERR_CLI_NOT_AVAILABLE'
  override readonly exitCode = 1
}

/** A remote call (`compare`, a JWKS URL) failed: server down, unexpected status or body. */
export class CliRemoteError extends CliError {
  override readonly code = 'ERR_CLI_REMOTE'
  override readonly exitCode = 1
}

/** The operating system refused (a port in use, a permission): the message names the resource. */
export class CliSystemError extends CliError {
  override readonly code = 'ERR_CLI_SYSTEM'
  override readonly exitCode = 1
}

/** Every code the CLI itself emits. */
export type CliErrorCode =
  | 'ERR_CLI_GENERIC'
  | 'ERR_CLI_USAGE'
  | 'ERR_CLI_INPUT'
  | 'ERR_CLI_KEY_FILE'
  | 'ERR_CLI_NOT_AVAILABLE'
  | 'ERR_CLI_REMOTE'
  | 'ERR_CLI_SYSTEM'
