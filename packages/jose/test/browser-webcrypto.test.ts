/**
 * @module The built WebCrypto entry (`dist/webcrypto.js`) in a real browser (Debian's headless Chromium):
 * keys made in the page sign JWTs that Node verifies, Node's tokens verify in the page, and ES256K / Ed448
 * are refused there; SPKI, PKCS#8 and certificate PEMs import there with ERR_JOSE_NOT_SUPPORTED. Needs `npm run build -w @tessera/jose` first.
 */
import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import type { Browser } from 'playwright-core'
import { jwsAlgorithm } from '../src/alg/jws-algorithms.ts'
import * as node from '../src/node.ts'
import { selfSignedCertificate } from './support/der.ts'
import { chromiumMissing, type DistPage, openDistInChromium } from './support/dist-in-chromium.ts'

const NOW = new Date('2026-06-01T12:00:00Z')
const missing = chromiumMissing('browser tests')

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
  let dist: DistPage
  let origin: string
  const documents = new Map<string, string>()

  before(async () => {
    dist = await openDistInChromium('jose', documents)
    browser = dist.browser
    origin = dist.origin
  })

  after(async () => {
    await dist?.close()
  })

  test("createRemoteJWKSet with the browser's own fetch (no fetch option) verifies a token from Node", async () => {
    const keys = await node.generateKeyPair('ES256', { extractable: true })
    const jwk = { ...(await node.exportJWK(keys.publicKey)), kid: 'page-remote', alg: 'ES256', use: 'sig' }
    documents.set('jwks.json', JSON.stringify({ keys: [jwk] }))
    const token = await node.signJWT({ sub: 'remote' }, keys.privateKey, {
      alg: 'ES256',
      kid: 'page-remote',
      currentDate: NOW,
    })
    const page = await browser.newPage()
    await page.goto(`${origin}/`)
    const outcome = await page.evaluate(
      `(async ({ url, jwks, token, now }) => {
        const jose = await import(url)
        try {
          const keySet = jose.createRemoteJWKSet(new URL(jwks))
          const { payload } = await jose.verifyJWT(token, keySet, { algorithms: ['ES256'], currentDate: new Date(now) })
          return { sub: payload.sub }
        } catch (error) {
          return { error: String(error.code ?? '') + ' ' + String(error.message) + ' ' + String(error.cause?.message ?? '') }
        }
      })(${JSON.stringify({ url: `${origin}/webcrypto.js`, jwks: `${origin}/jwks.json`, token, now: NOW.getTime() })})`,
    )
    await page.close()
    assert.deepEqual(outcome, { sub: 'remote' })
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
