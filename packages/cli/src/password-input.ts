/**
 * @module Reading a new user's password without it ever touching argv or the shell history: the first
 * line of piped stdin, an environment variable named by the caller, or a hidden prompt asked twice.
 */
import { createInterface } from 'node:readline'
import { CliInputError, CliUsageError } from './errors.js'
import { readStdin } from './input.js'

async function prompt(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true })
  // Echo nothing but the question: readline writes typed characters through _writeToOutput.
  const internal = rl as unknown as { _writeToOutput: (text: string) => void }
  let asked = false
  internal._writeToOutput = (text: string) => {
    if (!asked) {
      process.stderr.write(text)
      asked = true
    }
  }
  try {
    return await new Promise<string>((resolve) => rl.question(question, resolve))
  } finally {
    rl.close()
    process.stderr.write('\n')
  }
}

export async function readNewPassword(envName: string | undefined): Promise<string> {
  if (envName) {
    const value = process.env[envName]
    if (!value) throw new CliUsageError(`environment variable "${envName}" is not set or empty`)
    return value
  }
  if (!process.stdin.isTTY) {
    const line = (await readStdin()).split(/\r?\n/)[0] ?? ''
    if (!line)
      throw new CliInputError(
        'stdin was empty: pipe the password in (one line), or run in a terminal to be asked',
      )
    return line
  }
  const first = await prompt('New password: ')
  const second = await prompt('Repeat it: ')
  if (first !== second) throw new CliInputError('the two passwords differ; nothing was changed')
  return first
}
