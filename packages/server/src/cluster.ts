/**
 * @module `tessera serve --cluster N`: N worker processes on one machine sharing one listening port
 * (node:cluster hands connections out round-robin), each a complete server on the shared store.
 *
 * The first worker starts alone and only then are the others forked, so the first log line is still
 * "tessera listening on …" and the demo credentials are printed once. (The start-up writes themselves —
 * migrations, first signing key, development secret, demo user — are safe for instances starting
 * together anyway.) Only that worker runs the key schedule. A worker that dies is replaced; SIGINT /
 * SIGTERM stop every worker gracefully, then exit; a first worker that cannot start fails the whole start.
 */
import cluster, { type Worker } from 'node:cluster'
import type { ServerConfig } from './config.js'
import { relayRevocations } from './revocation/cluster-channel.js'
import { type StartOptions, startServer } from './server.js'

const WORKER_INDEX = 'TESSERA_CLUSTER_WORKER'

export async function startCluster(config: ServerConfig, options: StartOptions = {}): Promise<void> {
  if (!cluster.isPrimary) {
    const first = process.env[WORKER_INDEX] === '1'
    await startServer(first ? config : { ...config, demoUser: false }, {
      ...options,
      handleSignals: true,
      schedule: first && options.schedule !== false,
    })
    return
  }

  let stopping = false
  // Until the first worker listens, a worker that exits is a failed start, not something to replace.
  let starting = true
  const workers = new Map<Worker, string>()
  const fork = (index: number): Worker => {
    const worker = cluster.fork({ [WORKER_INDEX]: String(index) })
    workers.set(worker, String(index))
    // Revocation notices between workers on one SQLite file travel through here.
    relayRevocations(worker, () => workers.keys())
    return worker
  }
  cluster.on('exit', (worker, code, signal) => {
    const index = workers.get(worker)
    workers.delete(worker)
    if (stopping) {
      if (workers.size === 0) process.exit(0)
      return
    }
    if (starting) return
    process.stderr.write(
      `tessera cluster: worker ${index} (pid ${worker.process.pid}) exited (${signal ?? code}); starting a new one\n`,
    )
    if (index) fork(Number(index))
  })

  const first = fork(1)
  await new Promise<void>((resolve, reject) => {
    first.once('listening', () => resolve())
    first.once('exit', (code, signal) =>
      reject(
        new Error(
          `the first worker exited (${signal ?? `status ${code}`}) before listening; its reason is above`,
        ),
      ),
    )
  })
  starting = false
  for (let index = 2; index <= config.cluster; index++) fork(index)

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return
    stopping = true
    for (const worker of workers.keys()) worker.process.kill(signal)
  }
  process.once('SIGINT', () => stop('SIGTERM'))
  process.once('SIGTERM', () => stop('SIGTERM'))
}
