#!/usr/bin/env node
/**
 * @module The `tessera` executable: finds the command, parses its flags, runs it, exits with its status.
 */
import { readFileSync } from 'node:fs'
import { helpText, parseCommandArgs } from './args.js'
import { CliUsageError } from './errors.js'
import { print, reportError } from './output.js'
import { COMMANDS, type Entry, findCommand, GROUPS, groupCommands } from './registry.js'

const EXIT_STATUS = 'Exit status: 0 success / valid, 1 failure / invalid (reason on stderr), 2 usage error.'

function commandRows(entries: readonly Entry[]): string[] {
  const width = Math.max(...entries.map((entry) => entry.name.length)) + 2
  return entries.map((entry) => `  ${entry.name.padEnd(width)}${entry.summary}`)
}

function overview(): string {
  return [
    'tessera: token authentication toolkit (JOSE, auth server, CLI)',
    '',
    'Usage: tessera <command> [flags]     tessera <command> --help for its flags and examples',
    '',
    'Commands:',
    ...commandRows(COMMANDS),
    '',
    EXIT_STATUS,
    '',
  ].join('\n')
}

/** `tessera jwt --help`: the group's commands, one line each. */
function groupHelp(group: string, entries: readonly Entry[]): string {
  return [
    `tessera ${group}: ${GROUPS[group] ?? 'commands'}`,
    '',
    `Usage: tessera ${group} <command> [flags]     tessera ${group} <command> --help for its flags and examples`,
    '',
    'Commands:',
    ...commandRows(entries),
    '',
    EXIT_STATUS,
    '',
  ].join('\n')
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string
  }
  return pkg.version
}

async function main(argv: string[]): Promise<number> {
  if (argv.length === 0) {
    process.stderr.write(overview())
    throw new CliUsageError('give a command, e.g. "tessera jwt decode TOKEN"; the list is above')
  }
  if (argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    print(overview())
    return 0
  }
  if (argv[0] === '--version' || argv[0] === '-v') {
    print(version())
    return 0
  }
  const found = findCommand(argv)
  if (!found) {
    const group = groupCommands(argv[0]!)
    if (group.length > 0) {
      if (argv[1] === '--help' || argv[1] === '-h' || argv[1] === 'help') {
        print(groupHelp(argv[0]!, group))
        return 0
      }
      process.stderr.write(groupHelp(argv[0]!, group))
      throw new CliUsageError(
        argv[1] === undefined
          ? `"tessera ${argv[0]}" needs a command: ${group.map((entry) => entry.name.split(' ')[1]).join(', ')}`
          : `"tessera ${argv[0]}" has no command "${argv[1]}"; see the list above`,
      )
    }
    throw new CliUsageError(`unknown command "${argv[0]}"; run "tessera --help" for the list`)
  }
  const { command } = await found.entry.load()
  const parsed = parseCommandArgs(command, argv.slice(found.words))
  if (parsed === 'help') {
    print(helpText(command))
    return 0
  }
  return command.run(parsed)
}

main(process.argv.slice(2)).then(
  (status) => {
    process.exitCode = status
  },
  (error: unknown) => {
    process.exitCode = reportError(error)
  },
)
