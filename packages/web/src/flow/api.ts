/**
 * @module Calls to the page's own server (same origin only), recorded as exchanges for the timeline.
 * Passwords are masked in the record; tokens are shown, because watching them is the point of the demo.
 */

export interface Exchange {
  method: string
  path: string
  /** What the page sent, with the password masked. */
  sent?: unknown
  /** Request headers worth showing (Authorization, abbreviated). */
  sentHeaders?: Record<string, string>
  status: number
  /** Parsed JSON body, or the text when it is not JSON. */
  body: unknown
  /** Response headers worth showing (Set-Cookie is invisible to scripts, by design). */
  headers: Record<string, string>
  /** Network failure (server down): no status. */
  networkError?: boolean
}

const SHOWN_HEADERS = ['content-type', 'cache-control', 'www-authenticate', 'retry-after', 'server-timing']

/** Abbreviates a long credential for display: first 12 and last 6 characters. */
export function abbreviate(value: string): string {
  return value.length > 32 ? `${value.slice(0, 12)}…${value.slice(-6)}` : value
}

function masked(body: Record<string, unknown> | undefined): unknown {
  if (!body) return undefined
  return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, /password/i.test(k) ? '••••••••' : v]))
}

export interface CallOptions {
  json?: Record<string, unknown>
  /** An application/x-www-form-urlencoded body (what the OAuth token endpoint takes). */
  form?: Record<string, string>
  bearer?: string
  headers?: Record<string, string>
}

export async function call(method: string, path: string, options: CallOptions = {}): Promise<Exchange> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers }
  const sentHeaders: Record<string, string> = {}
  if (options.json) headers['content-type'] = 'application/json'
  if (options.form) headers['content-type'] = 'application/x-www-form-urlencoded'
  if (options.bearer) {
    headers.authorization = `Bearer ${options.bearer}`
    sentHeaders.Authorization = `Bearer ${abbreviate(options.bearer)}`
  }
  const record: Exchange = {
    method,
    path,
    sent: masked(options.json ?? options.form),
    sentHeaders,
    status: 0,
    body: undefined,
    headers: {},
  }
  let response: Response
  try {
    response = await fetch(path, {
      method,
      headers,
      body: options.json
        ? JSON.stringify(options.json)
        : options.form
          ? new URLSearchParams(options.form)
          : undefined,
      credentials: 'same-origin',
      cache: 'no-store',
    })
  } catch {
    return { ...record, networkError: true }
  }
  const text = await response.text()
  let body: unknown = text
  try {
    body = text ? JSON.parse(text) : undefined
  } catch {
    // Not JSON (an HTML 404 page, say): keep the text.
  }
  for (const name of SHOWN_HEADERS) {
    const value = response.headers.get(name)
    if (value) record.headers[name] = value
  }
  return { ...record, status: response.status, body }
}

/** A route this server does not have (404/405, or the HTML fallback page instead of JSON). */
export function isMissing(exchange: Exchange): boolean {
  return (
    exchange.status === 404 ||
    exchange.status === 405 ||
    (exchange.status === 200 && typeof exchange.body === 'string')
  )
}
