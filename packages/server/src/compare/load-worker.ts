/**
 * @module A closed-loop load generator run in a worker thread, so the client never shares the server's
 * event loop when the server measures itself: N keep-alive connections (http or https), each sending the
 * next GET as soon as the last answer arrives, for a fixed time. Both modes go through this same loop.
 * Connection i sends to `urls[i % urls.length]` (instances of one deployment), each request with the
 * next of `headers` in turn (several users' credentials).
 */
import { Worker } from 'node:worker_threads'
import type { LoadFigures } from './report.js'

// Plain JavaScript, evaluated in the worker (no TypeScript loader there).
const WORKER = `
const { workerData, parentPort } = require('node:worker_threads')
const { urls, headers, durationMs, connections, expect } = workerData
const http = require(urls[0].startsWith('https:') ? 'node:https' : 'node:http')
const agent = new http.Agent({ keepAlive: true, maxSockets: connections })
let next = 0
const latencies = []
let errors = 0
const started = performance.now()
const deadline = started + durationMs
const one = (url) => new Promise((resolve) => {
  const t0 = performance.now()
  const sent = headers[next++ % headers.length]
  const req = http.request(url, { method: 'GET', headers: sent, agent }, (res) => {
    res.resume()
    res.on('end', () => { latencies.push(performance.now() - t0); if (res.statusCode !== expect) errors++; resolve() })
  })
  req.on('error', () => { errors++; resolve() })
  req.end()
})
const worker = async (_, i) => { const url = urls[i % urls.length]; while (performance.now() < deadline) await one(url) }
Promise.all(Array.from({ length: connections }, worker)).then(() => {
  const seconds = (performance.now() - started) / 1000
  agent.destroy()
  parentPort.postMessage({ latencies, errors, seconds })
})
`

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!

export function runLoad(options: {
  urls: string[]
  headers: Record<string, string>[]
  durationMs: number
  connections: number
  expect?: number
}): Promise<LoadFigures> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, {
      eval: true,
      workerData: { ...options, expect: options.expect ?? 200 },
    })
    worker.once('error', reject)
    worker.once('message', (result: { latencies: number[]; errors: number; seconds: number }) => {
      const sorted = result.latencies.sort((a, b) => a - b)
      resolve({
        requests: sorted.length,
        errors: result.errors,
        duration_seconds: Number(result.seconds.toFixed(2)),
        requests_per_second: Math.round(sorted.length / result.seconds),
        latency_p50_ms: Number(percentile(sorted, 50).toFixed(3)),
        latency_p99_ms: Number(percentile(sorted, 99).toFixed(3)),
      })
      void worker.terminate()
    })
  })
}
