/**
 * @module `tessera serve --cluster N`: N worker processes on one machine sharing one listening port
 * (node:cluster hands connections out round-robin), each a complete server on the shared store.
 *
 * The first worker starts alone: it migrates, creates the first signing key, writes the development
 * secret and seeds the demo user, and only then are the others forked — so none of those races with a
 * sibling, and the first log line is still "tessera listening on …". Only that worker runs the key
 * schedule. A worker that dies is replaced; SIGINT / SIGTERM stop every worker gracefully, then exit.
 */
import cluster, { type Worker } from 'node:cluster'
import type { ServerConfig } from './config.js'
import { type StartOptions, startServer } from './server.js'

const WORKER_INDEX = 'TESSERA_CLUSTER_WORKER'
const RESPAWNED = 'TESSERA_CLUSTER_RESPAWNED'

export async function startCluster(config: ServerConfig, options: StartOptions = {}): Promise<void> {
  if (!cluster.isPrimary) {
    const first = process.env[WORKER_INDEX] === '1'
    // A replacement of the first worker must not reset the demo password printed at start.
    const seeds = first && process.env[RESPAWNED] !== '1'
    await startServer(seeds ? config : { ...config, demoUser: false }, {
      ...options,
      handleSignals: true,
      schedule: first && options.schedule !== false,
    })
    return
  }

  let stopping = false
  const workers = new Map<Worker, string>()
  const fork = (index: number, respawn = false): Worker => {
    const worker = cluster.fork({ [WORKER_INDEX]: String(index), [RESPAWNED]: respawn ? '1' : '0' })
    workers.set(worker, String(index))
    return worker
  }
  cluster.on('exit', (worker, code, signal) => {
    const index = workers.get(worker)
    workers.delete(worker)
    if (stopping) {
      if (workers.size === 0) process.exit(0)
      return
    }
    process.stderr.write(
      `tessera cluster: worker ${index} (pid ${worker.process.pid}) exited (${signal ?? code}); starting a new one\n`,
    )
    if (index) fork(Number(index), true)
  })

  const first = fork(1)
  await new Promise<void>((resolve, reject) => {
    first.once('listening', () => resolve())
    first.once('exit', (code) => reject(new Error(`the first worker exited with ${code} before listening`)))
  })
  for (let index = 2; index <= config.cluster; index++) fork(index)

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return
    stopping = true
    for (const worker of workers.keys()) worker.process.kill(signal)
  }
  process.once('SIGINT', () => stop('SIGTERM'))
  process.once('SIGTERM', () => stop('SIGTERM'))
}
