/**
 * @module `tessera serve`: the auth server. Every setting is a flag and a `TESSERA_*` variable (parsed by
 * @tessera/server, so the CLI and programs share one definition); the built web pages are served at `/`
 * when they exist. The first log line says where it listens (`--port 0` picks a free port).
 */
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parseServeArgs, settingsHelp, startCluster, startServer } from '@tessera/server'
import type { Command, ParsedArgs } from '../args.js'
import { CliSystemError } from '../errors.js'
import { table } from '../table.js'

/** packages/web/dist next to this package (dist/commands/serve.js → ../../../web/dist). */
const BUNDLED_WEB = fileURLToPath(new URL('../../../web/dist', import.meta.url))

function withWebRoot(argv: string[]): string[] {
  const given =
    argv.some((arg) => arg === '--web-root' || arg.startsWith('--web-root=')) || process.env.TESSERA_WEB_ROOT
  return given || !existsSync(BUNDLED_WEB) ? argv : [...argv, '--web-root', BUNDLED_WEB]
}

async function run(args: ParsedArgs): Promise<number> {
  const config = parseServeArgs(withWebRoot(args.positionals), process.env)
  try {
    // --cluster N: N workers on the shared port (the first log line still says where).
    if (config.cluster > 1) await startCluster(config)
    else await startServer(config, { handleSignals: true })
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EADDRINUSE') {
      throw new CliSystemError(
        `port ${config.port} on ${config.host} is in use: stop the other server or pass --port`,
      )
    }
    if (code === 'EACCES')
      throw new CliSystemError(`not allowed to listen on port ${config.port}: use a port above 1023`)
    throw error
  }
  if (!config.webRoot)
    process.stderr.write('note: no web pages (build them with "npm run build -w @tessera/web")\n')
  // The server keeps the process alive; SIGINT / SIGTERM close it gracefully and exit.
  return 0
}

function settingsTable(): string {
  return table(
    ['FLAG', 'ENVIRONMENT', 'DEFAULT'],
    settingsHelp().map((s) => [s.flag, s.env, s.default]),
  )
}

export const command: Command = {
  name: 'serve',
  summary: 'run the auth server (SQLite under ./data by default)',
  usage:
    'serve [--port 8080] [--host 127.0.0.1] [--database sqlite:./data/tessera.db] [--issuer URL] [--production] …',
  flags: {},
  passThrough: true,
  get details() {
    return (
      'Settings (a flag wins over its environment variable; booleans also take --no-NAME):\n\n' +
      settingsTable() +
      '\n\n--port 0 picks a free port; the first log line says which. Outside --production a demo user is\n' +
      'seeded and its password logged. TESSERA_SECRET (environment only) encrypts signing keys at rest.'
    )
  },
  examples: [
    'tessera serve',
    'tessera serve --port 0 --database sqlite:/tmp/t.db',
    'TESSERA_SECRET=$(openssl rand -base64 32) tessera serve --production --issuer https://auth.example.com --host 0.0.0.0',
  ],
  run,
}
