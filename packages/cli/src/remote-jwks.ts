/**
 * @module Fetching a JWK Set from a URL for `jwt verify --key https://…`: one GET with a timeout and a
 * size cap, so a slow or hostile endpoint cannot hang the command or fill memory.
 */
import type { JWK } from '@tessera/jose'
import { CliRemoteError } from './errors.js'

const TIMEOUT_MS = 5000
/** An issuer's JWKS is a few kilobytes; 512 KiB leaves room for certificate chains and no more. */
const MAX_BYTES = 512 * 1024

export async function fetchJwks(url: string): Promise<JWK[]> {
  let response: Response
  try {
    response = await fetch(url, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    })
  } catch (error) {
    const timedOut = (error as { name?: string }).name === 'TimeoutError'
    throw new CliRemoteError(
      timedOut
        ? `${url} did not answer within ${TIMEOUT_MS / 1000} s; is the server running?`
        : `cannot fetch ${url} (${(error as { cause?: { code?: string } }).cause?.code ?? 'network error'}); check the URL`,
    )
  }
  if (!response.ok) throw new CliRemoteError(`${url} answered HTTP ${response.status}; expected a JWK Set`)
  const length = Number(response.headers.get('content-length') ?? 0)
  if (length > MAX_BYTES)
    throw new CliRemoteError(`${url} sent ${length} bytes; a JWK Set should be far smaller`)
  const text = await response.text()
  if (text.length > MAX_BYTES) throw new CliRemoteError(`${url} sent more than ${MAX_BYTES} bytes`)
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    throw new CliRemoteError(`${url} did not send JSON; is it the JWKS URL (/.well-known/jwks.json)?`)
  }
  const keys = (body as { keys?: unknown } | null)?.keys
  if (!Array.isArray(keys)) throw new CliRemoteError(`${url} did not send a JWK Set { "keys": [...] }`)
  return keys as JWK[]
}
