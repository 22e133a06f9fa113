#!/usr/bin/env node
// Bundles the Photos single-page app for the browser with esbuild (packages/client's devDependency,
// hoisted to the root): src/photos/spa/photos-spa.ts with @tessera/client and @tessera/jose from their
// build output (jose's browser condition: the WebCrypto build), into dist/photos-spa/photos-spa.js.
import { build } from 'esbuild'

const root = new URL('..', import.meta.url).pathname
await build({
  entryPoints: [`${root}src/photos/spa/photos-spa.ts`],
  outfile: `${root}dist/photos-spa/photos-spa.js`,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  legalComments: 'none',
  logLevel: 'warning',
})
