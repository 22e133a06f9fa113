/**
 * @module The client's events: `signedIn`, `signedOut`, `tokenRefreshed` and `error`, on a small typed
 * emitter. A listener that throws is reported on the console and does not stop the others.
 */
import type { TesseraClientError } from './errors.js'
import type { UserClaims } from './id-token.js'

export interface ClientEvents {
  /** A user signed in, here or in another tab, or the session came back after a reload. */
  signedIn: { user: UserClaims }
  /** The session ended: `logout()` here or in another tab, or the provider refused the refresh token. */
  signedOut: { reason: 'logout' | 'other-tab' | 'refresh-refused' }
  /** New tokens: refreshed by this tab (`by: 'this-tab'`) or handed over by another (`by: 'other-tab'`). */
  tokenRefreshed: { expiresAt: number; by: 'this-tab' | 'other-tab' }
  /** Something failed that the app may want to show; `retryInMs` when the SDK will try again by itself. */
  error: { error: TesseraClientError; retryInMs?: number }
}

export type ClientEventName = keyof ClientEvents
type Listener<K extends ClientEventName> = (event: ClientEvents[K]) => void

export class ClientEventEmitter {
  readonly #listeners = new Map<ClientEventName, Set<Listener<never>>>()

  /** Adds a listener; returns the function that removes it. */
  on<K extends ClientEventName>(name: K, listener: Listener<K>): () => void {
    let set = this.#listeners.get(name)
    if (!set) this.#listeners.set(name, (set = new Set()))
    set.add(listener as Listener<never>)
    return () => set.delete(listener as Listener<never>)
  }

  emit<K extends ClientEventName>(name: K, event: ClientEvents[K]): void {
    for (const listener of this.#listeners.get(name) ?? []) {
      try {
        ;(listener as Listener<K>)(event)
      } catch (error) {
        console.error(`a ${name} listener of @tessera/client threw`, error)
      }
    }
  }
}
