/**
 * @module Test support: a loopback HTTP server publishing a JWK Set, whose answer the test changes
 * (keys, status, junk, size, silence, Cache-Control) and which counts the requests it receives.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface JwksBehaviour {
  /** The body to serve (serialized as JSON unless a string). */
  body: unknown
  status: number
  /** Never answer (the client must time out). */
  hang: boolean
  cacheControl?: string
  /** Answer after this many ms. */
  delay: number
  /** Send Content-Length (otherwise the body is chunked and its size is only known while reading). */
  declareLength: boolean
}

export interface JwksServer {
  url: string
  behaviour: JwksBehaviour
  /** Requests received on the JWKS path. */
  requests: number
  close(): Promise<void>
}

export async function startJwksServer(initial: Partial<JwksBehaviour> = {}): Promise<JwksServer> {
  const hung = new Set<ServerResponse>()
  const state: JwksServer = {
    url: '',
    behaviour: { body: { keys: [] }, status: 200, hang: false, delay: 0, declareLength: false, ...initial },
    requests: 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const response of hung) response.destroy()
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    if (request.url !== '/jwks') {
      response.writeHead(404).end()
      return
    }
    state.requests++
    const { body, status, hang, cacheControl, delay, declareLength } = state.behaviour
    if (hang) {
      hung.add(response)
      return
    }
    const answer = () => {
      const text = typeof body === 'string' ? body : JSON.stringify(body)
      const headers: Record<string, string> = { 'content-type': 'application/json' }
      if (cacheControl !== undefined) headers['cache-control'] = cacheControl
      if (declareLength) headers['content-length'] = String(Buffer.byteLength(text))
      response.writeHead(status, headers).end(text)
    }
    if (delay > 0) setTimeout(answer, delay)
    else answer()
  })
  // Node closes idle keep-alive sockets after 5 s; on a loaded machine that close can cross the client's reuse
  // of the socket and fail a fetch before it reaches us (seen here as a lost request). Keep them open instead.
  server.keepAliveTimeout = 120_000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`
  return state
}
