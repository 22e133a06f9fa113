/**
 * @module The framework-neutral request and response the BFF core works on; the node:http handler and
 * the Fastify plugin translate to and from them.
 */

export interface BffRequest {
  method: string
  /** The path and query, as in the request line (e.g. `/bff/callback?code=…`). */
  url: string
  /** Lower-case header names. */
  headers: Record<string, string | string[] | undefined>
  /** The raw body, when the method has one. */
  body?: Uint8Array
}

export interface BffResponse {
  status: number
  headers: Record<string, string | string[]>
  body?: string | Uint8Array
}
