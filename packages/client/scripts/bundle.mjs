/**
 * The browser bundle of @tessera/client (dist/browser/tessera-client.js: ESM, minified, with the
 * WebCrypto build of @tessera/jose inside) and its size check: the build fails when the gzip size is
 * over the budget. The budget is the measured size plus about 15 % headroom; README.md states the size.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'

/** Bytes, gzip level 9. Raise it on purpose (and update README.md), never by accident. */
const BUDGET_BYTES = 48_000

const root = fileURLToPath(new URL('..', import.meta.url))
const outfile = `${root}dist/browser/tessera-client.js`

await build({
  entryPoints: [`${root}dist/index.js`],
  outfile,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  conditions: ['browser'],
  target: 'es2022',
  minify: true,
  sourcemap: true,
  legalComments: 'none',
  logLevel: 'warning',
})

const code = readFileSync(outfile)
const gzip = gzipSync(code, { level: 9 }).length
const budget = BUDGET_BYTES
console.log(`@tessera/client browser bundle: ${code.length} bytes, ${gzip} bytes gzip (budget ${budget})`)
if (gzip > budget) {
  console.error(
    `the browser bundle is ${gzip} bytes gzip, over its budget of ${budget}: shrink it, or raise BUDGET_BYTES in scripts/bundle.mjs and the size in README.md on purpose`,
  )
  process.exit(1)
}
