/**
 * @module A placeholder command for a feature whose library half is not in this build yet: it says so
 * and exits 1, instead of pretending to work.
 */
import type { Command } from './args.js'
import { CliNotAvailable } from './errors.js'

export function notYet(name: string, summary: string, missing: string): Command {
  return {
    name,
    summary,
    usage: `${name} …`,
    flags: {},
    maxPositionals: 99,
    details: `Not available in this build: ${missing}.`,
    examples: [],
    run: async () => {
      throw new CliNotAvailable(`"tessera ${name}" is not available in this build: ${missing}`)
    },
  }
}
