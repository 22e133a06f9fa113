/**
 * @module The pages work with no internet: the built HTML and CSS load nothing from another origin
 * (no fonts, CDNs or analytics), the page sets a same-origin Content-Security-Policy, and the browser
 * source never reaches for Node built-ins.
 */
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { assertBuilt, DIST } from './support/static-server.js'

const SRC = fileURLToPath(new URL('../src/', import.meta.url))

function files(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) files(path, out)
    else out.push(path)
  }
  return out
}

describe('offline and self-contained', () => {
  test('the built HTML and CSS reference nothing outside this origin', () => {
    assertBuilt()
    const built = files(DIST)
    for (const html of built.filter((path) => path.endsWith('.html'))) {
      const text = readFileSync(html, 'utf8')
      assert.doesNotMatch(text, /<(script|link|img|iframe)[^>]+(src|href)="(https?:)?\/\//i, html)
      assert.match(
        text,
        /Content-Security-Policy[^>]+default-src 'self'; script-src 'self'; style-src 'self'/,
        html,
      )
    }
    for (const css of built.filter((path) => path.endsWith('.css'))) {
      const text = readFileSync(css, 'utf8')
      assert.doesNotMatch(text, /@import|@font-face|url\(\s*['"]?(https?:)?\/\//i, css)
    }
  })

  test('browser source imports no Node built-ins and calls fetch only through the two reviewed places', () => {
    const sources = files(SRC).filter((path) => path.endsWith('.ts'))
    const fetchers: string[] = []
    for (const path of sources) {
      const text = readFileSync(path, 'utf8')
      assert.doesNotMatch(text, /from ['"]node:/, path)
      if (/\bfetch\(/.test(text)) fetchers.push(path.slice(SRC.length))
    }
    // flow/api.ts talks to the page's own server; debugger/key-source.ts fetches a JWKS URL the user typed.
    assert.deepEqual(fetchers.sort(), ['debugger/key-source.ts', 'flow/api.ts'])
  })
})
