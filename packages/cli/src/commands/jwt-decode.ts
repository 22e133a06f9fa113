/**
 * @module `tessera jwt decode`: shows a token's header and claims WITHOUT checking the signature, with
 * times as dates and the warnings a reviewer would give.
 */
import { decodeJWT, decodeProtectedHeader, type JWTPayload } from '@tessera/jose'
import { booleanFlag, type Command, type ParsedArgs, stringFlag } from '../args.js'
import { dateValue, readToken } from '../input.js'
import { note, print, printJson } from '../output.js'
import { describeTimeClaim, isoDate } from '../time-format.js'
import { tokenWarnings } from '../token-warnings.js'

const TIME_CLAIMS = ['iat', 'nbf', 'exp'] as const

async function run(args: ParsedArgs): Promise<number> {
  const token = await readToken(args.positionals[0], 'jwt decode')
  const now = Math.floor((dateValue(stringFlag(args, 'now'), 'now') ?? new Date()).getTime() / 1000)
  const header = decodeProtectedHeader(token)
  const encrypted = token.split('.').length === 5
  const payload: JWTPayload | undefined = encrypted ? undefined : decodeJWT(token)
  const times: Record<string, { date: string; relative: string }> = {}
  for (const claim of TIME_CLAIMS) {
    const date = isoDate(payload?.[claim])
    if (date) times[claim] = { date, relative: describeTimeClaim(claim, payload![claim] as number, now) }
  }
  const warnings = tokenWarnings(header, payload)
  if (booleanFlag(args, 'json')) {
    printJson({ header, payload: payload ?? null, encrypted, verified: false, times, warnings })
    return 0
  }
  print(`Header:\n${JSON.stringify(header, null, 2)}`)
  if (encrypted) {
    print('Payload: encrypted (JWE); decrypt it with "tessera jwt decrypt --key FILE"')
  } else {
    print(`Payload:\n${JSON.stringify(payload, null, 2)}`)
  }
  for (const [claim, time] of Object.entries(times))
    print(`${claim.padEnd(4)} ${time.date}  (${time.relative})`)
  for (const warning of warnings) print(`warning: ${warning}`)
  note(
    encrypted
      ? 'Only the header is readable: nothing was decrypted or checked.'
      : 'The signature was NOT checked: use "tessera jwt verify --key FILE" before trusting any of this.',
  )
  return 0
}

export const command: Command = {
  name: 'jwt decode',
  summary: 'show a token’s header and claims (no signature check)',
  usage: 'jwt decode [--json] [--now DATE] [TOKEN | -]',
  maxPositionals: 1,
  flags: {
    json: { type: 'boolean', description: 'print one JSON object: header, payload, times, warnings' },
    now: {
      type: 'string',
      value: 'DATE',
      description: 'describe times relative to this ISO date or epoch second',
    },
  },
  details:
    'Reads the token from the argument, or from stdin when it is piped ("-" forces stdin). A "Bearer "\n' +
    'prefix is ignored. Exit status: 0 decoded, 1 not a readable token, 2 usage.',
  examples: [
    'tessera jwt decode eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2ln',
    'pbpaste | tessera jwt decode --json | jq .payload.sub',
  ],
  run,
}
