/**
 * @module Answers requests Node's HTTP parser refuses before Fastify sees them (headers over 16 KiB,
 * a request line that is not HTTP, a body that does not arrive in time) with the same OAuth-style body
 * as every other error, instead of Fastify's default `{"error":"Bad Request","message":…}` shape.
 */
import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'

const ANSWERS: Record<string, { status: number; description: string }> = {
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, description: 'the request did not arrive in time' },
  HPE_HEADER_OVERFLOW: { status: 431, description: 'the request headers are too large' },
}

export function clientErrorHandler(
  error: Error & { code?: string; rawPacket?: unknown },
  socket: Socket,
): void {
  // A reset connection has nobody to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return
  // Bytes after a request that said `Connection: close`: that request is already being answered, and the
  // connection closes after it. A second answer here would reach the client as garbage after the first.
  if (error.code === 'HPE_CLOSED_CONNECTION') return
  const { status, description } = ANSWERS[error.code ?? ''] ?? {
    status: 400,
    description: 'the request is not valid HTTP',
  }
  const body = JSON.stringify({
    error: 'invalid_request',
    error_description: description,
    code: 'ERR_REQUEST_INVALID',
  })
  // An answer to HEAD has no body (RFC 9110 §9.3.2): a client reading one would take it for the next answer.
  const head =
    Buffer.isBuffer(error.rawPacket) && error.rawPacket.subarray(0, 5).toString('latin1') === 'HEAD '
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${head ? '' : body}`,
    )
  }
  socket.destroy(error)
}
