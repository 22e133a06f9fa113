/**
 * @module The SDK's requests to the provider: JSON answers read with a size bound, and failures sorted
 * into the two kinds the rest of the SDK acts on — transient (`ClientNetworkError`: no answer, or a 5xx;
 * retried with back-off) and refused (`ClientTokenRequestFailed` with the OAuth `error`).
 */
import { ClientNetworkError, ClientTokenRequestFailed } from './errors.js'

/** An answer larger than this is not a token response or a discovery document. */
const MAX_JSON_BYTES = 256 * 1024

/**
 * A request that hangs is given up after this long: a refresh holds the origin's refresh lock, so it must
 * end for the other tabs to go on.
 */
const REQUEST_TIMEOUT_MS = 15_000

/** Sends a request; a network failure or a timeout becomes ClientNetworkError naming `what`. */
export async function send(what: string, url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, {
      ...init,
      credentials: 'omit',
      cache: 'no-store',
      redirect: 'error',
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    })
  } catch (cause) {
    throw new ClientNetworkError(`${what}: ${new URL(url).origin} could not be reached`, { cause })
  }
}

/** Reads a JSON object answer (bounded); anything else is ClientNetworkError (a proxy's page, a cut body). */
export async function readJsonObject(what: string, response: Response): Promise<Record<string, unknown>> {
  let text: string
  try {
    text = await response.text()
  } catch (cause) {
    throw new ClientNetworkError(`${what}: the answer was cut off`, { cause })
  }
  if (text.length > MAX_JSON_BYTES) throw new ClientNetworkError(`${what}: the answer is too large`)
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new ClientNetworkError(`${what}: the answer (status ${response.status}) is not JSON`)
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ClientNetworkError(`${what}: the answer is not a JSON object`)
  return value as Record<string, unknown>
}

/** Throws the right error for a non-2xx answer of an OAuth endpoint (RFC 6749 §5.2). */
export async function refusal(what: string, response: Response): Promise<never> {
  if (response.status >= 500)
    throw new ClientNetworkError(`${what}: the provider answered ${response.status}`)
  let error: string | undefined
  let description = ''
  try {
    const body = await readJsonObject(what, response)
    if (typeof body.error === 'string') error = body.error
    if (typeof body.error_description === 'string') description = `: ${body.error_description.slice(0, 200)}`
  } catch {
    // Not an OAuth error body: the status alone says it.
  }
  throw new ClientTokenRequestFailed(
    `${what} was refused (${response.status}${error ? ` ${error}` : ''})${description}`,
    response.status,
    error,
  )
}
