/**
 * @module A tiny static server for the built pages (packages/web/dist) on 127.0.0.1, port 0. It does
 * what the real server is asked to do: real files first, then `/debugger` → debugger/index.html and any
 * other extension-less path → index.html (the history fallback).
 */
import { existsSync } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize } from 'node:path'
import { fileURLToPath } from 'node:url'

export const DIST = fileURLToPath(new URL('../../dist/', import.meta.url))

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
}

/** Fails loudly when the pages were not built: tests use what `npm run build -w @tessera/web` produced. */
export function assertBuilt(): void {
  if (!existsSync(join(DIST, 'index.html')) || !existsSync(join(DIST, 'debugger', 'index.html'))) {
    throw new Error('packages/web/dist is missing: run `npm run build -w @tessera/web` first')
  }
}

async function resolveFile(pathname: string): Promise<string> {
  const safe = normalize(decodeURIComponent(pathname)).replace(/^(\.\.[/\\])+/, '')
  const candidate = join(DIST, safe)
  if (candidate.startsWith(DIST)) {
    const info = await stat(candidate).catch(() => undefined)
    if (info?.isFile()) return candidate
    if (info?.isDirectory() && existsSync(join(candidate, 'index.html'))) return join(candidate, 'index.html')
  }
  if (/^\/debugger\/?$/.test(pathname)) return join(DIST, 'debugger', 'index.html')
  return extname(pathname) === '' ? join(DIST, 'index.html') : ''
}

export interface StaticServer {
  url: string
  /** Every path requested, so a test can check that no token reached the server. */
  requests: string[]
  close(): Promise<void>
}

/** `extra` maps a path to a JSON body served as is (a JWKS for the key-URL test). */
export async function startStaticServer(extra: Record<string, unknown> = {}): Promise<StaticServer> {
  assertBuilt()
  const requests: string[] = []
  const server: Server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1')
    requests.push(`${request.method} ${request.url}`)
    if (url.pathname in extra) {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(extra[url.pathname]))
      return
    }
    const file = await resolveFile(url.pathname)
    if (!file) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found')
      return
    }
    const body = await readFile(file)
    response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
