/**
 * @module Logger options (pino through Fastify). Nothing secret is ever logged: request logs carry only
 * method, URL, address and status (Fastify's serializers; no headers, no bodies), and the redaction
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

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  }
}

export type LogDestination = DestinationStream
