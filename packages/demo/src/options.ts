/**
 * @module What a demo app is given (the provider, its client registration, where it listens) and what it
 * hands back once listening — the same for Notes and Photos, so `npm start` and the tests start them alike.
 */
import type { EventEmitter } from 'node:events'

export interface DemoAppOptions {
  /** The provider's issuer, exactly as its discovery document says it (e.g. http://127.0.0.1:8080). */
  issuer: string
  clientId: string
  /** Notes only: the confidential client's secret. */
  clientSecret?: string
  /** Where to listen (default 127.0.0.1). */
  host?: string
  /** Port to listen on; 0 picks a free one. */
  port: number
  /** The host name in the app's own URLs (its redirect URI): 127.0.0.1 for Notes, localhost for Photos. */
  publicHost?: string
  /** The other app, linked from the page. */
  otherApp?: { name: string; url: string }
  /** Where the app writes one line per event (default: nowhere). */
  log?: (line: string) => void
}

export interface DemoApp {
  /** The app's origin, e.g. http://127.0.0.1:8081. */
  url: string
  redirectUri: string
  postLogoutRedirectUri: string
  /** The back-channel logout endpoint (register it to be told at once); none for an app without a server session. */
  backchannelLogoutUri?: string
  /**
   * Notes emits 'signed-in' { sub, sid }, 'signed-out' { sid, reason } ('rp-logout' | 'backchannel' |
   * 'refresh-refused'); Photos, whose sessions live in the browser, emits 'api' { status, sub } per API call.
   */
  events: EventEmitter
  close(): Promise<void>
}

export const SCOPE = 'openid profile email offline_access'
