/**
 * @module Logger options (pino through Fastify). Nothing secret is ever logged: request logs carry only
 * method, path (the query string is redacted), address and status (no headers, no bodies), and the redaction
 * list below removes credentials should any code log an object that holds one.
 */
import type { DestinationStream, LoggerOptions } from 'pino'

export const REDACTED_PATHS = [
  'password',
  '*.password',
  'access_token',
  '*.access_token',
  'refresh_token',
  '*.refresh_token',
  'token',
  '*.token',
  'secret',
  '*.secret',
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
]

/** The URL without its query: a client that puts a token there (`?access_token=`, RFC 6750 §2.3) must not put it in our logs. */
export function urlForLog(url: string): string {
  const q = url.indexOf('?')
  return q === -1 ? url : `${url.slice(0, q)}?[redacted]`
}

interface LoggedRequest {
  method: string
  url: string
  host?: string
  ip?: string
  socket?: { remotePort?: number }
}

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    // Replaces Fastify's request serializer (same fields) so the query string never reaches a log line.
    serializers: {
      req: (req: LoggedRequest) => ({
        method: req.method,
        url: urlForLog(req.url),
        host: req.host,
        remoteAddress: req.ip,
        remotePort: req.socket?.remotePort,
      }),
    },
  }
}

export type LogDestination = DestinationStream
