/**
 * @module Algorithm flags (`--alg`, `--enc`, `--sign-alg`, `--verify-alg`) checked against the library's
 * own algorithm tables before anything runs, so an unknown name is a usage error that lists what the
 * flag accepts instead of a library error about an option.
 */
import { JWE_ALGORITHMS, JWS_ALGORITHMS } from '@tessera/jose'
import { listFlag, type ParsedArgs, stringFlag } from './args.js'
import { CliUsageError } from './errors.js'

/** The kinds of algorithm a flag can name, each with the library's list of names. */
export const ALGORITHM_KINDS = {
  jws: { what: 'signature algorithm', names: JWS_ALGORITHMS },
  keyManagement: { what: 'JWE key management algorithm', names: JWE_ALGORITHMS.alg },
  contentEncryption: { what: 'JWE content encryption', names: JWE_ALGORITHMS.enc },
} as const

export type AlgorithmKind = keyof typeof ALGORITHM_KINDS

/** Throws a usage error naming the flag and every name it accepts unless `value` is one of `names`. */
export function checkAlgorithm(flag: string, value: string, names: readonly string[], what: string): void {
  if (names.includes(value)) return
  throw new CliUsageError(
    `--${flag} "${value.slice(0, 32)}" is not a ${what} tessera knows; use one of: ${names.join(', ')}`,
  )
}

/** One algorithm flag's value, checked, or undefined when not given. */
export function algorithmFlag(args: ParsedArgs, flag: string, kind: AlgorithmKind): string | undefined {
  const value = stringFlag(args, flag)
  if (value === undefined) return undefined
  const { what, names } = ALGORITHM_KINDS[kind]
  checkAlgorithm(flag, value, names, what)
  return value
}

/** A comma-separated algorithm flag's values, each checked, or undefined when not given. */
export function algorithmListFlag(args: ParsedArgs, flag: string, kind: AlgorithmKind): string[] | undefined {
  const values = listFlag(args, flag)
  if (values === undefined) return undefined
  const { what, names } = ALGORITHM_KINDS[kind]
  for (const value of values) checkAlgorithm(flag, value, names, what)
  return values
}
