/**
 * @module `tessera serve --cluster N` as a test process: `node --import tsx cluster-child.ts '<json config
 * overrides>'`. node:cluster re-runs this same file in every worker.
 */
import { loadConfig, type ServerConfig, startCluster } from '../../src/index.js'

const overrides = JSON.parse(process.argv[2] ?? '{}') as Partial<ServerConfig>
await startCluster(loadConfig({ host: '127.0.0.1', port: 0, ...overrides }))
