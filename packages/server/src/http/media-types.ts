/**
 * @module Which request bodies the app reads: JSON by default (a plugin scope may swap in forms), UTF-8
 * only, and an empty JSON body read as "no body" so endpoints whose body is optional take a bare POST.
 * A refusal names what the endpoint accepts.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { MediaTypeUnsupported } from '../errors.js'

/** The body media types a scope can have a parser for, in the order a 415 names them. */
const READABLE = ['application/json', 'application/x-www-form-urlencoded'] as const

/** What this request's route reads (its plugin scope's parsers), e.g. `application/json`. */
export function acceptedMediaTypes(request: FastifyRequest): string[] {
  return READABLE.filter((type) => request.server.hasContentTypeParser(type))
}

const acceptedText = (request: FastifyRequest) => {
  const types = acceptedMediaTypes(request)
  return types.length === 0 ? 'this endpoint takes no body' : `send Content-Type: ${types.join(' or ')}`
}

/** A client's header, quoted and cut short for a message. */
const shown = (value: string) => JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value)

/** The 415 for a body whose media type no parser of this scope reads. */
export function mediaTypeRefused(request: FastifyRequest): MediaTypeUnsupported {
  const type = request.headers['content-type']
  return new MediaTypeUnsupported(
    type === undefined
      ? `the request has a body but no Content-Type: ${acceptedText(request)}`
      : `Content-Type ${shown(type)} is not accepted here: ${acceptedText(request)}`,
  )
}

/** The `charset` parameter of a Content-Type, lower-cased and unquoted, or undefined when absent. */
export function charsetOf(contentType: string): string | undefined {
  for (const parameter of contentType.split(';').slice(1)) {
    const eq = parameter.indexOf('=')
    if (eq === -1 || parameter.slice(0, eq).trim().toLowerCase() !== 'charset') continue
    return parameter
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .toLowerCase()
  }
  return undefined
}

/** Whether the request announces a body (a length above zero, or chunks). */
export const hasBody = (headers: FastifyRequest['headers']): boolean =>
  headers['transfer-encoding'] !== undefined ||
  (headers['content-length'] !== undefined && headers['content-length'] !== '0')

/**
 * Fastify reads every body as UTF-8 whatever the header says, so `charset=utf-16` would be misread
 * rather than decoded: refuse any charset but UTF-8 (RFC 8259 §8.1: JSON between systems is UTF-8).
 */
async function refuseOtherCharsets(request: FastifyRequest): Promise<void> {
  const type = request.headers['content-type']
  if (type === undefined || !hasBody(request.headers)) return
  const charset = charsetOf(type)
  if (charset === undefined || charset === 'utf-8') return
  throw new MediaTypeUnsupported(
    `bodies are read as UTF-8 only, not charset ${shown(charset)}: ${acceptedText(request)} with charset=utf-8 or no charset`,
  )
}

/** Sets the root scope's parsers (JSON only) and the charset check; call before registering routes. */
export function registerBodyParsers(app: FastifyInstance): void {
  // Fastify's own JSON parser, which refuses `__proto__` and `constructor.prototype` keys.
  const json = app.getDefaultJsonParser('error', 'error')
  // text/plain is not ours to read: without a parser it is a 415, not a string the schema calls a 400.
  app.removeContentTypeParser(['application/json', 'text/plain'])
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body.length === 0) {
      done(null, undefined)
      return
    }
    json(request, body as string, done)
  })
  app.addHook('preParsing', refuseOtherCharsets)
}
