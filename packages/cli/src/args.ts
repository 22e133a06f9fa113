/**
 * @module Flag parsing for every command (node:util parseArgs, strict), and the `--help` text built
 * from the same flag table so the two can never disagree.
 */
import { parseArgs } from 'node:util'
import { CliUsageError } from './errors.js'

export interface Flag {
  type: 'string' | 'boolean'
  short?: string
  /** The value's placeholder in help, e.g. FILE. */
  value?: string
  description: string
  multiple?: boolean
}

export type FlagTable = Record<string, Flag>

/** What a command declares: how it is called, its flags and examples. `run` returns the exit status. */
export interface Command {
  /** The words that name it, e.g. "jwt verify". */
  name: string
  summary: string
  /** The synopsis after "tessera ", e.g. "jwt verify --key FILE [TOKEN]". */
  usage: string
  flags: FlagTable
  /** Positional arguments accepted (default 0). */
  maxPositionals?: number
  /** Extra paragraphs for `--help` (exit codes, formats). */
  details?: string
  examples: string[]
  /** Hand argv to the command unparsed (serve: the server parses its own settings). */
  passThrough?: boolean
  run(args: ParsedArgs): Promise<number>
}

export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | undefined>
  positionals: string[]
}

const HELP_FLAG: Flag = { type: 'boolean', short: 'h', description: 'show this help' }

/** Parses argv for a command; unknown flags, missing values and extra arguments are usage errors. */
export function parseCommandArgs(command: Command, argv: string[]): ParsedArgs | 'help' {
  if (command.passThrough) {
    return argv.includes('--help') || argv.includes('-h') ? 'help' : { values: {}, positionals: argv }
  }
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {}
  for (const [name, flag] of Object.entries({ ...command.flags, help: HELP_FLAG })) {
    options[name] = {
      type: flag.type,
      ...(flag.short ? { short: flag.short } : {}),
      multiple: flag.multiple ?? false,
    }
  }
  let parsed: ReturnType<typeof parseArgs>
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: true })
  } catch (error) {
    // parseArgs messages name only the flag, never its value, so they are safe to show.
    const reason =
      error instanceof Error
        ? error.message.split('\n')[0]!.split('. ')[0]!.replace(/\.$/, '')
        : 'bad arguments'
    throw new CliUsageError(`${reason}; run "tessera ${command.name} --help" for the flags it takes`)
  }
  if (parsed.values.help === true) return 'help'
  const max = command.maxPositionals ?? 0
  if (parsed.positionals.length > max) {
    throw new CliUsageError(
      `"tessera ${command.name}" takes ${max === 0 ? 'no' : `at most ${max}`} argument${max === 1 ? '' : 's'} ` +
        `besides flags, got ${parsed.positionals.length}; quote JSON claims as one argument`,
    )
  }
  return { values: parsed.values as ParsedArgs['values'], positionals: parsed.positionals }
}

/** The `--help` text of a command. */
export function helpText(command: Command): string {
  const rows = Object.entries({ ...command.flags, help: HELP_FLAG }).map(([name, flag]) => {
    const left = `${flag.short ? `-${flag.short}, ` : '    '}--${name}${flag.type === 'string' ? ` ${flag.value ?? 'VALUE'}` : ''}`
    return [left, flag.description] as const
  })
  const width = Math.max(...rows.map(([left]) => left.length)) + 2
  const lines = [
    `tessera ${command.name}: ${command.summary}`,
    '',
    `Usage: tessera ${command.usage}`,
    '',
    'Flags:',
    ...rows.map(([left, text]) => `  ${left.padEnd(width)}${text}`),
  ]
  if (command.details) lines.push('', command.details.trim())
  lines.push('', 'Examples:', ...command.examples.map((example) => `  ${example}`))
  return `${lines.join('\n')}\n`
}

/** A string flag's value, or undefined. */
export function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const value = args.values[name]
  return typeof value === 'string' ? value : undefined
}

/** A string flag that must be given. */
export function requiredFlag(args: ParsedArgs, name: string, command: string, hint: string): string {
  const value = stringFlag(args, name)
  if (value === undefined || value === '') {
    throw new CliUsageError(`--${name} is required (${hint}); run "tessera ${command} --help"`)
  }
  return value
}

/** A whole-number flag (digits only), or undefined; `accepts` says what it takes, for the message. */
export function integerFlag(args: ParsedArgs, name: string, accepts: string): number | undefined {
  const value = stringFlag(args, name)
  if (value === undefined) return undefined
  if (!/^\d{1,9}$/.test(value)) throw new CliUsageError(`--${name} must be a whole number, ${accepts}`)
  return Number(value)
}

/** A boolean flag. */
export function booleanFlag(args: ParsedArgs, name: string): boolean {
  return args.values[name] === true
}

/** A comma-separated list flag ("ES256,EdDSA"), or undefined. */
export function listFlag(args: ParsedArgs, name: string): string[] | undefined {
  const value = stringFlag(args, name)
  if (value === undefined) return undefined
  const items = value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)
  if (items.length === 0) throw new CliUsageError(`--${name} must list at least one value`)
  return items
}
