#!/usr/bin/env node
// `npm start`: the auth server (every `tessera serve` flag passes through) and, outside production, the
// two relying-party demo apps beside it — "Notes" (openid-client, confidential, server-side) on
// http://127.0.0.1:8081 and "Photos" (a single-page app on @tessera/client, public, DPoP) on
// http://localhost:8082 — registered by the server at start (Notes' secret derived from its secret).
// Photos' API refuses an ended session's tokens at once: it reads the server's own revocation set, since it
// runs in the server's process. Ctrl-C stops all three.
// Usage: node scripts/start-demo.mjs [serve flags]   (TESSERA_DEMO_APPS=0 or --no-demo-clients: the server alone)
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { startNotesApp, startPhotosApp } from '@tessera/demo'
import { demoClientCredentials, parseServeArgs, startServer } from '@tessera/server'

// The ports the development registration names; other values only for tests (Notes on a loopback IP may
// vary its port, RFC 8252; Photos on localhost may not, so its sign-in needs 8082).
const NOTES_PORT = Number(process.env.TESSERA_DEMO_NOTES_PORT ?? 8081)
const PHOTOS_PORT = Number(process.env.TESSERA_DEMO_PHOTOS_PORT ?? 8082)
const webRoot = fileURLToPath(new URL('../packages/web/dist', import.meta.url))

const argv = process.argv.slice(2)
const hasWebRoot =
  argv.some((a) => a === '--web-root' || a.startsWith('--web-root=')) || process.env.TESSERA_WEB_ROOT

/** Stops with the reason, the way `tessera serve` does (`code: message`, exit 1). */
function fail(error) {
  process.stderr.write(`${error.code ? `${error.code}: ` : ''}${error.message}\n`)
  process.exit(1)
}

let config
let server
try {
  config = parseServeArgs(
    hasWebRoot || !existsSync(webRoot) ? argv : [...argv, '--web-root', webRoot],
    process.env,
  )
  server = await startServer(config)
} catch (error) {
  if (error.code === 'EADDRINUSE')
    error.message = `port ${config.port} is in use: stop the other server or pass --port`
  fail(error)
}
const apps = []

async function stop(signal) {
  process.stderr.write(`\n${signal}: stopping the demo apps and the server\n`)
  await Promise.allSettled(apps.map((app) => app.close()))
  await server.close()
  process.exit(0)
}
process.once('SIGINT', () => void stop('SIGINT'))
process.once('SIGTERM', () => void stop('SIGTERM'))

/** The secret the server runs with: TESSERA_SECRET, or the development secret it keeps beside its database. */
function serverSecret() {
  if (config.secret !== undefined) return config.secret
  const file = server.services.secretSource.generatedAt ?? server.services.secretSource.fromFile
  return file ? readFileSync(file, 'utf8').trim() : undefined
}

const secret = serverSecret()
if (process.env.TESSERA_DEMO_APPS === '0' || config.production || config.demoClients === false) {
  // Production registers no demo clients, so there is nothing for the apps to sign in with.
} else if (secret === undefined) {
  process.stderr.write(
    'demo apps not started: an in-memory database keeps no secret to derive their clients from\n',
  )
} else {
  const credentials = demoClientCredentials(secret)
  const issuer = server.services.issuer()
  const log = (line) => process.stderr.write(`${line}\n`)
  const notesUrl = `http://127.0.0.1:${NOTES_PORT}`
  const photosUrl = `http://localhost:${PHOTOS_PORT}`
  try {
    apps.push(
      await startNotesApp({
        issuer,
        clientId: credentials.notes.clientId,
        clientSecret: credentials.notes.clientSecret,
        port: NOTES_PORT,
        publicHost: '127.0.0.1',
        otherApp: { name: 'Photos', url: photosUrl },
        log,
      }),
    )
    apps.push(
      await startPhotosApp({
        issuer,
        clientId: credentials.photos.clientId,
        port: PHOTOS_PORT,
        publicHost: 'localhost',
        audience: config.audience,
        revocations: server.services.revocations,
        otherApp: { name: 'Notes', url: notesUrl },
        log,
      }),
    )
  } catch (error) {
    const reason = error.code === 'EADDRINUSE' ? `port ${error.port} is in use` : error.message
    process.stderr.write(`demo apps not started: ${reason}\n`)
    await Promise.allSettled(apps.map((app) => app.close()))
    apps.length = 0
  }
  if (apps.length === 2) {
    process.stderr.write(
      `demo apps: Notes ${apps[0].url} (openid-client, confidential)  Photos ${apps[1].url} (single-page app on @tessera/client, public, DPoP)\n` +
        'sign in at one, open the other: signed in without a password; sign out at one: the other follows\n',
    )
  }
}
