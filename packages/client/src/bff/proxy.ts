/**
 * @module The API proxy: `${prefix}/api/<path>` is forwarded to the app's API with the session's access
 * token as `Authorization: Bearer`, never with the browser's cookies, and the answer comes back without
 * the API's cookies. On a 401 the token is refreshed once and the call tried once more.
 */
import type { BffRequest, BffResponse } from './http-types.js'
import type { BffSessions, FoundSession } from './sessions.js'

/** Request headers the API sees from the browser; everything else (cookies first of all) stays here. */
const FORWARDED_REQUEST_HEADERS = ['accept', 'accept-language', 'content-type', 'if-match', 'if-none-match']
/** Response headers the browser sees from the API. */
const FORWARDED_RESPONSE_HEADERS = ['content-type', 'etag', 'last-modified', 'location', 'www-authenticate']

export async function proxyToApi(
  apiBaseUrl: URL,
  path: string,
  search: string,
  request: BffRequest,
  sessions: BffSessions,
  found: FoundSession,
  fetchImpl: typeof fetch,
): Promise<BffResponse> {
  const target = new URL(apiBaseUrl.href.replace(/\/$/, '') + path + search)
  const headers = new Headers()
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = request.headers[name]
    if (typeof value === 'string') headers.set(name, value)
  }
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD' && request.body !== undefined
  const send = async (token: string) => {
    headers.set('authorization', `Bearer ${token}`)
    return fetchImpl(target, {
      method: request.method,
      headers,
      redirect: 'manual',
      ...(hasBody ? { body: new Uint8Array(request.body!) } : {}),
    })
  }
  let response = await send(await sessions.accessToken(found))
  if (response.status === 401) {
    await response.body?.cancel()
    response = await send(await sessions.accessToken(found, true))
  }
  const out: Record<string, string> = { 'cache-control': 'no-store' }
  for (const name of FORWARDED_RESPONSE_HEADERS) {
    const value = response.headers.get(name)
    if (value !== null) out[name] = value
  }
  return { status: response.status, headers: out, body: new Uint8Array(await response.arrayBuffer()) }
}
