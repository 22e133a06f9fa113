/**
 * @module `npm start`'s script (scripts/start-demo.mjs, on the built packages) starts the server and both
 * demo apps, and Notes signs in with the client the server registered for it — so the secret it derives
 * from the development secret file is the one the server checks, and Photos serves its single-page app and
 * guards its API. Ctrl-C (SIGINT) stops all of it, exit 0.
 * The apps run on free ports here (Notes on a loopback IP may vary its port, RFC 8252).
 */
import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { UserAgent } from '../../server/test/oidc/interop-fixtures.js'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const SCRIPT = join(ROOT, 'scripts/start-demo.mjs')

describe('scripts/start-demo.mjs (npm start)', () => {
  let child: ChildProcess
  let output = ''
  let dir: string
  const found: { provider?: string; password?: string; notes?: string; photos?: string } = {}

  before(async () => {
    for (const pkg of ['server', 'demo'])
      assert.ok(
        existsSync(join(ROOT, `packages/${pkg}/dist/index.js`)),
        `packages/${pkg} is not built: run "npm run build" first`,
      )
    dir = mkdtempSync(join(tmpdir(), 'tessera-start-demo-'))
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      TESSERA_DEMO_NOTES_PORT: '0',
      TESSERA_DEMO_PHOTOS_PORT: '0',
    }
    delete env.TESSERA_SECRET
    child = spawn(process.execPath, [SCRIPT, '--port', '0', '--database', `sqlite:${join(dir, 't.db')}`], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no "demo apps:" line within 30 s:\n${output}`)),
        30_000,
      )
      const read = (chunk: Buffer) => {
        output += chunk.toString('utf8')
        found.provider ??= /tessera listening on (http:\/\/[^\s"]+)/.exec(output)?.[1]
        found.password ??= /demo credentials: username demo {2}password ([^\s"]+)/.exec(output)?.[1]
        const apps = /demo apps: Notes (\S+) .* Photos (\S+) /.exec(output)
        if (apps) {
          found.notes = apps[1]
          found.photos = apps[2]
          clearTimeout(timer)
          resolve()
        }
      }
      child.stdout!.on('data', read)
      child.stderr!.on('data', read)
      child.once('exit', (code) => {
        clearTimeout(timer)
        reject(new Error(`start-demo exited ${code} before the apps started:\n${output}`))
      })
    })
  })
  after(() => {
    if (child.exitCode === null) child.kill('SIGKILL')
    rmSync(dir, { recursive: true, force: true })
  })

  test('the server and both apps start, and say where', () => {
    assert.ok(found.provider, output)
    assert.ok(found.password, output)
    assert.match(found.notes!, /^http:\/\/127\.0\.0\.1:\d+$/)
    assert.match(found.photos!, /^http:\/\/localhost:\d+$/)
  })

  test('Notes signs in through the provider with the credentials derived from the development secret', async () => {
    const agent = new UserAgent('demo', found.password!)
    const callback = await agent.walk(`${found.notes}/login`, `${found.notes}/callback`)
    assert.ok(callback.searchParams.get('code'), callback.href)
    const back = await agent.request(callback.href)
    assert.equal(back.status, 303, await back.text())
    const state = (await (await agent.request(`${found.notes}/state`)).json()) as Record<string, unknown>
    assert.equal(state.signedIn, true, JSON.stringify(state))
  })

  test('Photos serves its single-page app and refuses its API without a token', async () => {
    const page = await fetch(`${found.photos}/`)
    assert.equal(page.status, 200)
    assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/)
    assert.match(await page.text(), /<script type="module" src="\/photos-spa.js">/)
    const bundle = await fetch(`${found.photos}/photos-spa.js`)
    assert.equal(bundle.status, 200)
    assert.ok((await bundle.text()).length > 10_000, 'the bundle holds the SDK')
    const api = await fetch(`${found.photos}/api/photos`)
    assert.equal(api.status, 401)
    assert.match(api.headers.get('www-authenticate') ?? '', /DPoP|Bearer/)
  })

  test('SIGINT stops the apps and the server, exit 0', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
    child.kill('SIGINT')
    assert.equal(await exited, 0, output.slice(-2000))
  })
})
