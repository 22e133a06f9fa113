/**
 * @module A small closed-loop load generator: N concurrent keep-alive connections, each sending the next
 * request as soon as the last answer arrives, for a fixed duration. Both modes are measured with the same
 * loop, so the comparison is fair even though the absolute numbers depend on the machine.
 */
import { Agent, request } from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'

export interface LoadResult {
  requests: number
  /** Answers whose status was not the expected one (each one counted, none retried). */
  errors: number
  duration_seconds: number
  requests_per_second: number
  latency_p50_ms: number
  latency_p99_ms: number
}

export interface LoadOptions {
  url: string
  headers: Record<string, string>
  durationMs: number
  connections: number
  expectStatus?: number
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const url = new URL(options.url)
  const https = url.protocol === 'https:'
  const agent = https
    ? new HttpsAgent({ keepAlive: true, maxSockets: options.connections })
    : new Agent({ keepAlive: true, maxSockets: options.connections })
  const send = https ? httpsRequest : request
  const expected = options.expectStatus ?? 200
  const latencies: number[] = []
  let errors = 0
  const started = performance.now()
  const deadline = started + options.durationMs

  const one = () =>
    new Promise<void>((resolve) => {
      const t0 = performance.now()
      const req = send(url, { method: 'GET', headers: options.headers, agent }, (res) => {
        res.resume()
        res.on('end', () => {
          latencies.push(performance.now() - t0)
          if (res.statusCode !== expected) errors++
          resolve()
        })
      })
      req.on('error', () => {
        errors++
        resolve()
      })
      req.end()
    })

  const worker = async () => {
    while (performance.now() < deadline) await one()
  }
  await Promise.all(Array.from({ length: options.connections }, worker))
  const seconds = (performance.now() - started) / 1000
  agent.destroy()
  latencies.sort((a, b) => a - b)
  const round = (n: number, digits: number) => Number(n.toFixed(digits))
  return {
    requests: latencies.length,
    errors,
    duration_seconds: round(seconds, 2),
    requests_per_second: round(latencies.length / seconds, 0),
    latency_p50_ms: round(percentile(latencies, 50), 3),
    latency_p99_ms: round(percentile(latencies, 99), 3),
  }
}
