/**
 * @module How the SDK meets failure, in Chromium against a real Tessera server: a refresh failing on the
 * network gives an `error` event and is retried with back-off — a handful of attempts, not a loop — and
 * never signs the user out; the access token refused as expired by the API is refreshed once and the call
 * retried once; the provider refusing the grant (`invalid_grant`) signs every tab out, once; a provider
 * that demands DPoP nonces is answered with one on the retry.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { BrowserContext, Page } from 'playwright-core'
import { chromiumMissing } from '../../../test-support/chromium.js'
import {
  CLIENT_ID,
  callApi,
  type SpaHarness,
  seenIn,
  startSpaHarness,
  stateOf,
  storedRecord,
  until,
} from './spa-harness.js'

const missing = chromiumMissing('@tessera/client failure tests')

const getAccessToken = (page: Page) =>
  page.evaluate(() =>
    (window as unknown as { tessera: { getAccessToken(): Promise<string> } }).tessera.getAccessToken().then(
      () => 'ok',
      (error: { code?: string }) => error.code ?? 'no code',
    ),
  )

describe('failures: network, expired tokens', { skip: missing }, () => {
  let h: SpaHarness
  let context: BrowserContext
  let page: Page

  before(async () => {
    // 60 s access tokens (30 s is the least the server allows): refreshed 12 s ahead of expiry.
    h = await startSpaHarness({ server: { accessTtl: 60 } })
    context = await h.newContext()
    page = await h.openTab(context)
    await h.signIn(page)
    assert.equal(await stateOf(page), 'signed-in')
  })
  after(async () => {
    await h?.close()
  })

  test('a refresh failing on the network: error events, retries spaced by back-off, never a sign-out', async () => {
    const mark = h.grants.length
    h.failToken = true
    const ttlMs = h.t.config.accessTtl * 1000
    h.advanceServerClock(ttlMs)
    await context.clock.fastForward(ttlMs)
    await until(async () => (await seenIn(page)).some((e) => e.name === 'error'), 10_000, 'an error event')
    // Calls during the back-off fail at once with the network error and send nothing.
    const sentBefore = h.grants.length
    assert.equal(await getAccessToken(page), 'ERR_CLIENT_NETWORK')
    assert.equal(await getAccessToken(page), 'ERR_CLIENT_NETWORK')
    assert.equal(h.grants.length, sentBefore, 'no request of their own during the back-off')
    // Ten seconds of a dead network: the delays double (0.5–1 s, 1–2 s, 2–4 s, 4–8 s …).
    for (let s = 0; s < 10; s++) await context.clock.fastForward(1000)
    // Counted by proof: Chromium itself re-sends a request once when its kept-alive connection drops.
    const attempts = [...new Set(h.grants.slice(mark).map((g) => g.proof))]
    assert.ok(attempts.length >= 3, `retried: ${attempts.length} attempts`)
    assert.ok(attempts.length <= 6, `back-off, not a loop: ${attempts.length} attempts in ~10 s`)
    const events = await seenIn(page)
    const errors = events.filter((e) => e.name === 'error')
    assert.ok(errors.every((e) => e.code === 'ERR_CLIENT_NETWORK'))
    const delays = errors.map((e) => e.retryInMs as number)
    for (let i = 1; i < delays.length; i++)
      assert.ok(delays[i]! >= delays[i - 1]! / 2, `back-off grows: ${delays.join(', ')}`)
    assert.ok(!events.some((e) => e.name === 'signedOut'), 'never signed out for a network failure')
    assert.equal(await stateOf(page), 'signed-in')
    // The network comes back: the next scheduled retry succeeds and the API answers.
    h.failToken = false
    await h.syncServerClock(page)
    await until(
      async () => {
        await context.clock.fastForward(2000)
        return (await seenIn(page)).some((e) => e.name === 'tokenRefreshed')
      },
      20_000,
      'a refresh once the network is back',
    )
    assert.equal((await callApi(page)).status, 200)
    assert.equal(await stateOf(page), 'signed-in')
  })

  test('an access token the API refuses as expired: one refresh, one retry, and the call succeeds', async () => {
    await h.syncServerClock(page)
    const mark = h.grants.length
    // Only the server's clock moves, past the 60 s token's expiry and the server's clock-skew leeway:
    // the page still thinks its token fresh (it got it moments ago), the server says expired. The move
    // stays inside the DPoP proofs' age window (300 s), so the proofs themselves are still good.
    h.advanceServerClock((h.t.config.accessTtl + h.t.config.clockSkew + 1) * 1000)
    const answer = await callApi(page)
    assert.equal(answer.status, 200, JSON.stringify(answer.body))
    assert.deepEqual(
      h.grants.slice(mark).map((g) => `${g.grant} ${g.status}`),
      ['refresh_token 200'],
    )
  })
})

describe('the provider refusing the grant (invalid_grant)', { skip: missing }, () => {
  let h: SpaHarness

  before(async () => {
    h = await startSpaHarness()
  })
  after(async () => {
    await h?.close()
  })

  test('a revoked grant signs every tab out once (refresh-refused), with no retry loop', async () => {
    const context = await h.newContext()
    const page = await h.openTab(context)
    await h.signIn(page)
    const other = await h.openTab(context)
    assert.equal(await stateOf(other), 'signed-in')
    // The grant ends at the provider (what an admin, a logout elsewhere or reuse detection does).
    const { refreshToken } = await storedRecord(page)
    await h.t.server.services.tokens.revoke(refreshToken!, CLIENT_ID)
    const mark = h.grants.length
    const ttlMs = h.t.config.accessTtl * 1000
    h.advanceServerClock(ttlMs)
    await context.clock.fastForward(ttlMs)
    await until(
      async () => (await stateOf(page)) === 'signed-out' && (await stateOf(other)) === 'signed-out',
      10_000,
      'both tabs signed out',
    )
    const reasons = [...(await seenIn(page)), ...(await seenIn(other))]
      .filter((e) => e.name === 'signedOut')
      .map((e) => e.reason)
      .sort()
    assert.equal(reasons.length, 2)
    assert.ok(reasons.includes('refresh-refused'), reasons.join(', '))
    assert.equal((await storedRecord(page)).records, 0, 'the stored key and refresh token are gone')
    for (let s = 0; s < 5; s++) await context.clock.fastForward(2000)
    assert.deepEqual(
      h.grants.slice(mark).map((g) => `${g.grant} ${g.status}`),
      ['refresh_token 400'],
      'one refused refresh, and nothing after it',
    )
  })
})

describe('a provider that demands DPoP nonces', { skip: missing }, () => {
  let h: SpaHarness

  before(async () => {
    h = await startSpaHarness({ server: { dpopNonce: 'required' } })
  })
  after(async () => {
    await h?.close()
  })

  test('each grant is retried once with the nonce the provider sent back (use_dpop_nonce)', async () => {
    const context = await h.newContext()
    const page = await h.openTab(context)
    await h.signIn(page)
    assert.equal(await stateOf(page), 'signed-in', JSON.stringify(h.grants))
    assert.deepEqual(
      h.grants.map((g) => `${g.grant} ${g.status}`),
      ['authorization_code 400', 'authorization_code 200'],
    )
    assert.equal((await callApi(page)).status, 200)
  })
})
