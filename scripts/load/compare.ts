/**
 * @module `npm run load -- --scenario compare [--instances 3]`: the sessions-vs-tokens comparison that
 * `tessera compare` and `GET /api/compare` show, measured on one SQLite instance or over three instances
 * sharing PostgreSQL + Redis (load spread over all three, each logout made on the first and watched on
 * the last), printed as the CLI's table or as the report's JSON.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { reportTable } from '../../packages/cli/src/compare-table.js'
import { measureComparison } from '../../packages/server/src/compare/measure.js'
import { type Instance, startInstance } from '../../packages/server/test/helpers/instances.js'
import { freshDatabase, REDIS_URL } from '../../packages/server/test/helpers/services.js'
import { cleanup, cleanupOnSignals, onCleanup } from './cleanup.js'

export interface CompareScenarioOptions {
  instances: 1 | 3
  duration: number
  connections: number
  logLevel: string
  json: boolean
}

const SECRET = 'load-secret-0123456789-abcdefghijklmnopq'

export async function runCompare(options: CompareScenarioOptions): Promise<void> {
  cleanupOnSignals()
  const dir = mkdtempSync(join(tmpdir(), 'tessera-load-compare-'))
  onCleanup(`remove ${dir}`, () => rmSync(dir, { recursive: true, force: true }))
  try {
    let database = `sqlite:${join(dir, 'compare.db')}`
    let redis: string | undefined
    if (options.instances === 3) {
      const db = freshDatabase('load_compare')
      onCleanup('drop the PostgreSQL schema', () => db.drop())
      database = db.url
      redis = REDIS_URL
    }
    const settings = {
      database,
      ...(redis ? { redis } : {}),
      secret: SECRET,
      issuer: 'http://localhost:8080',
      logLevel: options.logLevel,
    }
    const instances: Instance[] = []
    for (const name of ['A', 'B', 'C'].slice(0, options.instances)) {
      const instance = await startInstance(name, settings, { logFile: join(dir, `${name}.log`) })
      onCleanup(`stop instance ${name}`, () => instance.stop())
      instances.push(instance)
    }
    const [first, ...also] = instances.map((i) => i.url) as [string, ...string[]]
    process.stderr.write(`load: comparing over ${instances.length} instance(s)…\n`)
    const report = await measureComparison({
      url: first,
      also,
      durationMs: options.duration * 1000,
      connections: options.connections,
      sessionStore: redis ? 'PostgreSQL, with Redis in front' : 'the SQLite file',
    })
    if (options.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`)
    else process.stdout.write(reportTable(report))
    if (report.token.errors > 0 || (report.session.available && report.session.errors > 0))
      process.exitCode = 1
  } finally {
    await cleanup()
  }
}
