/**
 * @module One server from a built tree, as its own process: `node --import tsx tree-server-child.ts
 * <tree root>`, with the config overrides as JSON in TESSERA_LOAD_OVERRIDES (the environment, not the
 * command line: they hold the secret, and `ps` shows command lines to everyone). Imports that tree's
 * `packages/server/dist` (so each side runs its own code and its own dependencies), listens on a
 * loopback port of its own, sends `{ url }` over IPC, and closes gracefully on SIGTERM — or when that
 * channel closes, so a load run killed outright leaves no server behind.
 */
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

interface ServerModule {
  loadConfig(overrides: Record<string, unknown>): unknown
  startServer(config: unknown, options: { handleSignals: boolean }): Promise<{ url: string }>
}

const root = process.argv[2]!
const overrides = JSON.parse(process.env.TESSERA_LOAD_OVERRIDES ?? '{}') as Record<string, unknown>
// Before start-up: a parent gone during it ends this process too (SIGTERM's default, no handler yet).
process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'))
const server = (await import(pathToFileURL(join(root, 'packages/server/dist/index.js')).href)) as ServerModule
const config = server.loadConfig({ host: '127.0.0.1', port: 0, demoUser: false, ...overrides })
const running = await server.startServer(config, { handleSignals: true })
process.send?.({ url: running.url })
