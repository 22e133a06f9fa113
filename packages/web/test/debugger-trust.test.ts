/**
 * @module The debugger's key box and verified state in Chromium: the key format follows the token's
 * algorithm; "nothing above is trusted" gives way to a verified state naming the key, and comes back
 * when the token, key or algorithm changes; jwt.io's classic HS256 example, whose 19-byte secret is
 * shorter than the hash, verifies with a loud warning while signing with it stays refused.
 */
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT } from 'jose'
import type { Browser, Page } from 'playwright-core'
import { launchChromium, screenshot } from './support/browser.js'
import { openDebugger, outcome } from './support/debugger-page.js'
import { type StaticServer, startStaticServer } from './support/static-server.js'

const FIXED = new Date('2026-03-02T09:30:00Z')
const now = Math.floor(FIXED.getTime() / 1000)
const SECRET = 'correct horse battery staple, 32+ bytes long!'
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')

/** jwt.io's well-known example, built from its published inputs with node:crypto's HMAC. */
const JWT_IO_SECRET = 'your-256-bit-secret'
const jwtIoInput = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: '1234567890', name: 'John Doe', iat: 1516239022 })}`
const jwtIoToken = `${jwtIoInput}.${createHmac('sha256', JWT_IO_SECRET).update(jwtIoInput).digest('base64url')}`

/** A token with only a header that means something: enough for the key box to follow its alg. */
const headerOnly = (header: Record<string, unknown>, parts = 3) =>
  [b64(header), ...(parts === 5 ? ['', 'aXY', 'Y3Q', 'dGFn'] : [b64({ sub: 'u' }), 'c2ln'])].join('.')

const es = await generateKeyPair('ES256', { extractable: true })
const esJwk = { ...(await exportJWK(es.publicKey)), kid: 'key-1', alg: 'ES256', use: 'sig' }
const esToken = await new SignJWT({ sub: 'es-user', iat: now, exp: now + 600 })
  .setProtectedHeader({ alg: 'ES256', kid: 'key-1' })
  .sign(es.privateKey)

let server: StaticServer
let browser: Browser

before(async () => {
  server = await startStaticServer({ '/keys/jwks.json': { keys: [esJwk] } })
  browser = await launchChromium()
})
after(async () => {
  await browser?.close()
  await server?.close()
})

const open = () => openDebugger(browser, server, FIXED)
const trustState = (page: Page) => page.getAttribute('#trust-notice', 'data-trust')
const visibleFormats = (page: Page) =>
  page
    .locator('#key-panel label.radio')
    .evaluateAll((labels) =>
      labels.filter((label) => !(label as HTMLElement).hidden).map((label) => label.getAttribute('for')),
    )

describe('debugger key box and verified state (Chromium)', () => {
  test('jwt.io’s example token is byte for byte the published one', () => {
    assert.equal(
      jwtIoToken,
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
    )
  })

  test('a secret shorter than the hash verifies, with a loud warning in en and ko; signing with it is refused', async () => {
    const { page, errors, offOrigin } = await open()
    await page.fill('#token-input', jwtIoToken)
    assert.equal(await trustState(page), 'unverified')
    await page.fill('#key-input', JWT_IO_SECRET)
    assert.equal(await page.locator('#secret-findings [data-finding="warn.secretShort"]').count(), 1)
    await page.click('#verify-button')
    const ok = await outcome(page, 'verify-result')
    assert.equal(ok.outcome, 'ok', ok.text)
    assert.match(ok.text, /Signature verified with HS256/)
    const warning = page.locator('#verify-short-secret')
    assert.equal(await warning.isVisible(), true)
    assert.equal(await warning.getAttribute('role'), 'alert')
    assert.match(
      (await warning.textContent()) ?? '',
      /too short to be safe: HS256 needs at least 32 bytes and this one has 19/,
    )
    // The notice under the signature turns verified, names the key, and repeats the warning.
    assert.equal(await trustState(page), 'verified-weak')
    const notice = (await page.textContent('#trust-notice')) ?? ''
    assert.match(notice, /Verified\..*HS256 and the text secret in the key box \(19 bytes\)/)
    assert.match((await page.textContent('#trust-short-secret')) ?? '', /too short to be safe/)
    assert.ok(!notice.includes(JWT_IO_SECRET), 'the secret itself is never shown')
    await page.locator('#trust-notice').scrollIntoViewIfNeeded()
    await screenshot(page, 'debugger-short-secret-verified')

    await page.click('button[data-lang="ko"]')
    assert.match(
      (await page.textContent('#verify-short-secret')) ?? '',
      /안전하기에 너무 짧습니다.*32바이트.*19바이트/,
    )
    assert.match((await page.textContent('#trust-notice')) ?? '', /검증됨/)
    await screenshot(page, 'debugger-short-secret-verified-ko')
    await page.click('button[data-lang="en"]')

    // Allowing a short secret to verify does not make a wrong signature pass.
    const tampered = `${jwtIoInput}.${createHmac('sha256', `${JWT_IO_SECRET}!`).update(jwtIoInput).digest('base64url')}`
    await page.fill('#token-input', tampered)
    await page.click('#verify-button')
    assert.equal((await outcome(page, 'verify-result')).code, 'ERR_JWS_SIGNATURE_INVALID')
    assert.equal(await trustState(page), 'unverified')

    // Signing a new token stays strict.
    await page.fill('#token-input', jwtIoToken)
    await page.click('#resign-button')
    assert.equal((await outcome(page, 'resign-result')).code, 'ERR_KEY_TOO_WEAK')
    assert.deepEqual(offOrigin, [])
    assert.deepEqual(errors, [])
    await page.context().close()
  })

  test('the notice gives way once verified, naming the key, and comes back when token, key or algorithm change', async () => {
    const token = await new SignJWT({ sub: 'u', iat: now, exp: now + 600 })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(SECRET))
    const { page, errors } = await open()
    await page.fill('#token-input', token)
    assert.equal(await trustState(page), 'unverified')
    assert.match((await page.textContent('#trust-notice')) ?? '', /Nothing above is trusted until/)
    await page.fill('#key-input', SECRET)
    await page.click('#verify-button')
    await page.locator('#trust-notice[data-trust="verified"]').waitFor()
    assert.match(
      (await page.textContent('#trust-notice')) ?? '',
      /HS256 and the text secret in the key box \(45 bytes\)/,
    )
    assert.equal(await page.locator('#trust-short-secret').count(), 0)

    // A changed key: back to unverified, and a failed verify keeps it there.
    await page.fill('#key-input', `${SECRET}?`)
    assert.equal(await trustState(page), 'unverified')
    assert.equal(await page.locator('#verify-result .result').count(), 0, 'the old outcome is gone too')
    await page.click('#verify-button')
    assert.equal((await outcome(page, 'verify-result')).code, 'ERR_JWS_SIGNATURE_INVALID')
    assert.equal(await trustState(page), 'unverified')

    // Verified again, then the algorithm changes.
    await page.fill('#key-input', SECRET)
    await page.click('#verify-button')
    await page.locator('#trust-notice[data-trust="verified"]').waitFor()
    await page.selectOption('#verify-alg', 'HS384')
    assert.equal(await trustState(page), 'unverified')

    // Verified again, then the token changes (a language switch keeps the state).
    await page.selectOption('#verify-alg', 'HS256')
    await page.click('#verify-button')
    await page.locator('#trust-notice[data-trust="verified"]').waitFor()
    await page.click('button[data-lang="ko"]')
    assert.match((await page.textContent('#trust-notice')) ?? '', /검증됨.*45바이트/)
    await page.click('button[data-lang="en"]')
    await page.fill('#token-input', `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`)
    assert.equal(await trustState(page), 'unverified')

    // A public key is named by its shape, kid, source and RFC 7638 thumbprint.
    await page.fill('#token-input', esToken)
    await page.check('#key-format-jwks-url')
    await page.fill('#key-input', `${server.url}/keys/jwks.json`)
    await page.click('#verify-button')
    await page.locator('#trust-notice[data-trust="verified"]').waitFor()
    const notice = (await page.textContent('#trust-notice')) ?? ''
    assert.match(
      notice,
      /ES256 and the EC P-256 key "key-1" served by http:\/\/127\.0\.0\.1:\d+\/keys\/jwks\.json/,
    )
    assert.ok(notice.includes(await calculateJwkThumbprint(esJwk)), notice)
    assert.deepEqual(errors, [])
    await page.context().close()
  })

  test('the key box follows the token’s algorithm: formats, label and placeholder', async () => {
    const { page, errors } = await open()
    const box = async () => ({
      formats: await visibleFormats(page),
      label: await page.textContent('#key-label'),
      placeholder: await page.getAttribute('#key-input', 'placeholder'),
    })

    await page.fill('#token-input', headerOnly({ alg: 'HS256', typ: 'JWT' }))
    let seen = await box()
    assert.deepEqual(seen.formats, ['key-format-secret-text', 'key-format-secret-b64'])
    assert.equal(seen.label, 'HS256 secret (text, exactly as typed)')
    await page.check('#key-format-secret-b64')
    assert.equal(await page.textContent('#key-label'), 'HS256 secret (base64url bytes)')

    await page.fill('#token-input', esToken)
    seen = await box()
    assert.deepEqual(seen.formats, ['key-format-pem', 'key-format-jwk', 'key-format-jwks-url'])
    assert.equal(await page.isChecked('#key-format-pem'), true)
    assert.equal(seen.label, 'ES256 public key (PEM: SPKI or certificate)')
    assert.match(seen.placeholder ?? '', /BEGIN PUBLIC KEY/)
    await page.check('#key-format-jwk')
    assert.equal(await page.textContent('#key-label'), 'ES256 public key (JWK or JWK Set)')
    assert.match((await page.getAttribute('#key-input', 'placeholder')) ?? '', /"kty":"EC"/)

    await page.fill('#token-input', headerOnly({ alg: 'RS256' }))
    assert.match((await page.getAttribute('#key-input', 'placeholder')) ?? '', /"kty":"RSA"/)
    await page.fill('#token-input', headerOnly({ alg: 'EdDSA' }))
    assert.match((await page.getAttribute('#key-input', 'placeholder')) ?? '', /"kty":"OKP"/)

    await page.fill('#token-input', headerOnly({ alg: 'dir', enc: 'A256GCM' }, 5))
    seen = await box()
    assert.deepEqual(seen.formats, ['key-format-secret-text', 'key-format-secret-b64'])
    assert.equal(await page.isChecked('#key-format-secret-b64'), true, 'a JWE key is bytes by default')
    assert.equal(seen.label, 'Symmetric key for dir (base64url bytes)')
    await page.fill('#token-input', headerOnly({ alg: 'A128KW', enc: 'A128GCM' }, 5))
    assert.equal(await page.textContent('#key-label'), 'Symmetric key for A128KW (base64url bytes)')
    await page.fill('#token-input', headerOnly({ alg: 'PBES2-HS256+A128KW', enc: 'A128GCM' }, 5))
    // A format that still fits is kept; the label says what it now holds.
    assert.equal(await page.textContent('#key-label'), 'Password for PBES2-HS256+A128KW (base64url bytes)')
    await page.check('#key-format-secret-text')
    assert.equal(await page.textContent('#key-label'), 'Password for PBES2-HS256+A128KW')
    assert.equal(await page.getAttribute('#key-input', 'placeholder'), 'The password')

    await page.fill('#token-input', headerOnly({ alg: 'RSA-OAEP-256', enc: 'A256GCM' }, 5))
    seen = await box()
    assert.deepEqual(seen.formats, ['key-format-pem', 'key-format-jwk'])
    assert.equal(seen.label, 'RSA-OAEP-256 private key (PEM, PKCS#8) to decrypt')
    assert.match(seen.placeholder ?? '', /BEGIN PRIVATE KEY/)
    // Choosing another key management algorithm in the JWE panel moves the box along with it.
    await page.selectOption('#jwe-alg', 'ECDH-ES')
    await page.check('#key-format-jwk')
    assert.equal(await page.textContent('#key-label'), 'ECDH-ES private key (JWK) to decrypt')
    assert.match((await page.getAttribute('#key-input', 'placeholder')) ?? '', /"kty":"EC".*"d":/)

    await page.fill('#token-input', esToken)
    await page.click('button[data-lang="ko"]')
    assert.equal(await page.textContent('#key-label'), 'ES256 공개 키 (JWK 또는 JWK Set)')
    assert.deepEqual(errors, [])
    await page.context().close()
  })
})
