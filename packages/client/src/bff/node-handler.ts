/**
 * @module The BFF on plain node:http: `bffNodeHandler(bff)` answers requests under the BFF's prefix and
 * returns false for any other, so it sits in front of an app's own handler.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Bff } from './create-bff.js'
import { BffError } from './errors.js'

/** Bodies larger than this are refused (a logout token or an API call of a browser app fits easily). */
export const MAX_BODY_BYTES = 1_048_576

class BodyTooLarge extends BffError {
  constructor() {
    super('ERR_BFF_OPTION_INVALID', 413, `the request body is over ${MAX_BODY_BYTES} bytes`)
  }
}

async function readBody(request: IncomingMessage): Promise<Uint8Array> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of request) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge()
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}

export type BffNodeHandler = (request: IncomingMessage, response: ServerResponse) => Promise<boolean>

export function bffNodeHandler(bff: Bff): BffNodeHandler {
  const prefix = bff.settings.prefix
  return async (request, response) => {
    const path = (request.url ?? '/').split('?')[0]!
    if (path !== prefix && !path.startsWith(`${prefix}/`)) return false
    const method = request.method ?? 'GET'
    let body: Uint8Array | undefined
    if (method !== 'GET' && method !== 'HEAD') {
      try {
        body = await readBody(request)
      } catch (error) {
        if (!(error instanceof BodyTooLarge)) throw error
        response.writeHead(413, { 'content-type': 'application/json', connection: 'close' })
        response.end(JSON.stringify({ error: 'invalid_request', error_description: error.message }))
        return true
      }
    }
    const answer = await bff.handle({
      method,
      url: request.url ?? '/',
      headers: request.headers,
      ...(body ? { body } : {}),
    })
    if (!answer) return false
    response.writeHead(answer.status, answer.headers)
    response.end(answer.body)
    return true
  }
}
