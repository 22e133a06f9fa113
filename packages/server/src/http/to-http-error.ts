/**
 * @module Turns any thrown value into the HTTP answer: the one place statuses and OAuth error bodies are
 * chosen. A typed, exposed ServerError speaks for itself; Fastify's own 4xx get a code; anything else is a
 * 500 whose message is never shown.
 */
import { ServerError, type ServerErrorCode } from '../errors.js'

export interface HttpError {
  status: number
  headers: Record<string, string>
  body: { error: string; error_description: string; code: string }
}

interface FastifyLikeError {
  statusCode?: number
  validation?: unknown
  message?: string
}

/** A 4xx that Fastify (or a plugin) raised itself, by status. The app turns its own into typed errors first. */
const FRAMEWORK_4XX: Record<number, [code: ServerErrorCode, description: string]> = {
  413: ['ERR_REQUEST_TOO_LARGE', 'the request body is too large'],
  415: ['ERR_REQUEST_MEDIA_TYPE', 'this content type is not accepted here'],
}

/** Maps any thrown value to the HTTP answer. The only place statuses and OAuth errors are chosen. */
export function toHttpError(error: unknown): HttpError {
  // 500 is never exposed: its message may describe internals. 4xx and 503 are written for the caller.
  if (error instanceof ServerError && error.expose && error.status !== 500) {
    return {
      status: error.status,
      headers: error.headers,
      body: { error: error.oauthError, error_description: error.message, code: error.code },
    }
  }
  const e = (error ?? {}) as FastifyLikeError
  if (e.validation) {
    return fromStatus(400, 'ERR_REQUEST_INVALID', `invalid request: ${e.message ?? ''}`.trim())
  }
  // Store failures are not mapped here: every store turns its driver's busy/unavailable errors into
  // StoreUnavailable itself, so a driver code reaching this point is a bug and stays a 500.
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    const [code, description] = FRAMEWORK_4XX[e.statusCode] ?? [
      'ERR_REQUEST_INVALID',
      'the request is malformed',
    ]
    return fromStatus(e.statusCode, code, description)
  }
  return {
    status: 500,
    headers: {},
    body: {
      error: 'server_error',
      error_description: 'the server hit an unexpected error; it was logged',
      code: 'ERR_SERVER',
    },
  }
}

function fromStatus(status: number, code: ServerErrorCode, description: string): HttpError {
  return { status, headers: {}, body: { error: 'invalid_request', error_description: description, code } }
}
