/**
 * @module One server instance for the scale-out tests and `npm run load`: `node --import tsx
 * scale-instance.ts '<json config overrides>'`. Logs JSON lines (the first says where it listens), closes
 * gracefully on SIGTERM, and on the IPC message `rotate` rotates the signing key itself (at once), so a
 * test can say "rotate on B" and watch A and C follow.
 */
import { loadConfig, type ServerConfig, startServer } from '../../src/index.js'

const overrides = JSON.parse(process.argv[2] ?? '{}') as Partial<ServerConfig>
const server = await startServer(loadConfig({ host: '127.0.0.1', port: 0, demoUser: false, ...overrides }), {
  handleSignals: true,
})

process.on('message', (message) => {
  if (message !== 'rotate') return
  server.services.keys.rotate({ immediate: true }).then(
    (info) => process.send?.({ rotated: info.kid }),
    (error: Error) => process.send?.({ error: error.message }),
  )
})
