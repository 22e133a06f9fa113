/**
 * @module The Photos single-page app's entry (bundled by scripts/bundle-spa.mjs): signs in with
 * @tessera/client, completes the redirect on /callback, shows the album from the same-origin API through
 * `client.fetch` (DPoP proof or Bearer added by the SDK), and lists the SDK's events — a refresh made by
 * this tab or handed over by another, a sign-out reaching every tab.
 */
import { createClient, type TesseraClient } from '@tessera/client'
import { decodeJWT } from '@tessera/jose'
import type { PhotosPageConfig } from '../photos-page.js'
import { PhotosView, type ViewState } from './spa-view.js'
import { tabReporter } from './tab-report.js'

const config = JSON.parse(document.getElementById('photos-config')!.textContent!) as PhotosPageConfig
const report = tabReporter(config.flowOrigin)
const view: ViewState = { state: 'loading', ...(config.otherApp ? { otherApp: config.otherApp } : {}) }
let client: TesseraClient | undefined

const ui = new PhotosView(document.getElementById('photos-app')!, {
  signIn: () => void client?.login(),
  signOut: () => void client?.logout(),
  reload: () => void loadAlbum(),
})
const render = () => ui.render(view)

/** The access token's `exp` in ms (the page reads it to show when the next refresh is due). */
async function expiry(): Promise<number | undefined> {
  if (!client) return undefined
  const exp = decodeJWT(await client.getAccessToken()).exp
  return typeof exp === 'number' ? exp * 1000 : undefined
}

function showUser(): void {
  const user = client?.user
  if (!user) return
  const name = typeof user.name === 'string' ? user.name : String(user.sub)
  view.user = { name, sub: String(user.sub), sid: typeof user.sid === 'string' ? user.sid : undefined }
  view.state = 'signed-in'
}

async function loadAlbum(): Promise<void> {
  if (!client?.user) return
  try {
    const response = await client.fetch('/api/photos')
    if (response.status === 401) {
      ui.event(`API refused the token (401): ${response.headers.get('www-authenticate') ?? ''}`)
      delete view.photos
    } else {
      const body = (await response.json()) as { photos: ViewState['photos']; boundToKey: boolean }
      view.photos = body.photos
      view.boundToKey = body.boundToKey
      ui.event(`API answered ${response.status}`)
    }
  } catch (error) {
    ui.event(`API call failed: ${(error as Error).message}`)
  }
  render()
}

async function main(): Promise<void> {
  client = await createClient({
    issuer: config.issuer,
    clientId: config.clientId,
    redirectUri: config.redirectUri,
  })
  client.on('signedIn', () => {
    showUser()
    ui.event('signedIn')
    void expiry().then((expiresAt) => {
      if (expiresAt) view.expiresAt = expiresAt
      report({ kind: 'signedIn', ...(expiresAt ? { expiresAt } : {}) })
      render()
    })
  })
  client.on('tokenRefreshed', (event) => {
    view.expiresAt = event.expiresAt
    ui.event(
      event.by === 'this-tab' ? 'tokenRefreshed: this tab refreshed' : 'tokenRefreshed: from another tab',
    )
    report({ kind: 'tokenRefreshed', expiresAt: event.expiresAt, by: event.by })
    render()
  })
  client.on('signedOut', (event) => {
    view.state = 'signed-out'
    delete view.user
    delete view.photos
    delete view.expiresAt
    view.notice =
      event.reason === 'refresh-refused'
        ? 'Signed out: the provider refused the refresh token (the session ended at another app).'
        : event.reason === 'other-tab'
          ? 'Signed out in another tab.'
          : 'You signed out here.'
    ui.event(`signedOut (${event.reason})`)
    report({ kind: 'signedOut', detail: event.reason })
    render()
  })
  client.on('error', (event) => {
    ui.event(`error ${event.error.code}${event.retryInMs ? `, retrying in ${event.retryInMs} ms` : ''}`)
    report({ kind: 'error', detail: event.error.code })
  })
  if (location.pathname === '/callback') {
    try {
      await client.handleRedirect()
    } catch (error) {
      view.notice = `Sign-in failed: ${(error as Error).message}`
    }
    history.replaceState(null, '', '/')
  }
  if (client.user) {
    showUser()
    view.expiresAt = await expiry()
  } else view.state = 'signed-out'
  render()
  report({ kind: 'ready', ...(view.expiresAt ? { expiresAt: view.expiresAt } : {}) })
  await loadAlbum()
}

main().catch((error: unknown) => {
  view.state = 'signed-out'
  view.notice = `The app could not start: ${(error as Error).message}`
  render()
})
