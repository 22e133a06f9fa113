/**
 * @module Revocation notices between the workers of `--cluster N` on one SQLite file: sent to the primary
 * over the cluster's IPC channel, which hands them to every other worker (`relayRevocations`). The IPC
 * channel lives as long as the worker does, so it is always up.
 */
import cluster, { type Worker } from 'node:cluster'
import type { ChannelHandlers, RevocationChannel } from './channel.js'
import { parseEvent } from './events.js'

const KIND = 'tessera:revocation'

interface Envelope {
  kind: typeof KIND
  event: unknown
}

const isEnvelope = (message: unknown): message is Envelope =>
  typeof message === 'object' && message !== null && (message as Envelope).kind === KIND

/** In a cluster worker: notices to and from the sibling workers, through the primary. */
export function clusterWorkerChannel(): RevocationChannel {
  let handlers: ChannelHandlers | undefined
  const onMessage = (message: unknown) => {
    if (!isEnvelope(message)) return
    const event = parseEvent(message.event)
    if (event) handlers?.event(event)
  }
  return {
    kind: 'in-process',
    publish(event) {
      return new Promise((resolve, reject) => {
        if (!process.send) return reject(new Error('not a cluster worker'))
        process.send({ kind: KIND, event } satisfies Envelope, undefined, {}, (error) =>
          error ? reject(error) : resolve(),
        )
      })
    },
    subscribe(h) {
      handlers = h
      process.on('message', onMessage)
      queueMicrotask(() => h.up())
    },
    detail: () => ({ worker: cluster.worker?.id }),
    async close() {
      handlers = undefined
      process.off('message', onMessage)
    },
  }
}

/** In the primary: hands every worker's notice to the others. */
export function relayRevocations(worker: Worker, workers: () => Iterable<Worker>): void {
  worker.on('message', (message: unknown) => {
    if (!isEnvelope(message)) return
    for (const other of workers()) if (other !== worker && other.isConnected()) other.send(message)
  })
}
