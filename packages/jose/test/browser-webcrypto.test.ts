/**
 * @module The built WebCrypto entry (`dist/webcrypto.js`) in a real browser (Debian's headless Chromium):
 * keys made in the page sign JWTs that Node verifies, Node's tokens verify in the page, and ES256K / Ed448
 * are refused there; SPKI, PKCS#8 and certificate PEMs import there with ERR_JOSE_NOT_SUPPORTED. Needs `npm run build -w @tessera/jose` first.
 */
import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { normalize } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { type Browser, chromium } from 'playwright-core'
import { jwsAlgorithm } from '../src/alg/jws-algorithms.ts'
import * as node from '../src/node.ts'
import { selfSignedCertificate } from './support/der.ts'

const DIST = fileURLToPath(new URL('../dist/', import.meta.url))
const CHROMIUM = '/usr/bin/chromium'
const NOW = new Date('2026-06-01T12:00:00Z')
const missing = !existsSync(CHROMIUM)
if (missing) {
  const message = `${CHROMIUM} is missing: browser tests skipped (apt-get install -y chromium)`
  if (process.env.TESSERA_REQUIRE_SERVICES === '1') throw new Error(message)
  console.warn(`\n*** ${message} ***\n`)
}

const SUPPORTED = node.JWS_ALGORITHMS.filter((alg) => jwsAlgorithm(alg)!.webCrypto)
const UNSUPPORTED = node.JWS_ALGORITHMS.filter((alg) => !jwsAlgorithm(alg)!.webCrypto)
const isHmac = (alg: string) => jwsAlgorithm(alg)!.family === 'hmac'

interface PageResult {
  fromPage: { alg: string; token: string; jwk: node.JWK }[]
  verifiedInPage: { alg: string; sub?: string; error?: string }[]
  pem: { alg: string; sub: string; signed: string }[]
  refused: { alg: string; code?: string }[]
  runtime: string
  hasBuffer: boolean
}

// Runs in the page, as plain JavaScript text (the test's own TypeScript is transformed by tsx and would carry
// helpers the page does not have).
const PAGE_SCRIPT = `async ({ url, supported, unsupported, tokens, pemCases, now }) => {
  const jose = await import(url)
  const currentDate = new Date(now)
  const out = { fromPage: [], verifiedInPage: [], pem: [], refused: [], runtime: jose.runtime, hasBuffer: 'Buffer' in globalThis }
  for (const alg of supported) {
    const keys = alg.startsWith('HS')
      ? { privateKey: await jose.generateSecret(alg, { extractable: true }) }
      : await jose.generateKeyPair(alg, { extractable: true })
    const token = await jose.signJWT({ sub: 'page-' + alg }, keys.privateKey, { alg, currentDate })
    out.fromPage.push({ alg, token, jwk: await jose.exportJWK(keys.publicKey ?? keys.privateKey) })
  }
  for (const { alg, token, jwk } of tokens) {
    try {
      const { payload } = await jose.verifyJWT(token, jwk, { algorithms: [alg], currentDate })
      out.verifiedInPage.push({ alg, sub: payload.sub })
    } catch (error) {
      out.verifiedInPage.push({ alg, error: String(error.code ?? error) })
    }
  }
  for (const { alg, token, pem, privatePem } of pemCases) {
    const key = await jose.importPEM(pem, alg)
    const { payload } = await jose.verifyJWT(token, key, { algorithms: [alg], currentDate })
    const signed = await jose.signJWT({ sub: 'page-pem' }, await jose.importPEM(privatePem, alg), { alg, currentDate })
    out.pem.push({ alg, sub: payload.sub, signed })
  }
  for (const alg of unsupported) {
    try {
      await jose.generateKeyPair(alg)
      out.refused.push({ alg })
    } catch (error) {
      out.refused.push({ alg, code: error.code })
    }
  }
  return out
}`

