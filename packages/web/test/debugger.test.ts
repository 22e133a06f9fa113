/**
 * @module The debugger in a real headless Chromium against the built pages: decode, explain, verify
 * (secret, PEM, JWK, JWKS URL), reasons for failure, re-sign, JWE, warnings, sharing, language switch.
 * Tokens and keys are made in Node by panva/jose, an independent implementation.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { CompactEncrypt, exportJWK, exportPKCS8, exportSPKI, generateKeyPair, SignJWT } from 'jose'
import type { Browser, Page } from 'playwright-core'
import { launchChromium, screenshot } from './support/browser.js'
import { openDebugger as openDebuggerPage, outcome } from './support/debugger-page.js'
import { type StaticServer, startStaticServer } from './support/static-server.js'

const SECRET = 'correct horse battery staple, 32+ bytes long!'
// The page's clock is fixed (Playwright's clock), so "expires in 2 h" never depends on how fast the test runs.
const FIXED = new Date('2026-03-02T09:30:00Z')
const now = Math.floor(FIXED.getTime() / 1000)

async function hsToken(
  claims: Record<string, unknown>,
  secret = SECRET,
  header: Record<string, unknown> = {},
): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT', ...header })
    .sign(new TextEncoder().encode(secret))
}

const es = await generateKeyPair('ES256', { extractable: true })
const esPublicJwk = { ...(await exportJWK(es.publicKey)), kid: 'key-1', alg: 'ES256', use: 'sig' }
const esPem = await exportSPKI(es.publicKey)
const esToken = await new SignJWT({ sub: 'es-user', iat: now, exp: now + 600 })
  .setProtectedHeader({ alg: 'ES256', kid: 'key-1' })
  .sign(es.privateKey)

let server: StaticServer
let browser: Browser

before(async () => {
  server = await startStaticServer({ '/keys/jwks.json': { keys: [esPublicJwk] } })
  browser = await launchChromium()
})
after(async () => {
  await browser?.close()
  await server?.close()
})

const openDebugger = () => openDebuggerPage(browser, server, FIXED)

async function useKey(page: Page, format: string, text: string): Promise<void> {
  await page.check(`#key-format-${format}`)
  await page.fill('#key-input', text)
}

describe('JWT debugger (Chromium)', () => {
  test('a pasted token shows its header, claims, dates and explanations, with nothing sent anywhere', async () => {
    const token = await hsToken({ sub: 'user-1', name: 'Kim Minji', iat: now - 5 * 60, exp: now + 2 * 3600 })
    const { page, errors, offOrigin } = await openDebugger()
    await page.fill('#token-input', token)
    const claims = page.locator('#claims-table')
    await claims.waitFor()
    assert.match((await claims.textContent()) ?? '', /user-1/)
    assert.match((await claims.textContent()) ?? '', /Kim Minji/)
    assert.match((await page.textContent('[data-time-claim="exp"]')) ?? '', /expires in 2 h/)
    assert.match((await page.textContent('[data-time-claim="iat"]')) ?? '', /issued 5 min ago/)
    assert.match((await page.textContent('#decoded-header')) ?? '', /"alg": "HS256"/)
    // The three parts are coloured separately, in order.
    assert.deepEqual(
      await page
        .locator('#token-highlight .part:not(.part-dot)')
        .evaluateAll((spans) => spans.map((span) => span.className)),
      ['part part-header', 'part part-payload', 'part part-signature'],
    )
    // Registered claims are explained on hover (title) and to assistive tech (aria-describedby).
    const exp = page.locator('[data-claim="exp"]')
    assert.match((await exp.getAttribute('title')) ?? '', /Expiration time/)
    const describedBy = await exp.getAttribute('aria-describedby')
    assert.match((await page.textContent(`#${describedBy}`)) ?? '', /Expiration time/)
    // Keyboard users get the same explanation on focus.
    await exp.focus()
    assert.equal(await page.locator(`#${describedBy}`).isVisible(), true)
    await page.hover('#privacy-notice')
    assert.match((await page.textContent('#privacy-notice')) ?? '', /No token leaves this page/)
    await screenshot(page, 'debugger-decoded')
    assert.deepEqual(offOrigin, [])
    assert.ok(
      !server.requests.some((line) => line.includes(token.slice(0, 20))),
      'the token reached the server',
    )
    assert.deepEqual(errors, [])
    await page.context().close()
  })

  test('verify: the right secret is valid, a wrong one fails with the signature reason', async () => {
    const token = await hsToken({ sub: 'user-1', iat: now, exp: now + 600 })
    const { page, errors } = await openDebugger()
    await page.fill('#token-input', token)
    await useKey(page, 'secret-text', SECRET)
    await page.click('#verify-button')
    const ok = await outcome(page, 'verify-result')
    assert.equal(ok.outcome, 'ok')
    assert.match(ok.text, /Signature verified with HS256/)

    await page.fill('#key-input', `${SECRET}?`)
    await page.click('#verify-button')
    await page.locator('#verify-result .result[data-outcome="error"]').waitFor()
    const bad = await outcome(page, 'verify-result')
    assert.equal(bad.code, 'ERR_JWS_SIGNATURE_INVALID')
    assert.match(bad.text, /The signature does not match/)
    await screenshot(page, 'debugger-verify-invalid')
    assert.deepEqual(errors, [])
    await page.context().close()
  })

  test('verify names the reason: expired, wrong algorithm, alg none; a weak secret is flagged', async () => {
    const { page } = await openDebugger()
    await page.fill('#token-input', await hsToken({ sub: 'u', iat: now - 7200, exp: now - 3600 }))
    assert.match((await page.textContent('[data-time-claim="exp"]')) ?? '', /expired 60 min ago/)
    await useKey(page, 'secret-text', SECRET)
    await page.click('#verify-button')
    const expired = await outcome(page, 'verify-result')
    assert.equal(expired.code, 'ERR_JWT_EXPIRED')
    assert.match(expired.text, /signature is valid, but the token has expired/)

    await page.fill('#token-input', await hsToken({ sub: 'u', exp: now + 60 }))
    await page.selectOption('#verify-alg', 'HS512')
    await page.click('#verify-button')
    assert.equal((await outcome(page, 'verify-result')).code, 'ERR_JOSE_ALG_NOT_ALLOWED')

    await page.fill('#token-input', await hsToken({ sub: 'u', exp: now + 60 }, 'secret'))
    await page.fill('#key-input', 'secret')
    assert.equal(await page.locator('#secret-findings [data-finding="warn.secretKnown"]').count(), 1)
    assert.equal(await page.locator('#secret-findings [data-finding="warn.secretShort"]').count(), 1)
    // A weak secret still verifies (old tokens can be checked), and the outcome says it is unsafe.
    await page.click('#verify-button')
    assert.equal((await outcome(page, 'verify-result')).outcome, 'ok')
    assert.match((await page.textContent('#verify-short-secret')) ?? '', /this one has 6/)

    const unsecured = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"admin"}').toString('base64url')}.`
    await page.fill('#token-input', unsecured)
    assert.equal(await page.locator('#token-findings [data-finding="warn.algNone"]').count(), 1)
    await page.click('#verify-button')
    assert.equal((await outcome(page, 'verify-result')).code, 'ERR_WEB_ALG_NONE')
    await page.context().close()
  })

  test('reviewer warnings: no exp, lifetime over a day, personal data, key in the header', async () => {
    const { page } = await openDebugger()
    await page.fill(
      '#token-input',
      await hsToken({ sub: 'u', email: 'minji@example.com', phone: '+82 10-1234-5678' }, SECRET, {
        jku: 'https://evil.example/jwks',
      }),
    )
    const findings = page.locator('#token-findings')
    await findings.waitFor()
    const keys = await findings
      .locator('[data-finding]')
      .evaluateAll((items) => items.map((item) => item.getAttribute('data-finding')))
    assert.deepEqual(keys, ['warn.headerKey', 'warn.noExp', 'warn.sensitive', 'warn.readable'])
    assert.match((await findings.textContent()) ?? '', /email, phone/)

    await page.fill('#token-input', await hsToken({ sub: 'u', iat: now, exp: now + 30 * 86400 }))
    assert.match((await page.textContent('[data-finding="warn.longLifetime"]')) ?? '', /30 d/)
    await screenshot(page, 'debugger-warnings')
    await page.context().close()
  })

  test('verify with a PEM, a JWK, a JWK Set and a JWKS URL (ES256)', async () => {
    const { page, errors } = await openDebugger()
    await page.fill('#token-input', esToken)
    for (const [format, text] of [
      ['pem', esPem],
      ['jwk', JSON.stringify(esPublicJwk)],
      ['jwk', JSON.stringify({ keys: [esPublicJwk] })],
      ['jwks-url', `${server.url}/keys/jwks.json`],
    ] as const) {
      await useKey(page, format, text)
      await page.click('#verify-button')
      await page.locator('#verify-result .result[data-outcome]').waitFor()
      const result = await outcome(page, 'verify-result')
      assert.equal(result.outcome, 'ok', `${format}: ${result.text}`)
    }
    assert.ok(server.requests.includes('GET /keys/jwks.json'))
    await useKey(page, 'jwk', '{"kty":')
    await page.click('#verify-button')
    assert.equal((await outcome(page, 'verify-result')).code, 'ERR_WEB_KEY_JSON')
    assert.deepEqual(errors, [])
    await page.context().close()
  })

  test('edit the payload and re-sign: the new token decodes and verifies', async () => {
    const { page } = await openDebugger()
    await page.fill('#token-input', await hsToken({ sub: 'user-1', exp: now + 600 }))
    await useKey(page, 'secret-text', SECRET)
    await page.fill('#edit-payload', JSON.stringify({ sub: 'user-2', role: 'admin', exp: now + 600 }))
    await page.click('#resign-button')
    assert.equal((await outcome(page, 'resign-result')).outcome, 'ok')
    assert.match((await page.textContent('#claims-table')) ?? '', /user-2/)
    await page.click('#verify-button')
    assert.equal((await outcome(page, 'verify-result')).outcome, 'ok')

    await page.fill('#edit-payload', '{not json')
    await page.click('#resign-button')
    assert.equal((await outcome(page, 'resign-result')).code, 'ERR_WEB_PAYLOAD_JSON')
    await page.context().close()
  })

  test('share by URL fragment: the link opens the same token and no request carries it', async () => {
    const token = await hsToken({ sub: 'shared-user', exp: now + 600 })
    const { page } = await openDebugger()
    await page.fill('#token-input', token)
    await page.click('#share-button')
    await page.waitForFunction(() => location.hash.startsWith('#token='))
    const link = page.url()
    assert.equal(new URL(link).search, '')
    const second = await page.context().newPage()
    await second.goto(link)
    await second.locator('#claims-table').waitFor()
    assert.match((await second.textContent('#claims-table')) ?? '', /shared-user/)
    assert.ok(!server.requests.some((line) => line.includes('shared') || line.includes(token.split('.')[1]!)))
    await page.context().close()
  })

  test('the language switch changes the text and the lang attribute', async () => {
    const { page } = await openDebugger()
    await page.fill('#token-input', await hsToken({ sub: 'u', iat: now, exp: now + 12 * 60 }))
    assert.equal(await page.getAttribute('html', 'lang'), 'en')
    assert.equal(await page.textContent('h1'), 'JWT debugger')
    await page.click('button[data-lang="ko"]')
    assert.equal(await page.getAttribute('html', 'lang'), 'ko')
    assert.equal(await page.textContent('h1'), 'JWT 디버거')
    assert.equal(await page.title(), 'JWT 디버거 · Tessera')
    assert.equal(await page.getAttribute('button[data-lang="ko"]', 'aria-pressed'), 'true')
    assert.match((await page.textContent('[data-time-claim="exp"]')) ?? '', /12분 후 만료/)
    assert.match((await page.textContent('#privacy-notice')) ?? '', /토큰은 이 페이지 밖으로 나가지 않습니다/)
    await page.click('#verify-button')
    await page.locator('#verify-result .result[data-outcome]').waitFor()
    assert.match((await page.textContent('#verify-result')) ?? '', /키 상자가 비어 있습니다/)
    await screenshot(page, 'debugger-korean')
    // The choice is remembered for the next visit.
    await page.reload()
    assert.equal(await page.getAttribute('html', 'lang'), 'ko')
    await page.click('button[data-lang="en"]')
    assert.equal(await page.textContent('h1'), 'JWT debugger')
    await page.context().close()
  })

  test('the sample is signed in the page with a fresh random secret and verifies', async () => {
    const { page, errors } = await openDebugger()
    await page.click('#sample-button')
    await page.locator('#claims-table').waitFor()
    assert.match((await page.textContent('[data-time-claim="exp"]')) ?? '', /expires in 15 min/)
    assert.equal(await page.isChecked('#key-format-secret-b64'), true)
    assert.equal(
      await page.locator('#secret-findings [data-finding]').count(),
      0,
      'a random 32-byte secret is not weak',
    )
    await page.click('#verify-button')
    assert.equal((await outcome(page, 'verify-result')).outcome, 'ok')
    assert.deepEqual(errors, [])
    await page.context().close()
  })

  test('re-sign with an ES256 private key (PEM), verify with the public JWK', async () => {
    const { page } = await openDebugger()
    await page.fill('#token-input', esToken)
    await useKey(page, 'pem', await exportPKCS8(es.privateKey))
    await page.fill('#edit-payload', JSON.stringify({ sub: 'resigned', exp: now + 60 }))
    await page.click('#resign-button')
    assert.equal((await outcome(page, 'resign-result')).outcome, 'ok')
    assert.match((await page.textContent('#claims-table')) ?? '', /resigned/)
    await useKey(page, 'jwk', JSON.stringify(esPublicJwk))
    await page.click('#verify-button')
    assert.equal((await outcome(page, 'verify-result')).outcome, 'ok')
    await page.context().close()
  })

  test('JWE: ECDH-ES+A256KW decrypted with a private JWK', async () => {
    const ec = await generateKeyPair('ECDH-ES+A256KW', { extractable: true })
    const jwe = await new CompactEncrypt(new TextEncoder().encode('{"hello":"world"}'))
      .setProtectedHeader({ alg: 'ECDH-ES+A256KW', enc: 'A128GCM' })
      .encrypt(ec.publicKey)
    const { page } = await openDebugger()
    await page.fill('#token-input', jwe)
    assert.equal(await page.inputValue('#jwe-alg'), 'ECDH-ES+A256KW')
    assert.equal(await page.inputValue('#jwe-enc'), 'A128GCM')
    await useKey(page, 'jwk', JSON.stringify(await exportJWK(ec.privateKey)))
    await page.click('#jwe-decrypt')
    const result = await outcome(page, 'jwe-result')
    assert.equal(result.outcome, 'ok', result.text)
    assert.equal(await page.textContent('#jwe-plaintext'), '{"hello":"world"}')
    // The accepted algorithms are the user's choice, as for verify.
    await page.selectOption('#jwe-alg', 'RSA-OAEP-256')
    await page.click('#jwe-decrypt')
    assert.equal((await outcome(page, 'jwe-result')).code, 'ERR_JOSE_ALG_NOT_ALLOWED')
    await page.context().close()
  })

  test('JWE: decrypt a token made by panva/jose, then encrypt and decrypt it back', async () => {
    const { page } = await openDebugger()
    const key = crypto.getRandomValues(new Uint8Array(32))
    const inner = await hsToken({ sub: 'nested-user', exp: now + 600 })
    const jwe = await new CompactEncrypt(new TextEncoder().encode(inner))
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', cty: 'JWT' })
      .encrypt(key)
    await page.fill('#token-input', jwe)
    await page.locator('#jwe-note').waitFor()
    // Five parts named in the legend, the empty encrypted key of dir included.
    assert.equal(await page.locator('#token-legend .legend-item').count(), 5)
    assert.match((await page.textContent('#token-legend')) ?? '', /Encrypted key: 0 characters/)
    await useKey(page, 'secret-b64', Buffer.from(key).toString('base64url'))
    await page.click('#jwe-decrypt')
    const decrypted = await outcome(page, 'jwe-result')
    assert.equal(decrypted.outcome, 'ok', decrypted.text)
    assert.equal(await page.textContent('#jwe-plaintext'), inner)
    await page.click('#jwe-open-inner')
    assert.match((await page.textContent('#claims-table')) ?? '', /nested-user/)
    await screenshot(page, 'debugger-jwe')

    // Encrypt the inner token again, then decrypt what the page produced.
    await page.click('#jwe-encrypt')
    assert.equal((await outcome(page, 'jwe-result')).outcome, 'ok')
    assert.equal((await page.inputValue('#token-input')).split('.').length, 5)
    await page.click('#jwe-decrypt')
    await page.locator('#jwe-plaintext').waitFor()
    assert.equal(await page.textContent('#jwe-plaintext'), inner)

    await useKey(
      page,
      'secret-b64',
      Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url'),
    )
    await page.click('#jwe-decrypt')
    assert.equal((await outcome(page, 'jwe-result')).code, 'ERR_JWE_DECRYPTION_FAILED')
    await page.context().close()
  })
})
