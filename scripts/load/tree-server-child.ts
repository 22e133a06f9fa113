/**
 * @module One server from a built tree, as its own process: `node --import tsx tree-server-child.ts
 * <tree root> '<json config overrides>'`. Imports that tree's `packages/server/dist` (so each side runs
 * its own code and its own dependencies), listens on a loopback port of its own, sends `{ url }` over
 * IPC, and closes gracefully on SIGTERM — or when that channel closes, so a load run killed outright
 * leaves no server behind.
 */
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

interface ServerModule {
  loadConfig(overrides: Record<string, unknown>): unknown
  startServer(config: unknown, options: { handleSignals: boolean }): Promise<{ url: string }>
}

const [root, overrides] = process.argv.slice(2) as [string, string]
// Before start-up: a parent gone during it ends this process too (SIGTERM's default, no handler yet).
process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'))
const server = (await import(pathToFileURL(join(root, 'packages/server/dist/index.js')).href)) as ServerModule
const config = server.loadConfig({ host: '127.0.0.1', port: 0, demoUser: false, ...JSON.parse(overrides) })
const running = await server.startServer(config, { handleSignals: true })
process.send?.({ url: running.url })