describe('dist/webcrypto.js in Chromium', { skip: missing }, () => {
  let browser: Browser
  let server: ReturnType<typeof createServer>
  let origin: string

  before(async () => {
    assert.ok(
      existsSync(`${DIST}webcrypto.js`),
      'dist/webcrypto.js is missing: run npm run build -w @tessera/jose',
    )
    // Serves dist/ only; localhost is a secure context, which crypto.subtle requires.
    server = createServer((request, response) => {
      const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)).replace(
        /^\/+/,
        '',
      )
      if (path === '') {
        response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>jose</title>')
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
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    })
  })

  after(async () => {
    await browser?.close()
    await new Promise((resolve) => server?.close(resolve))
  })

  test('every WebCrypto algorithm round-trips between the page and Node; the rest are refused', async () => {
    // Node signs one token per algorithm for the page to verify, with keys the page imports as JWKs.
    const fromNode: { alg: string; token: string; jwk: node.JWK }[] = []
    for (const alg of SUPPORTED) {
      const keys = isHmac(alg)
        ? await node.generateSecret(alg, { extractable: true }).then((k) => ({ privateKey: k, publicKey: k }))
        : await node.generateKeyPair(alg, { extractable: true })
      const token = await node.signJWT({ sub: `node-${alg}` }, keys.privateKey, { alg, currentDate: NOW })
      fromNode.push({ alg, token, jwk: await node.exportJWK(keys.publicKey) })
    }

    // PEM in the page: an SPKI and an X.509 certificate (read by the bounded DER reader) verify, PKCS#8 signs.
    const pemCases: { alg: string; token: string; pem: string; privatePem: string; verify: unknown }[] = []
    for (const [alg, type, options] of [
      ['ES256', 'ec', { namedCurve: 'P-256' }],
      ['PS256', 'rsa', { modulusLength: 2048 }],
      ['EdDSA', 'ed25519', {}],
    ] as const) {
      const pair = generateKeyPairSync(type as 'ec', options as { namedCurve: string })
      const privatePem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string
      const token = await node.signJWT({ sub: `pem-${alg}` }, pair.privateKey, { alg, currentDate: NOW })
      const spki = pair.publicKey.export({ type: 'spki', format: 'pem' }) as string
      pemCases.push({ alg, token, pem: spki, privatePem, verify: pair.publicKey })
      const certificate = selfSignedCertificate(pair.publicKey, pair.privateKey)
      pemCases.push({ alg, token, pem: certificate, privatePem, verify: pair.publicKey })
    }

    const page = await browser.newPage()
    await page.goto(`${origin}/`)
    const args = {
      url: `${origin}/webcrypto.js`,
      supported: SUPPORTED,
      unsupported: UNSUPPORTED,
      tokens: fromNode,
      pemCases: pemCases.map(({ verify, ...rest }) => rest),
    }
    const result = (await page.evaluate(
      `(${PAGE_SCRIPT})(${JSON.stringify({ ...args, now: NOW.getTime() })})`,
    )) as PageResult

    assert.equal(result.runtime, 'webcrypto')
    assert.equal(result.hasBuffer, false, 'the page has no Buffer: the portable code paths ran')
    assert.deepEqual(
      result.verifiedInPage,
      SUPPORTED.map((alg) => ({ alg, sub: `node-${alg}` })),
    )
    assert.deepEqual(
      result.fromPage.map((entry) => entry.alg),
      SUPPORTED,
    )
    for (const { alg, token, jwk } of result.fromPage) {
      const { payload } = await node.verifyJWT(token, jwk, { algorithms: [alg], currentDate: NOW })
      assert.equal(payload.sub, `page-${alg}`, alg)
    }
    assert.equal(result.pem.length, pemCases.length)
    for (const [i, { alg, sub, signed }] of result.pem.entries()) {
      assert.equal(sub, `pem-${alg}`)
      const { payload } = await node.verifyJWT(signed, pemCases[i]!.verify as node.JoseKey, {
        algorithms: [alg],
        currentDate: NOW,
      })
      assert.equal(payload.sub, 'page-pem')
    }
    assert.deepEqual(
      result.refused,
      UNSUPPORTED.map((alg) => ({ alg, code: 'ERR_JOSE_NOT_SUPPORTED' })),
    )
  })
})
