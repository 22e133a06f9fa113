/**
 * @module The little HTTP a demo app needs on node:http: listening (port 0 allowed), reading a small form
 * body, cookies, redirects and HTML answers — so the apps show the protocol, not a framework.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export type Handler = (request: IncomingMessage, response: ServerResponse, url: URL) => Promise<void>

export interface Listening {
  server: Server
  port: number
  close(): Promise<void>
}

/** Listens on host:port (0 picks a free port); a handler that throws answers 500 without the reason. */
export async function listen(
  host: string,
  port: number,
  base: () => string,
  handler: Handler,
  onError: (error: unknown) => void,
): Promise<Listening> {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', base())
    handler(request, response, url).catch((error: unknown) => {
      onError(error)
      if (!response.headersSent) sendText(response, 500, 'The demo app failed; its log says why.')
      else response.end()
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

/** Reads an application/x-www-form-urlencoded body of at most 64 KiB. */
export async function readForm(request: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of request) {
    size += (chunk as Buffer).length
    if (size > 65_536) throw new Error('form body over 64 KiB')
    chunks.push(chunk as Buffer)
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'))
}

export function readCookie(request: IncomingMessage, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=')
    if (key === name) return decodeURIComponent(value.join('='))
  }
  return undefined
}

/** A host-only, HttpOnly, SameSite=Lax cookie (Lax so the provider's redirect back still carries it). */
export function setCookie(response: ServerResponse, name: string, value: string, maxAge?: number): void {
  const parts = [`${name}=${encodeURIComponent(value)}`, 'Path=/', 'HttpOnly', 'SameSite=Lax']
  if (maxAge !== undefined) parts.push(`Max-Age=${maxAge}`)
  const existing = response.getHeader('set-cookie')
  const list = Array.isArray(existing) ? existing : existing ? [String(existing)] : []
  response.setHeader('set-cookie', [...list, parts.join('; ')])
}

export function redirect(response: ServerResponse, location: string | URL): void {
  response.writeHead(303, { location: String(location), 'cache-control': 'no-store' })
  response.end()
}

const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; form-action *; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
}

export function sendHtml(response: ServerResponse, status: number, html: string): void {
  response.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...SECURITY_HEADERS })
  response.end(html)
}

export function sendText(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS })
  response.end(text)
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json', ...SECURITY_HEADERS })
  response.end(JSON.stringify(body))
}
