/**
 * @module The few HTTP calls a comparison makes to the measured server, with errors that say which call
 * failed and what the server answered (never the credentials sent).
 */
import { CompareFailed } from '../errors.js'

export interface HttpResult {
  status: number
  headers: Headers
  body: unknown
  /** Every Set-Cookie header, unparsed. */
  setCookies: string[]
}

export async function call(
  base: string,
  method: 'GET' | 'POST',
  path: string,
  options: { json?: unknown; headers?: Record<string, string> } = {},
): Promise<HttpResult> {
  const url = new URL(path, base)
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers }
  let body: string | undefined
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json'
    body = JSON.stringify(options.json)
  }
  let response: Response
  try {
    response = await fetch(url, {
      method,
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(10_000),
    })
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name
    throw new CompareFailed(
      `${method} ${url.pathname} failed (${cause}); is the server running at ${base}?`,
      {
        cause: error,
      },
    )
  }
  const text = await response.text()
  let parsed: unknown = text
  try {
    parsed = text ? JSON.parse(text) : undefined
  } catch {}
  return {
    status: response.status,
    headers: response.headers,
    body: parsed,
    setCookies: response.headers.getSetCookie(),
  }
}

/** Throws a readable error unless the status is the expected one. */
export function expectStatus(result: HttpResult, expected: number, what: string): void {
  if (result.status === expected) return
  const body = result.body as { error?: string; error_description?: string } | undefined
  const detail = body?.error
    ? `: ${body.error}${body.error_description ? ` (${body.error_description})` : ''}`
    : ''
  throw new CompareFailed(`${what} answered HTTP ${result.status}${detail}`)
}
