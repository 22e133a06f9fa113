/**
 * @module One log line per request, at a level that says whether anyone needs to look: `debug` for
 * answers below 400 (routine traffic), `info` for 4xx (a client got something wrong: seen while
 * developing at the default `info`, quiet in production at `warn`), `error` for 5xx, with the error. The
 * line carries method, path without its query, status, the answer's error `code` and the time taken —
 * never headers or bodies. Fastify's own request lines (every request at `info`, and a not-found line
 * that kept the query string) are replaced through its LogController.
 */
import { type FastifyReply, type FastifyRequest, LogController } from 'fastify'
import type { Logger } from 'pino'

interface Answer {
  code: string
  error?: unknown
}

const answers = new WeakMap<FastifyRequest, Answer>()

/** Called where an error becomes the answer: the code goes on the request's log line, a 5xx's error too. */
export function noteAnswer(request: FastifyRequest, code: string, error?: unknown): void {
  answers.set(request, error === undefined ? { code } : { code, error })
}

export function levelForStatus(status: number): 'debug' | 'info' | 'error' {
  return status >= 500 ? 'error' : status >= 400 ? 'info' : 'debug'
}

export class RequestLog extends LogController {
  constructor() {
    // Every other per-request line of Fastify's is off: our error handler answers (and notes) errors.
    super({ disableRequestLogging: true })
  }

  override incomingRequest(request: FastifyRequest): void {
    request.log.debug({ req: request }, 'incoming request')
  }

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    const status = reply.statusCode
    const level = error ? 'error' : levelForStatus(status)
    // Skip building the line when its level is off (Fastify types its logger without this pino method).
    if (!(request.log as unknown as Logger).isLevelEnabled(level)) return
    const answer = answers.get(request)
    const failure = error ?? (status >= 500 ? answer?.error : undefined)
    request.log[level](
      {
        req: request,
        res: { statusCode: status },
        responseTime: reply.elapsedTime,
        ...(answer ? { code: answer.code } : {}),
        ...(failure !== undefined ? { err: failure } : {}),
      },
      'request completed',
    )
  }

  override streamError(error: Error, _request: FastifyRequest, reply: FastifyReply): void {
    reply.log.warn({ err: error }, 'the answer was cut off after its headers were sent')
  }
}
