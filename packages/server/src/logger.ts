/**
 * @module The server's logger (pino through Fastify): JSON lines for machines, or — in development on a
 * terminal — readable lines through pino-pretty. Nothing secret is ever logged in either: request logs
 * carry only method, path (the query string is redacted), address, status and error code (no headers, no
 * bodies), and the redaction list below removes credentials should any code log an object that holds one.
 * Redaction runs inside pino, before either format sees the line.
 */

import { type DestinationStream, type Logger, type LoggerOptions, pino } from 'pino'
import pinoPretty from 'pino-pretty'

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
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'headers["x-csrf-token"]',
  'headers["set-cookie"]',
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

/** `json`: one JSON object per line (production, files, pipes, tests). `pretty`: for a person. */
export type LogFormat = 'json' | 'pretty'

/** Pretty only where a person reads it: outside production, with stdout a terminal. */
export function chooseLogFormat(production: boolean, stdoutIsTTY: boolean | undefined): LogFormat {
  return !production && stdoutIsTTY === true ? 'pretty' : 'json'
}

interface RequestLine {
  msg?: string
  req?: { method?: string; url?: string }
  res?: { statusCode?: number }
  responseTime?: number
  code?: string
}

/** A request line reads `POST /auth/login → 401 ERR_AUTH_CREDENTIALS_INVALID (3.1 ms)`. */
function formatMessage(log: Record<string, unknown>, messageKey: string): string {
  const line = log as RequestLine
  const message = String(log[messageKey] ?? '')
  if (!line.req?.method) return message
  const target = `${line.req.method} ${line.req.url ?? ''}`
  if (line.res?.statusCode === undefined) return `${target} …`
  const code = line.code ? ` ${line.code}` : ''
  const ms = typeof line.responseTime === 'number' ? ` (${line.responseTime.toFixed(1)} ms)` : ''
  return `${target} → ${line.res.statusCode}${code}${ms}`
}

/** The settings object of the start-up line as `key=value` pairs wrapped to the terminal, not 40 JSON lines. */
function settingsLines(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value)
  const pairs = Object.entries(value as Record<string, unknown>).map(
    ([key, v]) => `${key}=${Array.isArray(v) ? v.join(',') || '(none)' : String(v)}`,
  )
  const lines: string[] = []
  let line = ''
  for (const pair of pairs) {
    if (line && line.length + pair.length + 2 > 100) {
      lines.push(line)
      line = ''
    }
    line = line ? `${line}  ${pair}` : pair
  }
  if (line) lines.push(line)
  return lines.join('\n      ')
}

/**
 * pino-pretty's formatter run in-process on each line (not as a worker transport), so lines are written
 * synchronously and none is lost when the process exits right after a log call (the signal handler
 * does), and so the request line can be formatted by a function.
 */
export function prettyDestination(out: { write(text: string): unknown }, colors: boolean): LogDestination {
  const prettify = pinoPretty.prettyFactory({
    colorize: colors,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,reqId,req,res,responseTime,code',
    messageFormat: formatMessage,
    customPrettifiers: { config: settingsLines },
    singleLine: false,
  })
  return { write: (line: string) => void out.write(prettify(line)) }
}

export interface LoggerSetup {
  level: string
  format: LogFormat
  /** Where lines go (default stdout). */
  destination?: { write(text: string): unknown }
  /** Colours in pretty mode (default: when the lines go to stdout and it is a terminal). */
  colors?: boolean
}

export function createLogger(setup: LoggerSetup): Logger {
  const options = loggerOptions(setup.level)
  if (setup.format === 'pretty') {
    const colors = setup.colors ?? (setup.destination === undefined && process.stdout.isTTY === true)
    return pino(options, prettyDestination(setup.destination ?? process.stdout, colors))
  }
  return setup.destination ? pino(options, setup.destination as LogDestination) : pino(options)
}
