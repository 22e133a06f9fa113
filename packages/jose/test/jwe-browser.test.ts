/**
 * @module The built WebCrypto entry's JWE in a real browser (Debian's headless Chromium): for every alg
 * (with A256GCM) and every enc (with `dir`), the page encrypts what Node decrypts and decrypts what Node
 * encrypted; `zip` works through CompressionStream; what Chromium lacks (RSA1_5, X448, 192-bit AES) is
 * refused with ERR_JOSE_NOT_SUPPORTED, as docs/jwe.md says. Needs `npm run build -w @tessera/jose` first.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import type { Browser } from 'playwright-core'
import { secretLength } from '../src/jwk/spec.ts'
import * as node from '../src/node.ts'
import { chromiumMissing, type DistPage, openDistInChromium } from './support/dist-in-chromium.ts'

const missing = chromiumMissing('browser JWE tests')

interface Case {
  name: string
  alg: string
  enc: string
  encryptKey: unknown
  decryptKey: unknown
  fromNode: string
  zip?: boolean
}

interface PageOutcome {
  name: string
  token?: string
  opened?: string
  encryptError?: string
  decryptError?: string
}

const PLAINTEXT = 'from the page, and back'
const b64 = (bytes: Uint8Array) => node.encodeBase64url(bytes)

async function buildCases(): Promise<Case[]> {
  const cases: Case[] = []
  const rsa = await node.generateKeyPair('RSA-OAEP', { extractable: true })
  const rsaJwks = {
    privateJwk: await node.exportJWK(rsa.privateKey),
    publicJwk: await node.exportJWK(rsa.publicKey),
  }
  delete rsaJwks.privateJwk.alg
  delete rsaJwks.publicJwk.alg
  const add = async (alg: string, enc: string, crv?: string, zip = false) => {
    let encryptKey: unknown
    let decryptKey: unknown
    if (alg === 'dir' || /^A\d{3}(GCM)?KW$/.test(alg)) {
      const k = { kty: 'oct', k: b64(randomBytes(secretLength(alg === 'dir' ? enc : alg))) }
      encryptKey = k
      decryptKey = k
    } else if (alg.startsWith('PBES2')) {
      encryptKey = 'page passphrase'
      decryptKey = 'page passphrase'
    } else if (alg.startsWith('RSA')) {
      encryptKey = rsaJwks.publicJwk
      decryptKey = rsaJwks.privateJwk
    } else {
      const pair = await node.generateKeyPair(alg, { crv, extractable: true })
      const { alg: _a, ...publicJwk } = await node.exportJWK(pair.publicKey)
      const { alg: _b, ...privateJwk } = await node.exportJWK(pair.privateKey)
      encryptKey = publicJwk
      decryptKey = privateJwk
    }
    const options = alg.startsWith('PBES2') ? { p2c: 1000 } : {}
    const fromNode =
      alg === 'RSA1_5'
        ? `${b64(new TextEncoder().encode('{"alg":"RSA1_5","enc":"A256GCM"}'))}.${b64(randomBytes(256))}.${b64(randomBytes(12))}.AA.${b64(randomBytes(16))}`
        : await node.compactEncrypt(new TextEncoder().encode(PLAINTEXT), encryptKey as node.JWK, {
            alg,
            enc,
            ...options,
            ...(zip ? { zip: 'DEF' as const } : {}),
          })
    cases.push({
      name: `${alg} ${enc}${crv ? ` ${crv}` : ''}${zip ? ' zip' : ''}`,
      alg,
      enc,
      encryptKey,
      decryptKey,
      fromNode,
      zip,
    })
  }
  for (const alg of node.JWE_ALGORITHMS.alg) {
    if (alg.startsWith('ECDH-ES')) {
      for (const crv of ['P-256', 'P-384', 'P-521', 'X25519', 'X448']) await add(alg, 'A256GCM', crv)
    } else await add(alg, 'A256GCM')
  }
  for (const enc of node.JWE_ALGORITHMS.enc) if (enc !== 'A256GCM') await add('dir', enc)
  await add('dir', 'A256GCM', undefined, true)
  return cases
}

const PAGE_SCRIPT = `async ({ url, cases, plaintext }) => {
  const jose = await import(url)
  const out = []
  for (const c of cases) {
    const result = { name: c.name }
    const options = { keyManagementAlgorithms: [c.alg], contentEncryptionAlgorithms: [c.enc] }
    try {
      result.token = await jose.compactEncrypt(new TextEncoder().encode(plaintext), c.encryptKey,
        { alg: c.alg, enc: c.enc, ...(c.alg.startsWith('PBES2') ? { p2c: 1000 } : {}), ...(c.zip ? { zip: 'DEF' } : {}) })
    } catch (error) {
      result.encryptError = String(error.code ?? error)
    }
    try {
      result.opened = new TextDecoder().decode((await jose.compactDecrypt(c.fromNode, c.decryptKey, options)).plaintext)
    } catch (error) {
      result.decryptError = String(error.code ?? error)
    }
    out.push(result)
  }
  return out
}`

describe('JWE in Chromium (dist/webcrypto.js)', { skip: missing }, () => {
  let browser: Browser
  let dist: DistPage
  let origin: string

  before(async () => {
    dist = await openDistInChromium('jwe')
    browser = dist.browser
    origin = dist.origin
  })

  after(async () => {
    await dist?.close()
  })

  test('every alg (A256GCM) and every enc (dir) both ways; what Chromium lacks is ERR_JOSE_NOT_SUPPORTED', async () => {
    const cases = await buildCases()
    const page = await browser.newPage()
    await page.goto(origin)
    const outcomes = (await page.evaluate(
      `(${PAGE_SCRIPT})(${JSON.stringify({ url: `${origin}/webcrypto.js`, cases, plaintext: PLAINTEXT })})`,
    )) as PageOutcome[]
    await page.close()
    const lacking = (c: Case) =>
      c.alg === 'RSA1_5' || c.name.includes('X448') || c.alg.includes('192') || c.enc.includes('192')
    for (const [index, c] of cases.entries()) {
      const outcome = outcomes[index]!
      assert.equal(outcome.name, c.name)
      if (lacking(c)) {
        assert.equal(outcome.decryptError, 'ERR_JOSE_NOT_SUPPORTED', `${c.name}: page decrypt`)
        if (c.alg !== 'RSA1_5')
          assert.equal(outcome.encryptError, 'ERR_JOSE_NOT_SUPPORTED', `${c.name}: page encrypt`)
        continue
      }
      assert.equal(outcome.encryptError, undefined, `${c.name}: page encrypt failed`)
      assert.equal(outcome.decryptError, undefined, `${c.name}: page decrypt failed`)
      assert.equal(outcome.opened, PLAINTEXT, `${c.name}: page decrypted Node's token`)
      const { plaintext } = await node.compactDecrypt(outcome.token!, c.decryptKey as node.JWK, {
        keyManagementAlgorithms: [c.alg],
        contentEncryptionAlgorithms: [c.enc],
      })
      assert.equal(
        new TextDecoder().decode(plaintext),
        PLAINTEXT,
        `${c.name}: Node decrypted the page's token`,
      )
    }
  })
})
