/** @module The profile flags `users add` and `users update` share (`--name`, `--email`, verification). */
import type { FlagTable, ParsedArgs } from './args.js'
import { booleanFlag, stringFlag } from './args.js'
import { CliUsageError } from './errors.js'

export const profileFlags: FlagTable = {
  name: { type: 'string', value: 'NAME', description: 'the display name clients see (OIDC name)' },
  email: { type: 'string', value: 'ADDRESS', description: 'the email address clients see (OIDC email)' },
  'email-verified': { type: 'boolean', description: 'mark the email address as verified' },
  'email-unverified': { type: 'boolean', description: 'mark the email address as not verified' },
}

export function profileOf(args: ParsedArgs): { name?: string; email?: string; emailVerified?: boolean } {
  const name = stringFlag(args, 'name')
  const email = stringFlag(args, 'email')
  const verified = booleanFlag(args, 'email-verified')
  const unverified = booleanFlag(args, 'email-unverified')
  if (verified && unverified) throw new CliUsageError('give --email-verified or --email-unverified, not both')
  return {
    ...(name !== undefined ? { name } : {}),
    ...(email !== undefined ? { email } : {}),
    ...(verified ? { emailVerified: true } : unverified ? { emailVerified: false } : {}),
  }
}
