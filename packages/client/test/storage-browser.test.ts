/**
 * @module Where the SDK keeps what, checked in Chromium against a real Tessera server: nothing of it in
 * localStorage, sessionStorage or `document.cookie`; the DPoP key in IndexedDB is a CryptoKey whose
 * private half `crypto.subtle.exportKey` refuses, and the authorization code was bound to it; the refresh token next to it is useless without it —
 * replayed from Node with no proof, or with a proof by another key, the provider refuses it.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { calculateJwkThumbprint, createDPoPProof, generateKeyPair, type JWK } from '@tessera/jose/node'
import type { BrowserContext, Page } from 'playwright-core'
import { chromiumMissing } from '../../../test-support/chromium.js'
import { CLIENT_ID, callApi, type SpaHarness, startSpaHarness, stateOf, storedRecord } from './spa-harness.js'

const missing = chromiumMissing('@tessera/client storage tests')

describe('what the SDK stores, and what a copy of it is worth', { skip: missing }, () => {
  let h: SpaHarness
  let context: BrowserContext
  let page: Page
  const authorizeUrls: URL[] = []

  before(async () => {
    h = await startSpaHarness()
    context = await h.newContext()
    page = await h.openTab(context)
    page.on('request', (request) => {
      if (request.url().startsWith(`${h.issuer}/authorize?`)) authorizeUrls.push(new URL(request.url()))
    })
    await h.signIn(page)
    assert.equal(await stateOf(page), 'signed-in')
    // A refresh and an API call too, so every path that could write somewhere has run.
    const ttlMs = h.t.config.accessTtl * 1000
    h.advanceServerClock(ttlMs)
    await context.clock.fastForward(ttlMs)
    assert.equal((await callApi(page)).status, 200)
    assert.ok(h.grants.some((g) => g.grant === 'refresh_token' && g.status === 200))
  })
  after(async () => {
    await h?.close()
  })

  test('nothing in localStorage, sessionStorage or document.cookie, and no cookie for the SPA origin', async () => {
    const seen = await page.evaluate(() => ({
      local: localStorage.length,
      session: sessionStorage.length,
      cookie: document.cookie,
    }))
    assert.deepEqual(seen, { local: 0, session: 0, cookie: '' })
    assert.deepEqual(await context.cookies(h.spa), [])
  })

  test('the stored DPoP key is a non-extractable P-256 CryptoKey: exportKey refuses it', async () => {
    const record = await storedRecord(page)
    assert.equal(record.records, 1)
    const { publicJwk, ...key } = record.key!
    assert.deepEqual(key, {
      isCryptoKey: true,
      extractable: false,
      namedCurve: 'P-256',
      refusals: ['jwk: InvalidAccessError', 'pkcs8: InvalidAccessError'],
    })
    assert.equal(publicJwk.d, undefined, 'the public half carries no private member')
  })

  test('the authorization code was bound to that key: the request carried its thumbprint (dpop_jkt)', async () => {
    const { publicJwk } = (await storedRecord(page)).key!
    assert.equal(authorizeUrls.length, 1)
    const sent = authorizeUrls[0]!.searchParams
    assert.equal(sent.get('dpop_jkt'), await calculateJwkThumbprint(publicJwk as JWK))
    assert.equal(sent.get('code_challenge_method'), 'S256')
    assert.match(sent.get('state') ?? '', /^[\w-]{43}$/)
    assert.match(sent.get('nonce') ?? '', /^[\w-]{43}$/)
  })

  test('the refresh token copied out of the page and replayed from Node without the key is refused', async () => {
    const refreshToken = (await storedRecord(page)).refreshToken!
    const form = { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: CLIENT_ID }
    const bare = await h.t.form('/token', form)
    assert.equal(bare.status, 400, 'no proof at all')
    const { privateKey, publicKey } = await generateKeyPair('ES256')
    const proof = createDPoPProof({ key: privateKey, publicKey, htm: 'POST', htu: `${h.issuer}/token` })
    const otherKey = await h.t.form('/token', form, { dpop: proof })
    assert.equal(otherKey.status, 400, 'a proof by another key')
    for (const answer of [bare, otherKey]) {
      const body = (await answer.json()) as { error: string }
      assert.match(body.error, /^invalid_(grant|dpop_proof)$/)
    }
    // The page, which holds the key, still refreshes with the same stored token.
    const ttlMs = h.t.config.accessTtl * 1000
    h.advanceServerClock(ttlMs)
    await context.clock.fastForward(ttlMs)
    assert.equal((await callApi(page)).status, 200)
  })
})
