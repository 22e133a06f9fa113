/**
 * @module A server in a child process, for multi-process tests: `node --import tsx serve-child.ts <json
 * config overrides>`. Prints `READY <url>` once listening and closes gracefully on SIGTERM.
 */
import { loadConfig, type ServerConfig, startServer } from '../../src/index.js'

const overrides = JSON.parse(process.argv[2] ?? '{}') as Partial<ServerConfig>
const server = await startServer(
  loadConfig({ host: '127.0.0.1', port: 0, demoUser: false, logLevel: 'warn', ...overrides }),
  {
    handleSignals: true,
  },
)
process.stdout.write(`READY ${server.url}\n`)
