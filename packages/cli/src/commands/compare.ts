/**
 * @module `tessera compare`: sessions vs tokens, measured against a running server by @tessera/server's
 * `measureComparison` (the measurement `GET /api/compare` runs), as a throwaway user or a given one.
 */
import { CompareFailed, measureComparison } from '@tessera/server'
import { booleanFlag, type Command, integerFlag, type ParsedArgs, stringFlag } from '../args.js'
import { reportTable } from '../compare-table.js'
import { parseDuration } from '../duration-flag.js'
import { CliRemoteError, CliUsageError } from '../errors.js'
import { note, print, printJson } from '../output.js'
import { adminConfig, DATABASE_FLAG } from '../server-config.js'
import { type Account, withThrowawayUser } from '../throwaway-user.js'

async function run(args: ParsedArgs): Promise<number> {
  // Several instances of one deployment: --url A,B,C (load spread over all, logout seen on the last).
  const urls = (stringFlag(args, 'url') ?? 'http://127.0.0.1:8080').split(',').map((u) => u.trim())
  for (const each of urls) {
    try {
      const url = new URL(each)
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme')
    } catch {
      throw new CliUsageError(
        '--url must be the server’s base URL, e.g. http://127.0.0.1:8080 (several instances: comma-separated)',
      )
    }
  }
  if (urls.length > 16) throw new CliUsageError('--url takes at most 16 instances')
  const [base, ...also] = urls as [string, ...string[]]
  const duration = parseDuration(stringFlag(args, 'duration') ?? '5s', 'duration')
  if (duration < 1 || duration > 120) throw new CliUsageError('--duration must be between 1s and 2m')
  const connections = integerFlag(args, 'connections', 'from 1 to 256') ?? 16
  if (connections < 1 || connections > 256) {
    throw new CliUsageError('--connections must be a whole number from 1 to 256')
  }
  const username = stringFlag(args, 'username')
  const password = process.env.TESSERA_COMPARE_PASSWORD
  if (username && !password) {
    throw new CliUsageError(
      '--username needs the password in the TESSERA_COMPARE_PASSWORD environment variable',
    )
  }
  note(`measuring ${urls.join(', ')}: ${duration} s each of GET /me, GET /session/me and a resource server…`)
  const measure = (account: Account) =>
    measureComparison({ url: base, also, durationMs: duration * 1000, connections, account }).catch(
      (error: unknown) => {
        // The CLI's own code for "the remote end failed", as for a JWKS URL (docs/cli.md).
        if (error instanceof CompareFailed) throw new CliRemoteError(error.message, { cause: error })
        throw error
      },
    )
  let report: Awaited<ReturnType<typeof measureComparison>>
  if (username && password) {
    report = await measure({ username, password })
  } else {
    const config = adminConfig(args)
    report = await withThrowawayUser(config, async (account) => {
      const measured = await measure(account).catch((error: unknown) => {
        if (error instanceof CliRemoteError) {
          error.message += `; the throwaway user was made in ${config.database} (--database): the server at ${base} must use that store`
        }
        throw error
      })
      measured.notes.push(
        `Measured as the throwaway user "${account.username}", made in ${config.database} and disabled when the run ended (its refresh tokens and sessions ended with it).`,
      )
      return measured
    })
  }
  if (booleanFlag(args, 'json')) printJson(report)
  else print(reportTable(report))
  return 0
}

export const command: Command = {
  name: 'compare',
  summary: 'measure sessions vs tokens against a running server',
  usage:
    'compare [--url http://127.0.0.1:8080[,URL…]] [--database URL | --username NAME] [--duration 5s] [--connections 16] [--json]',
  flags: {
    url: {
      type: 'string',
      value: 'URL',
      description:
        'the server’s base URL (default http://127.0.0.1:8080); several instances of one deployment, comma-separated',
    },
    duration: {
      type: 'string',
      value: 'DURATION',
      description: 'load /me, /session/me and the resource server this long each (default 5s)',
    },
    connections: {
      type: 'string',
      value: 'N',
      description: 'concurrent keep-alive connections (default 16)',
    },
    database: {
      ...DATABASE_FLAG,
      description:
        'the measured server’s store, where the throwaway user is made (default: $TESSERA_DATABASE or sqlite:./data/tessera.db)',
    },
    username: {
      type: 'string',
      value: 'NAME',
      description:
        'measure as this existing user (password in TESSERA_COMPARE_PASSWORD), e.g. on a remote server',
    },
    json: {
      type: 'boolean',
      description: 'print { token: {…}, session: {…}, notes: […] } with units in the field names',
    },
  },
  details:
    'Makes a throwaway user in the server’s store (--database; unless --username) and disables it when\n' +
    'the run ends, also on failure. Logs in with a token and with a session, reads the server’s work per\n' +
    'request from Server-Timing, sends GET /me and GET /session/me for --duration each (spread over every\n' +
    '--url), loads a resource server it starts (verifyRequest over the JWKS), and logs out on the first\n' +
    'instance to see when the last one refuses the credential.\n' +
    'A mode the server lacks is reported as not measured, never estimated.',
  examples: [
    'tessera compare',
    'tessera compare --url http://127.0.0.1:8080 --duration 10s --json > compare.json',
    'tessera compare --url http://10.0.0.1:8080,http://10.0.0.2:8080,http://10.0.0.3:8080 --database postgres://…',
    'TESSERA_COMPARE_PASSWORD=… tessera compare --url https://auth.example.com --username bench',
  ],
  run,
}
