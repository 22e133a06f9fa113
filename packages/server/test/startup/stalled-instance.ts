/**
 * @module A start-up that can never finish: the store's first read returns a promise nothing will settle
 * (what a lost wake-up inside a driver looks like), so the event loop runs dry while the server starts.
 * `node --import tsx stalled-instance.ts`: must say so and exit 1, never 0 in silence.
 */
import { loadConfig, type Store, startServer } from '../../src/index.js'

const never = () => new Promise<never>(() => {})
/** Every repository method returns such a promise. */
const repository = new Proxy({}, { get: (_target, name) => (name === 'then' ? undefined : never) })
const own: Record<string | symbol, unknown> = { kind: 'sqlite', close: async () => {}, purgeExpired: never }
// Optional members (exclusive locks, key notices) are absent, as on an in-memory SQLite store.
const OPTIONAL = new Set<string | symbol>(['then', 'exclusive', 'watchSigningKeys'])
const store = new Proxy(own, {
  get: (target, name) =>
    name in target ? target[name] : OPTIONAL.has(name) || typeof name === 'symbol' ? undefined : repository,
}) as unknown as Store

await startServer(loadConfig({ host: '127.0.0.1', port: 0, database: 'sqlite::memory:', demoUser: false }), {
  store,
})
