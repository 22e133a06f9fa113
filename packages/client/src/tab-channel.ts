/**
 * @module What the tabs of one origin tell each other over a BroadcastChannel: new tokens (from the tab
 * that refreshed, or in answer to a new tab asking), and sign-out. Same-origin only, in memory only:
 * nothing of it touches storage.
 */
import { ClientUnsupportedBrowser } from './errors.js'
import type { UserClaims } from './id-token.js'

/** The tokens a tab holds in memory, as handed to another tab. */
export interface SharedTokens {
  accessToken: string
  tokenType: 'Bearer' | 'DPoP'
  /** Epoch milliseconds (the receiving tab's clock is the same machine's). */
  expiresAt: number
  /** The access token's lifetime when issued, for the refresh-ahead margin. */
  lifetimeMs: number
  idToken: string | undefined
  user: UserClaims
  /** The stored refresh token's generation these tokens came with. */
  generation: number
}

export type TabMessage =
  | { type: 'tokens'; tokens: SharedTokens }
  | { type: 'ask'; generation: number }
  | { type: 'signedOut' }

function isTabMessage(value: unknown): value is TabMessage {
  const type = (value as { type?: unknown } | null)?.type
  return type === 'tokens' || type === 'ask' || type === 'signedOut'
}

export class TabChannel {
  readonly #channel: BroadcastChannel

  constructor(name: string, onMessage: (message: TabMessage) => void) {
    if (typeof BroadcastChannel === 'undefined')
      throw new ClientUnsupportedBrowser('BroadcastChannel is missing: tabs could not share one refresh')
    this.#channel = new BroadcastChannel(name)
    this.#channel.onmessage = (event: MessageEvent) => {
      if (isTabMessage(event.data)) onMessage(event.data)
    }
  }

  post(message: TabMessage): void {
    this.#channel.postMessage(message)
  }

  close(): void {
    this.#channel.close()
  }
}
