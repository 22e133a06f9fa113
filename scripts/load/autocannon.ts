/**
 * @module The part of autocannon the load scripts use, with types (the package ships none).
 */
import autocannonUntyped from 'autocannon'

export interface AutocannonRequest {
  method?: string
  path?: string
  headers?: Record<string, string>
  body?: string
  /** Called before each request on this client; returns the request to send. */
  setupRequest?: (request: AutocannonRequest) => AutocannonRequest
  /** Called with each response (status and whole body) on this client. */
  onResponse?: (status: number, body: string) => void
}

export interface AutocannonClient {
  setRequests(requests: AutocannonRequest[]): void
}

export interface AutocannonOptions {
  url: string | string[]
  connections: number
  duration: number
  timeout?: number
  method?: string
  headers?: Record<string, string>
  body?: string
  requests?: AutocannonRequest[]
  /** Called once per connection, in order, before its first request. */
  setupClient?: (client: AutocannonClient) => void
}

export interface AutocannonResult {
  requests: { average: number; total: number }
  latency: { p50: number; p99: number }
  /** Seconds the run really took. */
  duration: number
  errors: number
  timeouts: number
  non2xx: number
  statusCodeStats: Record<string, { count: number }>
}

export const autocannon = autocannonUntyped as unknown as (
  options: AutocannonOptions,
) => Promise<AutocannonResult>
