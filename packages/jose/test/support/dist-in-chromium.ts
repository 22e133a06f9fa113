/**
 * @module The built WebCrypto entry served to Debian's headless Chromium: a loopback server for dist/
 * (localhost is a secure context, which crypto.subtle requires) and a browser launched with the house flags.
 * Without /usr/bin/chromium the suites using it skip loudly, or fail when TESSERA_REQUIRE_SERVICES=1.
 */
import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { normalize } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser } from 'playwright-core'
import { chromiumMissing, launchChromium } from '../../../../test-support/chromium.js'

const DIST = fileURLToPath(new URL('../../dist/', import.meta.url))

export { chromiumMissing }

export interface DistPage {
  browser: Browser
  /** The page origin; `${origin}/webcrypto.js` is the built entry. */
  origin: string
  close(): Promise<void>
}

/**
 * Serves `dist/` and a blank page on a loopback origin. `documents` maps extra paths (`jwks.json`) to JSON
 * bodies, read at request time so a test may add one after opening.
 */
export async function openDistInChromium(
  title: string,
  documents: ReadonlyMap<string, string> = new Map(),
): Promise<DistPage> {
  assert.ok(
    existsSync(`${DIST}webcrypto.js`),
    'dist/webcrypto.js is missing: run npm run build -w @tessera/jose',
  )
  const server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)).replace(
      /^\/+/,
      '',
    )
    if (path === '') {
      response.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><title>${title}</title>`)
      return
    }
    const document = documents.get(path)
    if (document !== undefined) {
      response.writeHead(200, { 'content-type': 'application/json' }).end(document)
      return
    }
    const file = `${DIST}${path}`
    if (path.startsWith('..') || !path.endsWith('.js') || !existsSync(file)) {
      response.writeHead(404).end()
      return
    }
    response.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(file))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const browser = await launchChromium()
  return {
    browser,
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      await browser.close()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}
