/**
 * @module Fastify's own refusals (no parser for the media type, a body over the limit, JSON that does not
 * parse, a URL that does not decode, a body that is not there) as the server's typed errors, with
 * messages that say what this endpoint takes. Anything else passes through unchanged for `toHttpError`.
 */
import type { FastifyRequest } from 'fastify'
import { BodyTooLarge, RequestInvalid } from '../errors.js'
import { acceptedMediaTypes, hasBody, mediaTypeRefused } from './media-types.js'
import type { SchemaError } from './schema-errors.js'

interface ValidationFailure {
  validation?: readonly SchemaError[]
  validationContext?: string
}

/** A schema refused the body because there was none: say so, and what to send. */
function missingBody(error: unknown, request: FastifyRequest): RequestInvalid | undefined {
  const { validation, validationContext } = (error ?? {}) as ValidationFailure
  const first = validation?.[0]
  if (validationContext !== 'body' || first?.instancePath !== '' || first.keyword !== 'type') return undefined
  // No body: nothing arrived, or an empty JSON body (read as none). A JSON `null` is a body, and wrong.
  if (request.body !== undefined && (request.body !== null || hasBody(request.headers))) return undefined
  const types = acceptedMediaTypes(request)
  const required = first.parentSchema?.required ?? []
  const what = types.length > 0 ? `a body (Content-Type: ${types.join(' or ')})` : 'a body'
  return new RequestInvalid(
    `the request has no body: send ${what}${required.length > 0 ? ` with ${required.join(', ')}` : ''}`,
  )
}

export function fromFastifyError(error: unknown, request: FastifyRequest, bodyLimit: number): unknown {
  const none = missingBody(error, request)
  if (none) return none
  switch ((error as { code?: unknown } | null)?.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return mediaTypeRefused(request)
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new BodyTooLarge(
        `the request body is larger than ${bodyLimit} bytes (the server's --body-limit)`,
      )
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new RequestInvalid(
        'the body is not valid JSON (keys named __proto__, or constructor holding prototype, are refused too)',
      )
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new RequestInvalid('the JSON body is empty: send a JSON object')
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new RequestInvalid('the body is not as long as its Content-Length header says')
    case 'FST_ERR_BAD_URL':
      return new RequestInvalid('the URL is not valid: check its %-escapes')
    default:
      return error
  }
}
