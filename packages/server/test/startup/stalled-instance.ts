/**
 * @module A start-up that can never finish: the store's first read returns a promise nothing will settle
 * (what a lost wake-up inside a driver looks like), so the event loop runs dry while the server starts.
 * `node --import tsx stalled-instance.ts`: must say so and exit 1, never 0 in silence.
 */
import { loadConfig, type Store, startServer } from '../../src/index.js'

const never = () => new Promise<never>(() => {})
const store = {
  kind: 'sqlite',
  signingKeys: { list: never, insert: never, retire: never, deleteRemovedBefore: never },
  purgeExpired: never,
  close: async () => {},
} as unknown as Store

await startServer(loadConfig({ host: '127.0.0.1', port: 0, database: 'sqlite::memory:', demoUser: false }), {
  store,
})
