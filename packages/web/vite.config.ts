/**
 * @module Vite build of the pages: two HTML entries (`/` and `/debugger/`) over one script, so a plain
 * static server finds a real file for both routes; the client router picks the view from the path.
 */
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))

export default defineConfig({
  root: here('.'),
  // Absolute asset URLs: /debugger/index.html must load /assets/…, not /debugger/assets/….
  base: '/',
  build: {
    outDir: here('dist'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    rollupOptions: {
      input: { main: here('index.html'), debugger: here('debugger/index.html') },
    },
  },
  server: { host: '127.0.0.1' },
})
