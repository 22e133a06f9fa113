/**
 * @module One server process started the way `tessera serve` starts one (development mode, so the demo user
 * is seeded and its credentials printed), with nothing of its own around start-up: a start-up that fails
 * ends this process the way it would end the real one.
 * `node --import tsx serve-instance.ts <json config overrides>`.
 */
import { loadConfig, startServer } from '../../src/index.js'

const overrides = JSON.parse(process.argv[2] ?? '{}')
await startServer(loadConfig({ host: '127.0.0.1', port: 0, logLevel: 'info', ...overrides }), {
  handleSignals: true,
})
