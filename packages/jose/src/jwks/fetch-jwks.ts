/**
 * @module One bounded fetch of a JWK Set: HTTPS only (plain HTTP for loopback or by opt-in), no
 * redirects, a timeout covering the whole exchange, and a byte cap enforced while reading the body.
 */
import { JOSEOptionInvalid, JWKSFetchFailed, JWKSInvalid, JWKSTimeout } from '../errors.js'

/** The subset of `fetch` used; any WHATWG-compatible implementation fits. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>

export interface FetchSettings {
  url: URL
  timeoutDuration: number
  maxResponseSize: number
  headers: Headers
  fetch: FetchLike
}

export interface FetchedJwks {
  body: unknown
  cacheControl: string | null
  age: string | null
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
}

/** Parses and checks the JWK Set URL once, when the set is created. */
export function checkJwksUrl(input: unknown, allowHttp: boolean): URL {
  let url: URL
  try {
    url = new URL(input instanceof URL ? input.href : String(input))
  } catch {
    throw new JOSEOptionInvalid('the JWK Set URL is not a valid absolute URL')
  }
  if (url.protocol === 'https:') return url
  if (url.protocol === 'http:' && (allowHttp || isLoopback(url.hostname))) return url
  if (url.protocol === 'http:') {
    // Keys fetched over plain HTTP can be swapped by anyone on the path: they would then verify forged tokens.
    throw new JOSEOptionInvalid(
      'the JWK Set URL must use https: (plain http: is accepted only for loopback hosts, or with allowHttp: true)',
    )
  }
  throw new JOSEOptionInvalid(`the JWK Set URL must use https:, not ${url.protocol}`)
}

async function readCapped(response: Response, max: number): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length'))
  if (Number.isFinite(declared) && declared > max) {
    await response.body?.cancel().catch(() => {})
    throw new JWKSFetchFailed(`the JWK Set response declares ${declared} bytes; maxResponseSize is ${max}`)
  }
  if (!response.body) return new Uint8Array(0)
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > max) {
      await reader.cancel().catch(() => {})
      throw new JWKSFetchFailed(`the JWK Set response is larger than maxResponseSize (${max} bytes)`)
    }
    chunks.push(value)
  }
  const bytes = new Uint8Array(total)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return bytes
}

function parseBody(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes))
  } catch {
    throw new JWKSInvalid('the JWK Set response is not JSON')
  }
}

export async function fetchJwks(settings: FetchSettings): Promise<FetchedJwks> {
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), settings.timeoutDuration)
  const timedOut = () =>
    new JWKSTimeout(`fetching the JWK Set took longer than timeoutDuration (${settings.timeoutDuration} ms)`)
  try {
    let response: Response
    // Called with no receiver: a browser's fetch throws "Illegal invocation" when `this` is not the window.
    const fetchFn = settings.fetch
    try {
      response = await fetchFn(settings.url.href, {
        method: 'GET',
        headers: settings.headers,
        // A redirect could lead to plain HTTP or another host; a JWK Set URL must answer itself.
        redirect: 'manual',
        signal: controller.signal,
      })
    } catch (error) {
      if (controller.signal.aborted) throw timedOut()
      throw new JWKSFetchFailed(
        'fetching the JWK Set failed (network error); check the URL and connectivity',
        {
          cause: error,
        },
      )
    }
    if (response.status !== 200) {
      await response.body?.cancel().catch(() => {})
      throw new JWKSFetchFailed(`the JWK Set endpoint answered HTTP ${response.status}; expected 200`)
    }
    let bytes: Uint8Array
    try {
      bytes = await readCapped(response, settings.maxResponseSize)
    } catch (error) {
      if (controller.signal.aborted) throw timedOut()
      if (error instanceof JWKSFetchFailed) throw error
      throw new JWKSFetchFailed('reading the JWK Set response failed', { cause: error })
    }
    return {
      body: parseBody(bytes),
      cacheControl: response.headers.get('cache-control'),
      age: response.headers.get('age'),
    }
  } finally {
    clearTimeout(timer)
  }
}
