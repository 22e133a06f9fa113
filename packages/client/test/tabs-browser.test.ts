/**
 * @module Several tabs of one SPA on @tessera/client in Chromium, against a real Tessera server: tokens
 * expiring together in five tabs make exactly one refresh request (counted at the server's door) and
 * every tab keeps calling the API; a tab closed in the middle of its refresh does not wedge the others;
 * a reload keeps the user; a sign-out in one tab reaches the others within a second, and a reload after
 * it stays signed out. Run once with the Web Locks API and once without it (the BroadcastChannel election).
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { BrowserContext, Page } from 'playwright-core'
import { chromiumMissing } from '../../../test-support/chromium.js'
import { callApi, type SpaHarness, seenIn, startSpaHarness, stateOf, until } from './spa-harness.js'

const missing = chromiumMissing('@tessera/client browser tests')

for (const locks of ['Web Locks', 'a BroadcastChannel election'] as const) {
  describe(`five tabs share one session (one refresh at a time through ${locks})`, { skip: missing }, () => {
    let h: SpaHarness
    let context: BrowserContext
    const tabs: Page[] = []

    before(async () => {
      h = await startSpaHarness()
      context = await h.newContext({ withoutWebLocks: locks !== 'Web Locks' })
      tabs.push(await h.openTab(context))
      await h.signIn(tabs[0]!)
      assert.equal(await stateOf(tabs[0]!), 'signed-in')
      for (let i = 1; i < 5; i++) tabs.push(await h.openTab(context))
    })
    after(async () => {
      await h?.close()
    })

    const refreshGrants = (from: number) => h.grants.slice(from).filter((g) => g.grant === 'refresh_token')
    const refreshedSince = async (page: Page, mark: number) =>
      (await seenIn(page)).filter((e) => e.name === 'tokenRefreshed').length > mark

    /** Moves both clocks past the access tokens' expiry; refreshes fall due in every tab at once. */
    async function expireTokens(): Promise<void> {
      const ttlMs = h.t.config.accessTtl * 1000
      h.advanceServerClock(ttlMs)
      await context.clock.fastForward(ttlMs)
    }

    async function refreshCounts(): Promise<number[]> {
      return Promise.all(
        tabs.map(async (tab) => (await seenIn(tab)).filter((e) => e.name === 'tokenRefreshed').length),
      )
    }

    test('the four tabs opened after the sign-in take its tokens from the first: no request of their own', async () => {
      for (const tab of tabs) assert.equal(await stateOf(tab), 'signed-in')
      assert.deepEqual(
        h.grants.map((g) => g.grant),
        ['authorization_code'],
      )
      for (const tab of tabs) assert.equal((await callApi(tab)).status, 200)
    })

    test('tokens expiring together in five tabs: exactly one refresh request, all five keep calling the API', async () => {
      for (let round = 0; round < 2; round++) {
        const mark = h.grants.length
        const counts = await refreshCounts()
        await expireTokens()
        await until(
          async () =>
            (await Promise.all(tabs.map((tab, i) => refreshedSince(tab, counts[i]!)))).every(Boolean),
          15_000,
          'every tab has new tokens',
        )
        const refreshes = refreshGrants(mark)
        assert.equal(refreshes.length, 1, `round ${round}: ${JSON.stringify(h.grants.slice(mark))}`)
        assert.equal(refreshes[0]!.status, 200)
        for (const tab of tabs) {
          const answer = await callApi(tab)
          assert.equal(answer.status, 200, JSON.stringify(answer.body))
        }
        const by = (await Promise.all(tabs.map(seenIn)))
          .flat()
          .filter((e) => e.name === 'tokenRefreshed' && e.by === 'this-tab')
        assert.equal(by.length, round + 1, 'one tab refreshed per round; the others were handed the tokens')
      }
      // The family is alive and was never replayed: no reuse alarm, no grace answer.
      const audit = await h.t.server.services.store.audit.list({ limit: 200 })
      const alarms = audit.filter((e) => e.type.startsWith('refresh.'))
      assert.deepEqual(
        alarms.map((e) => e.type),
        [],
      )
    })

    test('a tab closed in the middle of its refresh does not wedge the others (the lock is released)', async () => {
      const mark = h.grants.length
      const counts = await refreshCounts()
      let closed: Page | undefined
      await context.route(`${h.issuer}/token`, async (route) => {
        if (closed) return route.continue()
        closed = route.request().frame().page()
        // The server answers this tab's refresh, and the tab goes away before it reads the answer.
        await route.fetch()
        await closed.close()
      })
      await expireTokens()
      await until(async () => closed?.isClosed() === true, 15_000, 'the first refreshing tab was closed')
      const open = tabs.filter((tab) => !tab.isClosed())
      const openCounts = open.map((tab) => counts[tabs.indexOf(tab)]!)
      tabs.splice(0, tabs.length, ...open)
      assert.equal(open.length, 4)
      await until(
        async () =>
          (await Promise.all(open.map((tab, i) => refreshedSince(tab, openCounts[i]!)))).every(Boolean),
        15_000,
        'the open tabs have new tokens',
      )
      await context.unroute(`${h.issuer}/token`)
      // Counted by proof: with the page closed under it, the intercepted request also goes out once more
      // as it was (same proof, refused by the server as a replayed proof).
      const refreshes = refreshGrants(mark)
      const proofs = [...new Set(refreshes.map((g) => g.proof))]
      // The closed tab's refresh and one more by the next tab, which replayed the refresh token inside
      // the grace window (its successor never reached storage): both answered, the family alive.
      assert.equal(proofs.length, 2, JSON.stringify(refreshes))
      for (const proof of proofs)
        assert.ok(
          refreshes.some((g) => g.proof === proof && g.status === 200),
          'each refresh was answered',
        )
      for (const tab of open) assert.equal((await callApi(tab)).status, 200)
    })

    test('a reload keeps the user signed in: from another tab, or alone by a refresh with the stored key', async () => {
      const mark = h.grants.length
      await tabs[0]!.reload()
      await tabs[0]!.waitForSelector('body[data-ready]')
      assert.equal(await stateOf(tabs[0]!), 'signed-in')
      assert.equal(refreshGrants(mark).length, 0, 'the other tabs handed their tokens over')
      for (const tab of tabs.splice(1)) await tab.close()
      await tabs[0]!.reload()
      await tabs[0]!.waitForSelector('body[data-ready]')
      assert.equal(await stateOf(tabs[0]!), 'signed-in')
      assert.equal(refreshGrants(mark).length, 1, 'alone, the tab refreshed with the stored key')
      assert.equal((await callApi(tabs[0]!)).status, 200)
      for (let i = 0; i < 3; i++) tabs.push(await h.openTab(context))
    })

    test('sign-out in one tab reaches the others within a second; a reload after it stays signed out', async (t) => {
      for (const tab of tabs) assert.equal(await stateOf(tab), 'signed-in')
      const [leaving, ...others] = tabs as [Page, ...Page[]]
      const started = Date.now()
      void leaving.evaluate(() =>
        (window as unknown as { tessera: { logout(): Promise<void> } }).tessera.logout(),
      )
      await until(
        async () => (await Promise.all(others.map(stateOf))).every((s) => s === 'signed-out'),
        1000,
        'every other tab signed out',
      )
      const took = Date.now() - started
      for (const tab of others) {
        const events = await seenIn(tab)
        assert.ok(events.some((e) => e.name === 'signedOut' && e.reason === 'other-tab'))
      }
      await leaving.waitForURL((url) => url.href === `${h.spa}/`)
      await leaving.waitForSelector('body[data-ready]')
      assert.equal(await stateOf(leaving), 'signed-out')
      await others[0]!.reload()
      await others[0]!.waitForSelector('body[data-ready]')
      assert.equal(await stateOf(others[0]!), 'signed-out')
      t.diagnostic(`sign-out reached ${others.length} tabs in ${took} ms (${locks}; a loaded machine)`)
    })
  })
}
